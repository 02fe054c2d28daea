"""Hostile input: each refused with a 4xx and a clear GraphQL error with a code, quickly,
and the server keeps answering normal queries afterwards."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from graphql import GraphQLError

from tests.gateway.conftest import Gateway

NORMAL = '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'


def _cases() -> dict[str, dict]:
    deep = '{ customers(filter: {lastName: "x"}) ' + "{ edges " * 40 + "}" * 41
    # A thousand aliases, compact enough to stay under the 16 kB document limit.
    aliases = "{" + " ".join(f"a{i}:__typename" for i in range(1000)) + "}"
    tokens = "{ " + "a " * 7000 + "}"  # 7,000 tokens in 14 kB: under the size limit
    # Each fragment spreads the next twice: 2^30 paths to one field if expanded naively.
    doubling = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30))
    return {
        "deep nesting": {"json": {"query": deep}},
        "thousands of aliases": {"json": {"query": aliases}},
        "a 1 MB query": {"json": {"query": "{ " + "__typename " * 100_000 + "}"}},
        "tens of thousands of tokens": {"json": {"query": tokens}},
        "malformed JSON": {
            "content": b'{"query": "{ __typename }"',
            "headers": {"content-type": "application/json"},
        },
        "wrong content type": {
            "content": b"query={__typename}",
            "headers": {"content-type": "text/plain"},
        },
        "a batch of 1,000 operations": {"json": [{"query": "{ __typename }"}] * 1000},
        "variables of the wrong type": {
            "json": {
                "query": 'query ($n: Int) { customers(filter: {lastName: "x"}, first: $n) { totalCount } }',
                "variables": {"n": "ten"},
            }
        },
        "fragments spread twice at each of 30 levels": {
            "json": {"query": "{ ...F0 } " + doubling + " fragment F30 on Query { a: __typename }"}
        },
        "a lone surrogate in the variables": {
            "content": b'{"query": "query ($v: String!) { customerByNativeId(backend: RELAY, nativeId: $v) { id } }", "variables": {"v": "\\ud800"}}',
            "headers": {"content-type": "application/json"},
        },
        "a body that is not UTF-8": {
            "content": b'{"query": "{ __typename }", "variables": {"v": "\xff"}}',
            "headers": {"content-type": "application/json"},
        },
        "oversized variables": {
            "json": {"query": "query ($v: String) { __typename }", "variables": {"v": "x" * 40_000}}
        },
        "an expensive query": {
            "json": {
                "query": "{ "
                + " ".join(
                    f'c{i}: customers(filter: {{lastName: "x"}}, first: 100) {{ edges {{ node {{ locale travelers {{ id }} travelDocuments {{ id }} }} }} }}'
                    for i in range(3)
                )
                + " }"
            }
        },
    }


@pytest.mark.parametrize("case", list(_cases()))
def test_hostile_input_is_refused_cleanly(gateway: Gateway, case: str) -> None:
    started = time.perf_counter()
    response = gateway.http.post("/graphql", **_cases()[case])
    elapsed = time.perf_counter() - started
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    body = response.json()
    assert body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] in ("BAD_USER_INPUT", "QUERY_TOO_COMPLEX")
    # A guard against a pathological blow-up, not a performance figure (those are in bench/).
    assert elapsed < 2.0
    assert gateway.query(NORMAL)["data"]["customerByNativeId"]["lastName"] == "Moore"


def test_specific_statuses(gateway: Gateway) -> None:
    cases = _cases()
    assert gateway.http.post("/graphql", **cases["a 1 MB query"]).status_code == 413
    assert gateway.http.post("/graphql", **cases["oversized variables"]).status_code == 413
    assert gateway.http.post("/graphql", **cases["wrong content type"]).status_code == 415
    expensive = gateway.http.post("/graphql", **cases["an expensive query"]).json()["errors"][0]
    assert expensive["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert expensive["extensions"]["cost"] > expensive["extensions"]["limit"]
    aliases = gateway.http.post("/graphql", **cases["thousands of aliases"]).json()["errors"][0]
    assert aliases["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # Under the token limit, the alias limit itself refuses (fragments count too).
    few = "{" + " ".join(f"a{i}:__typename" for i in range(500)) + "}"
    refused = gateway.post(few).json()["errors"][0]
    assert refused["extensions"]["code"] == "QUERY_TOO_COMPLEX" and "aliases" in refused["message"]
    spread = (
        "{ ...F } fragment F on Query {" + " ".join(f"b{i}:__typename" for i in range(40)) + "}"
    )
    assert gateway.post(spread).json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    tokens = gateway.http.post("/graphql", **cases["tens of thousands of tokens"]).json()
    assert tokens["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # A syntax error stays the caller's input, however long the document after it.
    broken = gateway.post("{ a( " + "b " * 3000 + "}").json()["errors"][0]
    assert broken["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_token_limit_counts_comments_as_graphql_core_does() -> None:
    from gateway.limits import parse_limited

    with pytest.raises(GraphQLError) as refused:
        parse_limited("{ __typename }" + "\n#" * 50, 20)
    assert refused.value.extensions == {"code": "QUERY_TOO_COMPLEX"}
    assert parse_limited("{ __typename }" + "\n#" * 5, 20).definitions


def test_production_hides_introspection_graphiql_and_suggestions(gateway: Gateway) -> None:
    from tests.gateway.conftest import custom_gateway

    with custom_gateway(gateway.sandboxes, mode="production") as production:
        introspection = production.post("{ __schema { types { name } } }").json()
        suggestion = production.post("{ customerz { id } }").json()
        page = production.http.get("/graphql", headers={"accept": "text/html"})
        token = production.http.get("/graphiql/token")
        asset = production.http.get("/graphiql/static/graphiql.min.js")
    assert token.status_code == asset.status_code == 404
    assert introspection["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Did you mean" not in suggestion["errors"][0]["message"]
    assert page.status_code == 404
    development = gateway.post("{ customerz { id } }").json()
    assert "Did you mean" in development["errors"][0]["message"]


def test_cors_allowlist(gateway: Gateway) -> None:
    from tests.gateway.conftest import custom_gateway

    with custom_gateway(gateway.sandboxes, cors_origins="https://app.example") as guarded:
        allowed = guarded.http.options(
            "/graphql",
            headers={"origin": "https://app.example", "access-control-request-method": "POST"},
        )
        refused = guarded.http.options(
            "/graphql",
            headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
        )
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in refused.headers


def test_the_body_limit_counts_streamed_bodies_too(gateway: Gateway) -> None:
    def chunks() -> Iterator[bytes]:  # no content-length: chunked transfer
        for _ in range(100):
            yield b"x" * 1024

    response = gateway.http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
