"""Every byte sequence a client can send is answered with a 4xx GraphQL error with a code:
lone surrogates, invalid UTF-8 and NUL, in every part of a POST body and of a GET URL,
with no traceback in the logs, and the server keeps answering."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.gateway.conftest import Gateway

NORMAL = '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'
NORMAL_BODY = b'{"query": "{ customerByNativeId(backend: RELAY, nativeId: \\"BAK-11984-007\\") { lastName } }"}'
# A document with a String variable that reaches a back end (as a native id).
BY_NATIVE_ID = (
    "query ($v: String!) { customerByNativeId(backend: RELAY, nativeId: $v) { lastName } }"
)
BY_NATIVE_ID_JSON = BY_NATIVE_ID.replace('"', '\\"').encode()

# Raw request bodies: the JSON escapes are written as the client sends them.
POST_BODIES: dict[str, bytes] = {
    "lone high surrogate in a variable": b'{"query": "%s", "variables": {"v": "\\ud800"}}'
    % BY_NATIVE_ID_JSON,
    "lone low surrogate in a variable": b'{"query": "%s", "variables": {"v": "\\udfff"}}'
    % BY_NATIVE_ID_JSON,
    "reversed pair in a variable": b'{"query": "%s", "variables": {"v": "a\\udc00\\ud800b"}}'
    % BY_NATIVE_ID_JSON,
    "surrogate in a nested variable": b'{"query": "query ($f: CustomerFilter!) { customers(filter: $f) { totalCount } }", "variables": {"f": {"lastName": "\\ud800"}}}',
    "surrogate in a variable name": b'{"query": "{ __typename }", "variables": {"\\ud800": 1}}',
    "surrogate in the query": b'{"query": "{ __typename } # \\ud800"}',
    "surrogate in a query string literal": b'{"query": "{ customerByNativeId(backend: RELAY, nativeId: \\"\\ud800\\") { lastName } }"}',
    "surrogate in operationName": b'{"query": "query Q { __typename }", "operationName": "\\ud800"}',
    "surrogate in extensions": b'{"query": "{ __typename }", "extensions": {"\\ud800": "\\udfff"}}',
    "surrogate in a batch": b'[{"query": "{ __typename }"}, {"query": "%s", "variables": {"v": "\\ud800"}}]'
    % BY_NATIVE_ID_JSON,
    "invalid UTF-8 in a variable": b'{"query": "%s", "variables": {"v": "\xff\xfe"}}'
    % BY_NATIVE_ID_JSON,
    "encoded surrogate bytes in the query": b'{"query": "{ __typename } # \xed\xa0\x80"}',
    "truncated UTF-8 sequence": b'{"query": "{ __typename } # \xc3"}',
    "NUL escape in a variable": b'{"query": "%s", "variables": {"v": "BAK\\u0000"}}'
    % BY_NATIVE_ID_JSON,
    "NUL escape in the query": b'{"query": "{ __typename \\u0000 }"}',
    "NUL escape in a variable name": b'{"query": "{ __typename }", "variables": {"a\\u0000": 1}}',
    "raw NUL byte in the body": b'{"query": "{ __typename }\x00"}',
    "NUL in a query comment": b'{"query": "{ __typename } # \\u0000"}',
    "GraphQL NUL escape in a literal": b'{"query": "{ customerByNativeId(backend: RELAY, nativeId: \\"BAK\\\\u0000\\") { lastName } }"}',
    "GraphQL braced NUL escape in a literal": b'{"query": "{ customerByNativeId(backend: RELAY, nativeId: \\"BAK\\\\u{0}\\") { lastName } }"}',
    "NUL escape in operationName": b'{"query": "query Q { __typename }", "operationName": "Q\\u0000"}',
}

GET_PARAMS: dict[str, str] = {
    "lone surrogate in GET variables": "query=" + BY_NATIVE_ID + '&variables={"v":"\\ud800"}',
    "surrogate in a GET variable name": 'query={__typename}&variables={"\\udfff":1}',
    "invalid UTF-8 in a GET query": "query=%7B__typename%7D%23%FF",
    "encoded surrogate in a GET query": "query=%7B__typename%7D%23%ED%A0%80",
    "invalid UTF-8 in GET variables": "query="
    + BY_NATIVE_ID
    + "&variables=%7B%22v%22:%22%FF%22%7D",
    "invalid UTF-8 in a GET operationName": "query=query%20Q%7B__typename%7D&operationName=%FF",
    "surrogate in GET extensions": 'query={__typename}&extensions={"\\ud800":1}',
    "NUL in a GET query": "query=%7B__typename%00%7D",
    "NUL in GET variables": "query=" + BY_NATIVE_ID + "&variables=%7B%22v%22:%22a%5Cu0000%22%7D",
}


class _Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)


@pytest.fixture
def tracebacks() -> Iterator[list[logging.LogRecord]]:
    """Errors and tracebacks logged meanwhile, uvicorn's included (it does not propagate)."""
    handler = _Tracebacks()
    loggers = [logging.getLogger(), logging.getLogger("uvicorn.error")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)


def _assert_refused(gateway: Gateway, response_status: int, body: dict) -> None:
    assert 400 <= response_status < 500, (response_status, body)
    assert body.get("data") is None and body["errors"], body
    error = body["errors"][0]
    assert isinstance(error["message"], str) and error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", body
    assert all(not gateway.calls(backend) for backend in gateway.sandboxes)
    assert gateway.query(NORMAL)["data"]["customerByNativeId"]["lastName"] == "Moore"


@pytest.mark.parametrize("case", list(POST_BODIES))
def test_hostile_bytes_in_a_post_body_are_refused(
    gateway: Gateway, tracebacks: list[logging.LogRecord], case: str
) -> None:
    response = gateway.http.post(
        "/graphql", content=POST_BODIES[case], headers={"content-type": "application/json"}
    )
    assert response.headers["content-type"].startswith("application/json"), response.text
    _assert_refused(gateway, response.status_code, response.json())
    assert tracebacks == []


@pytest.mark.parametrize("case", list(GET_PARAMS))
def test_hostile_bytes_in_get_parameters_are_refused(
    gateway: Gateway, tracebacks: list[logging.LogRecord], case: str
) -> None:
    response = gateway.http.get("/graphql?" + GET_PARAMS[case].replace(" ", "%20"))
    assert response.headers["content-type"].startswith("application/json"), response.text
    _assert_refused(gateway, response.status_code, response.json())
    assert tracebacks == []


def test_a_valid_surrogate_pair_is_an_ordinary_character(gateway: Gateway) -> None:
    """An escaped pair (an emoji) is valid JSON and valid text: it is not refused."""
    body = b'{"query": "%s", "variables": {"v": "\\ud83d\\ude00"}}' % BY_NATIVE_ID_JSON
    response = gateway.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_an_escaped_backslash_before_u0000_is_text_not_nul(gateway: Gateway) -> None:
    """`\\u0000` as six characters (a backslash, then u0000) is ordinary text."""
    body = b'{"query": "%s", "variables": {"v": "BAK\\\\u0000"}}' % BY_NATIVE_ID_JSON
    response = gateway.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("header", ["accept-language", "x-request-id", "accept", "authorization"])
def test_header_bytes_that_are_not_ascii_are_no_500(
    gateway: Gateway, tracebacks: list[logging.LogRecord], header: str
) -> None:
    headers = {b"content-type": b"application/json", header.encode(): b"fr\xff\xed\xa0\x80"}
    response = gateway.http.post("/graphql", content=NORMAL_BODY, headers=headers)
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    assert tracebacks == []
    assert gateway.query(NORMAL)["data"]["customerByNativeId"]["lastName"] == "Moore"
