"""Persisted operations over HTTP (docs/persisted-operations.md): automatic persisted queries
as Apollo Client and urql speak them, and trusted documents from either manifest format.

The session's gateway keeps its documents for every test: each test sends documents of its
own (an operation name of its own), so none finds another's."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.model import Backend
from gateway.config import ConfigError, load_settings
from gateway.persisted import InProcessDocuments
from tests.gateway.conftest import Gateway, custom_gateway
from tests.gateway.test_config import assert_refused, serve

GRAPHQL_RESPONSE = "application/graphql-response+json"
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"


def document(name: str) -> str:
    return (
        f"query {name} {{ "
        'customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'
    )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def hashed(text_or_hash: str, version: object = 1) -> dict[str, Any]:
    """`extensions` naming a document by hash (a document's text is hashed first)."""
    digest = text_or_hash if len(text_or_hash) == 64 else sha256(text_or_hash)
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def post(gateway: Gateway, body: object, accept: str | None = None) -> httpx.Response:
    headers = {"accept": accept} if accept else None
    return gateway.http.post("/graphql", json=body, headers=headers)


def code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def moore(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert response.json()["data"]["customerByNativeId"]["lastName"] == "Moore"


def nothing_sent(gateway: Gateway) -> bool:
    return all(not gateway.calls(backend) for backend in Backend)


def test_an_unknown_hash_is_persisted_query_not_found_as_apollo_clients_expect(
    gateway: Gateway,
) -> None:
    body = {"extensions": hashed(document("NeverSent"))}
    plain = post(gateway, body)
    # Apollo Client retries on this message or code; a plain JSON answer is a 200, as
    # Apollo Server's (Apollo Client before 3.6 reads no error body of a 4xx).
    assert plain.status_code == 200
    assert plain.json() == {
        "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": NOT_FOUND}}]
    }
    assert plain.headers["cache-control"] == "private, no-cache, must-revalidate"
    # graphql-response+json: a 4xx, and no `data` (GraphQL over HTTP).
    strict = post(gateway, body, accept=f"{GRAPHQL_RESPONSE}, application/json;q=0.9")
    assert strict.status_code == 404
    assert strict.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert strict.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert "data" not in strict.json()
    assert nothing_sent(gateway)


def test_a_document_sent_with_its_hash_is_stored_then_run_by_hash_alone(
    gateway: Gateway,
) -> None:
    query = document("Registered")
    assert code(post(gateway, {"extensions": hashed(query)})) == NOT_FOUND
    # Apollo Client's retry: the document and its hash, with variables and operationName.
    moore(
        post(gateway, {"query": query, "operationName": "Registered", "extensions": hashed(query)})
    )
    gateway.reset_counters()
    moore(post(gateway, {"extensions": hashed(query), "operationName": "Registered"}))
    assert gateway.calls(Backend.RELAY)
    # The appendix's documentId names the same document.
    moore(post(gateway, {"documentId": f"sha256:{sha256(query)}"}))


def test_variables_go_with_a_stored_document(gateway: Gateway) -> None:
    query = (
        "query StoredWithVariables($id: String!) "
        "{ customerByNativeId(backend: RELAY, nativeId: $id) { lastName } }"
    )
    variables = {"id": "BAK-11984-007"}
    moore(post(gateway, {"query": query, "variables": variables, "extensions": hashed(query)}))
    moore(post(gateway, {"variables": variables, "extensions": hashed(query)}))


def test_a_hash_that_is_not_the_documents_is_a_400_and_stores_nothing(gateway: Gateway) -> None:
    query, other = document("Mismatched"), document("OtherDocument")
    response = post(gateway, {"query": query, "extensions": hashed(other)})
    assert response.status_code == 400
    assert code(response) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert nothing_sent(gateway)
    # Neither document is now found under that hash.
    assert code(post(gateway, {"extensions": hashed(other)})) == NOT_FOUND


def test_a_document_that_does_not_validate_runs_as_sent_but_is_not_stored(
    gateway: Gateway,
) -> None:
    query = "query NotValid { noSuchField }"
    refused = post(gateway, {"query": query, "extensions": hashed(query)})
    assert refused.status_code == 400 and code(refused) == "BAD_USER_INPUT"
    assert code(post(gateway, {"extensions": hashed(query)})) == NOT_FOUND


def test_get_runs_a_stored_query_by_hash_and_refuses_a_stored_mutation(gateway: Gateway) -> None:
    query = document("OverGet")
    moore(post(gateway, {"query": query, "extensions": hashed(query)}))
    # Apollo Client's useGETForHashedQueries: `extensions` as a JSON query parameter, sent
    # with its default Accept (*/*), which must not open GraphiQL.
    extensions = json.dumps(hashed(query), separators=(",", ":"))
    for accept in ("*/*", "application/json"):
        moore(
            gateway.http.get(
                "/graphql",
                params={"operationName": "OverGet", "extensions": extensions},
                headers={"accept": accept},
            )
        )
    moore(gateway.http.get("/graphql", params={"documentId": f"sha256:{sha256(query)}"}))
    unknown = gateway.http.get("/graphql", params={"extensions": json.dumps(hashed("a" * 64))})
    assert unknown.status_code == 200 and code(unknown) == NOT_FOUND
    # A mutation stored by hash (it validates; its missing variable refuses it at run time)
    # is still refused over GET (405), and nothing is sent.
    mutation = (
        "mutation StoredCreate($input: CreateCustomerInput!) "
        "{ createCustomer(input: $input) { customer { id } } }"
    )
    assert post(gateway, {"query": mutation, "extensions": hashed(mutation)}).status_code == 400
    gateway.reset_counters()
    over_get = gateway.http.get("/graphql", params={"extensions": json.dumps(hashed(mutation))})
    assert over_get.status_code == 405
    assert over_get.headers["allow"] == "POST"
    assert nothing_sent(gateway)


def test_the_request_limits_apply_before_a_document_is_stored(gateway: Gateway) -> None:
    # Over GATEWAY_MAX_QUERY_BYTES (16 kB): refused (413) as without a hash, never stored.
    big = "query TooBig { " + "__typename " * 2000 + "}"
    assert post(gateway, {"query": big, "extensions": hashed(big)}).status_code == 413
    assert code(post(gateway, {"extensions": hashed(big)})) == NOT_FOUND
    deep = "query TooDeep " + "{ a " * 40 + "}" * 40
    assert post(gateway, {"query": deep, "extensions": hashed(deep)}).status_code == 400
    assert code(post(gateway, {"extensions": hashed(deep)})) == NOT_FOUND


def test_a_batch_resolves_each_operation_and_a_miss_refuses_it_whole(gateway: Gateway) -> None:
    first, second = document("BatchFirst"), document("BatchSecond")
    stored = post(gateway, [{"query": q, "extensions": hashed(q)} for q in (first, second)])
    assert stored.status_code == 200, stored.text
    both = post(gateway, [{"extensions": hashed(first)}, {"extensions": hashed(second)}])
    assert [r["data"]["customerByNativeId"]["lastName"] for r in both.json()] == ["Moore"] * 2
    # A batch's answer is one error, not one result per operation: a 404 with any Accept.
    missing = post(gateway, [{"extensions": hashed(first)}, {"extensions": hashed("b" * 64)}])
    assert missing.status_code == 404 and code(missing) == NOT_FOUND


def test_with_apq_off_a_hash_alone_is_not_supported(gateway: Gateway) -> None:
    query = document("ApqOff")
    with custom_gateway(gateway.sandboxes, apq="off") as off:
        refused = post(off, {"extensions": hashed(query)})
        assert refused.status_code == 200
        assert refused.json()["errors"][0]["message"] == "PersistedQueryNotSupported"
        assert code(refused) == "PERSISTED_QUERY_NOT_SUPPORTED"
        strict = post(off, {"extensions": hashed(query)}, accept=GRAPHQL_RESPONSE)
        assert strict.status_code == 400
        # The document itself runs, its hash unused; and is not stored.
        moore(post(off, {"query": query, "extensions": hashed(query)}))
        assert code(post(off, {"extensions": hashed(query)})) == "PERSISTED_QUERY_NOT_SUPPORTED"


# Malformed persisted-query requests: each a 4xx with its code, never a 500.
HOSTILE: dict[str, tuple[object, int, str]] = {
    "a hash that is a number": (
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": 12}}},
        400,
        "BAD_USER_INPUT",
    ),
    "a hash of 63 hex digits": ({"extensions": hashed("a" * 63 + "g")}, 400, "BAD_USER_INPUT"),
    "a hash that is not hex": (
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "z" * 64}}},
        400,
        "BAD_USER_INPUT",
    ),
    "a hash with a NUL": (
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "a" * 63 + "\x00"}}},
        400,
        "BAD_USER_INPUT",
    ),
    "a hash of 10,000 digits": (
        {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "a" * 10_000}}},
        400,
        "BAD_USER_INPUT",
    ),
    "no hash": ({"extensions": {"persistedQuery": {"version": 1}}}, 400, "BAD_USER_INPUT"),
    "version 2": ({"extensions": hashed("a" * 64, version=2)}, 400, "BAD_USER_INPUT"),
    "a version that is a string": (
        {"extensions": hashed("a" * 64, version="1")},
        400,
        "BAD_USER_INPUT",
    ),
    "persistedQuery that is a list": (
        {"extensions": {"persistedQuery": ["a" * 64]}},
        400,
        "BAD_USER_INPUT",
    ),
    "extensions that are a string": ({"extensions": "persistedQuery"}, 400, "BAD_USER_INPUT"),
    "extensions that are a list, in a batch": (
        [{"query": "{ __typename }", "extensions": [hashed("a" * 64)]}],
        400,
        "BAD_USER_INPUT",
    ),
    "a batch of numbers": ([1, 2], 400, "BAD_USER_INPUT"),
    "a documentId that is an object": ({"documentId": {"id": "x"}}, 400, "BAD_USER_INPUT"),
    "a documentId that is not sha256": ({"documentId": "md5:abc"}, 400, "BAD_USER_INPUT"),
    "a documentId and a persistedQuery": (
        {"documentId": "sha256:" + "a" * 64, "extensions": hashed("a" * 64)},
        400,
        "BAD_USER_INPUT",
    ),
    "a documentId and a query": (
        {"documentId": "sha256:" + sha256("{ __typename }"), "query": "{ __typename }"},
        400,
        "CANNOT_SEND_PQ_ID_AND_BODY",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_malformed_persisted_requests_are_4xx_with_a_code(gateway: Gateway, case: str) -> None:
    body, status, expected = HOSTILE[case]
    response = post(gateway, body)
    assert response.status_code == status, response.text
    assert code(response) == expected
    assert nothing_sent(gateway)
    moore(post(gateway, {"query": document("AfterHostile")}))


def test_malformed_get_parameters_are_4xx(gateway: Gateway) -> None:
    for params in (
        {"extensions": "{not json"},
        {"extensions": "[1]"},
        {"extensions": json.dumps({"persistedQuery": "x"})},
        {"documentId": "sha256:" + "a" * 63},
        {"documentId": "../../etc/passwd"},
    ):
        response = gateway.http.get("/graphql", params=params, headers={"accept": "*/*"})
        assert response.status_code == 400, (params, response.text)
        assert code(response) == "BAD_USER_INPUT"


# --- Trusted documents -------------------------------------------------------------------

LISTED = document("Listed")
LISTED_WITH_VARIABLES = (
    "query ListedById($id: String!) {\n"
    "  customerByNativeId(backend: RELAY, nativeId: $id) {\n    lastName\n  }\n}"
)
NOT_LISTED = document("NotListed")


def apollo_manifest() -> dict[str, object]:
    """Apollo's format, as `generate-persisted-query-manifest` writes it."""
    return {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": sha256(body), "body": body, "name": name, "type": "query"}
            for name, body in (("Listed", LISTED), ("ListedById", LISTED_WITH_VARIABLES))
        ],
    }


def codegen_manifest() -> dict[str, str]:
    """GraphQL Code Generator's client preset: hash -> document (one id `sha256:`-prefixed,
    one a custom id, as its `hashAlgorithm` options make them)."""
    return {f"sha256:{sha256(LISTED)}": LISTED, "listed-by-id-v2": LISTED_WITH_VARIABLES}


@pytest.fixture(params=["apollo", "codegen"])
def manifest(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / f"{request.param}.json"
    content = apollo_manifest() if request.param == "apollo" else codegen_manifest()
    path.write_text(json.dumps(content))
    yield path


def test_trusted_documents_run_listed_operations_only(gateway: Gateway, manifest: Path) -> None:
    with custom_gateway(gateway.sandboxes, trusted_documents=str(manifest)) as trusted:
        # By the APQ hash and by documentId, bare or prefixed.
        moore(post(trusted, {"extensions": hashed(LISTED)}))
        moore(post(trusted, {"documentId": f"sha256:{sha256(LISTED)}"}))
        moore(post(trusted, {"documentId": sha256(LISTED)}))
        moore(trusted.http.get("/graphql", params={"documentId": f"sha256:{sha256(LISTED)}"}))
        listed_id = (
            sha256(LISTED_WITH_VARIABLES) if "apollo" in manifest.name else "listed-by-id-v2"
        )
        moore(post(trusted, {"documentId": listed_id, "variables": {"id": "BAK-11984-007"}}))
        # Sent whole: the listed document, as listed or reformatted (comments, spacing).
        moore(post(trusted, {"query": LISTED}))
        moore(post(trusted, {"query": "# the same\n" + LISTED.replace(" ", "\n  ")}))
        trusted.reset_counters()
        # Anything else is refused, and nothing is sent.
        unlisted = post(trusted, {"query": NOT_LISTED})
        assert unlisted.status_code == 403 and code(unlisted) == "QUERY_NOT_IN_SAFELIST"
        unknown = post(trusted, {"extensions": hashed(NOT_LISTED)})
        assert unknown.status_code == 404 and code(unknown) == "PERSISTED_QUERY_NOT_IN_LIST"
        unknown_id = post(trusted, {"documentId": "listed-by-id-v3"})
        assert code(unknown_id) == "PERSISTED_QUERY_NOT_IN_LIST"
        broken = post(trusted, {"query": "{ not a document"})
        assert code(broken) == "QUERY_NOT_IN_SAFELIST"
        # An APQ registration is refused: nothing is added to the list.
        registration = post(trusted, {"query": NOT_LISTED, "extensions": hashed(NOT_LISTED)})
        assert registration.status_code == 400
        assert code(registration) == "CANNOT_SEND_PQ_ID_AND_BODY"
        assert code(post(trusted, {"extensions": hashed(NOT_LISTED)})) == (
            "PERSISTED_QUERY_NOT_IN_LIST"
        )
        assert nothing_sent(trusted)


def test_trusted_documents_let_graphiqls_introspection_through_in_development_only(
    gateway: Gateway, tmp_path: Path
) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(codegen_manifest()))
    introspection = "query IntrospectionQuery { __schema { queryType { name } } }"
    with custom_gateway(gateway.sandboxes, trusted_documents=str(path)) as development:
        answer = post(development, {"query": introspection})
        assert answer.json()["data"]["__schema"]["queryType"]["name"] == "Query"
        # Not a way around the list: a document that also asks for more is refused.
        mixed = "{ __typename " + NOT_LISTED.split("{", 1)[1]
        assert code(post(development, {"query": mixed})) == "QUERY_NOT_IN_SAFELIST"
    with custom_gateway(
        gateway.sandboxes, trusted_documents=str(path), mode="production"
    ) as production:
        assert code(post(production, {"query": introspection})) == "QUERY_NOT_IN_SAFELIST"
        moore(post(production, {"documentId": f"sha256:{sha256(LISTED)}"}))


def test_trusted_documents_by_id_only(gateway: Gateway, tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(apollo_manifest()))
    with custom_gateway(
        gateway.sandboxes, trusted_documents=str(path), trusted_documents_require_id="on"
    ) as by_id:
        refused = post(by_id, {"query": LISTED})
        assert refused.status_code == 400 and code(refused) == "PERSISTED_QUERY_ID_REQUIRED"
        moore(post(by_id, {"extensions": hashed(LISTED)}))


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (None, "cannot read"),
        (b"{not json", "not JSON"),
        (b"[]", "neither"),
        (b"{}", "no operation"),
        (json.dumps({"a": 1}).encode(), "neither"),
        (json.dumps({"x": "{ unclosed"}).encode(), "id x does not parse"),
        (json.dumps({"x": "fragment F on Query { __typename }"}).encode(), "no operation"),
        (json.dumps({"bad id!": "{ __typename }"}).encode(), "not a document id"),
        (
            json.dumps({"format": "apollo-persisted-query-manifest", "version": 2}).encode(),
            "version 1",
        ),
        (
            json.dumps(
                {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{}]}
            ).encode(),
            "operation 1",
        ),
        (
            json.dumps({"sha256:" + "a" * 64: "{ a }", "a" * 64: "{ b }"}).encode(),
            "listed twice",
        ),
    ],
)
def test_a_manifest_that_cannot_be_used_is_a_config_error(
    tmp_path: Path, content: bytes | None, named: str
) -> None:
    path = tmp_path / "manifest.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError) as refused:
        load_settings({"GATEWAY_TRUSTED_DOCUMENTS": str(path)})
    assert str(refused.value).startswith("GATEWAY_TRUSTED_DOCUMENTS: ")
    assert named in str(refused.value)


def test_serve_refuses_a_bad_manifest_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text("{ not json")
    assert_refused(serve(1, {"GATEWAY_TRUSTED_DOCUMENTS": str(path)}), "GATEWAY_TRUSTED_DOCUMENTS")


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        ({"GATEWAY_APQ": "maybe"}, "GATEWAY_APQ must be on or off"),
        ({"GATEWAY_APQ_TTL_SECONDS": "0"}, "GATEWAY_APQ_TTL_SECONDS"),
        ({"GATEWAY_APQ_TTL_SECONDS": "1.5"}, "GATEWAY_APQ_TTL_SECONDS"),
        ({"GATEWAY_TRUSTED_DOCUMENTS_REQUIRE_ID": "on"}, "needs GATEWAY_TRUSTED_DOCUMENTS"),
    ],
)
def test_the_persisted_settings_are_checked(environment: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(environment)
    assert named in str(refused.value)


@pytest.mark.anyio
async def test_the_in_process_store_keeps_the_most_recently_used_within_its_bounds() -> None:
    store = InProcessDocuments(max_documents=3, max_bytes=1000)
    for name in "abc":
        await store.put(name * 64, name * 10)
    assert await store.get("a" * 64) == "a" * 10  # now the most recently used
    await store.put("d" * 64, "d" * 10)
    assert await store.get("b" * 64) is None  # the least recently used went first
    assert len(store) == 3
    await store.put("e" * 64, "e" * 995)  # over the bytes: the oldest go until it fits
    assert len(store) == 1 and await store.get("e" * 64) == "e" * 995
