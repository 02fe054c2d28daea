"""Who may call: bearer JWTs, scopes per operation and per sensitive field."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from adapters.model import Backend
from gateway.auth import PII, READ, WRITE, mint_token
from gateway.config import ConfigError, load_settings
from tests.gateway.conftest import TEST_JWT_SECRET, Gateway, custom_gateway, token

RELAY_CUSTOMER = (
    '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName birthdate } }'
)


def _post(gateway: Gateway, authorization: str | None) -> tuple[int, dict]:
    headers = {"authorization": authorization} if authorization is not None else {}
    # A client of its own: the fixture's client carries a valid token.
    response = httpx.post(f"{gateway.url}/graphql", json={"query": RELAY_CUSTOMER}, headers=headers)
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Basic abc",
        "Bearer not.a.jwt",
        f"Bearer {mint_token('another-secret-entirely-0123456789', subject='x')}",
        f"Bearer {mint_token(TEST_JWT_SECRET, ttl_seconds=-60)}",
        f"Bearer {jwt.encode({'scope': READ, 'exp': int(time.time()) + 60}, TEST_JWT_SECRET)}",
    ],
    ids=["missing", "not-bearer", "malformed", "wrong-key", "expired", "no-subject"],
)
def test_a_bad_token_is_401_unauthenticated(gateway: Gateway, authorization: str | None) -> None:
    status, body = _post(gateway, authorization)
    assert status == 401
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert all(not gateway.calls(b) for b in Backend)


def test_queries_need_the_read_scope(gateway: Gateway) -> None:
    status, body = _post(gateway, f"Bearer {token(WRITE)}")
    assert status == 200
    assert body["data"] == {"customerByNativeId": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert all(not gateway.calls(b) for b in Backend)


def test_mutations_need_the_write_scope(gateway: Gateway) -> None:
    response = gateway.http.post(
        "/graphql",
        json={
            "query": 'mutation { createCustomer(input: {backend: CLUBMED, firstName: "A", lastName: "B"}) { customer { id } } }'
        },
        headers={"authorization": f"Bearer {token(READ, PII)}"},
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert all(not gateway.calls(b) for b in Backend)


def test_sensitive_fields_need_pii_and_the_rest_answers(gateway: Gateway) -> None:
    status, body = _post(gateway, f"Bearer {token(READ)}")
    assert status == 200
    assert body["data"] == {"customerByNativeId": {"lastName": "Moore", "birthdate": None}}
    [error] = body["errors"]
    assert error["path"] == ["customerByNativeId", "birthdate"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    status, body = _post(gateway, f"Bearer {token(READ, PII)}")
    assert body["data"]["customerByNativeId"]["birthdate"] == "1954-12-01"


def test_es256_keys_from_a_jwks_file(gateway: Gateway, tmp_path: Path) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    jwk.update(kid="k1", alg="ES256", use="sig")
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [jwk]}))
    claims = {
        "sub": "svc",
        "scope": READ,
        "exp": int(time.time()) + 60,
        "iss": "https://idp",
        "aud": "customer-gateway",
    }
    good = jwt.encode(claims, private, algorithm="ES256", headers={"kid": "k1"})
    wrong_audience = jwt.encode(
        {**claims, "aud": "other"}, private, algorithm="ES256", headers={"kid": "k1"}
    )
    with custom_gateway(
        gateway.sandboxes,
        jwt_secret=None,
        jwks_file=str(jwks),
        jwt_issuer="https://idp",
        jwt_audience="customer-gateway",
    ) as keyed:
        ok = keyed.http.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"authorization": f"Bearer {good}"},
        )
        refused = keyed.http.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"authorization": f"Bearer {wrong_audience}"},
        )
    assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}
    assert refused.status_code == 401


def test_graphiql_asks_the_gateway_for_its_development_token(gateway: Gateway) -> None:
    """The page holds no token; /graphiql/token gives the one the gateway made, which works."""
    with custom_gateway(gateway.sandboxes, jwt_secret=None) as development:
        page = development.http.get(
            "/graphql", headers={"accept": "text/html", "authorization": ""}
        )
        answer = development.http.get("/graphiql/token", headers={"authorization": ""})
        token = answer.json()["token"]
        asked = development.http.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"authorization": f"Bearer {token}"},
        )
    assert page.status_code == 200 and "Bearer ey" not in page.text
    assert answer.headers["cache-control"] == "no-store"
    assert asked.json() == {"data": {"__typename": "Query"}}


def test_no_development_token_where_callers_keys_are_set(gateway: Gateway) -> None:
    assert gateway.http.get("/graphiql/token").status_code == 404


def test_production_refuses_to_start_without_keys() -> None:
    environment = {
        "GATEWAY_MODE": "production",
        "CLUBMED_BASE_URL": "https://api.clubmed.example",
        "CARECLOUD_BASE_URL": "https://carecloud.example",
        "RELAY_BASE_URL": "https://relay.example",
        "CLUBMED_CLIENT_ID": "c",
        "CLUBMED_CLIENT_SECRET": "s",
        "CLUBMED_API_KEY": "k",
        "CARECLOUD_APPLICATION_ID": "a",
        "CARECLOUD_LOGIN": "l",
        "CARECLOUD_PASSWORD": "p",
        "RELAY_CLIENT_ID": "i",
        "RELAY_API_KEY": "r",
    }
    with pytest.raises(ConfigError, match="GATEWAY_JWT_SECRET"):
        load_settings(environment)
    assert load_settings({**environment, "GATEWAY_JWT_SECRET": "x" * 32}).mode == "production"


def test_a_verified_token_is_cached_until_its_own_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    from gateway import auth
    from gateway.config import Settings

    verifier = auth.TokenVerifier(Settings(jwt_secret=TEST_JWT_SECRET))
    decoded: list[str] = []
    real_decode = verifier._decode

    def counting_decode(raw: str) -> tuple[auth.Caller, float]:
        decoded.append(raw)
        return real_decode(raw)

    monkeypatch.setattr(verifier, "_decode", counting_decode)
    good = f"Bearer {token(READ)}"
    assert verifier.verify(good).scopes == {READ}
    assert verifier.verify(good).scopes == {READ}
    assert len(decoded) == 1  # the signature is checked once per token
    with pytest.raises(auth.AuthenticationFailed):
        verifier.verify(good[:-3] + "abc")  # another token: verified, and refused
    # Past the token's exp, the cache lets go of it and the token is verified anew.
    later = time.time() + 13 * 3600
    monkeypatch.setattr(auth, "_now", lambda: later)
    verifier.verify(good)
    assert len(decoded) == 3
