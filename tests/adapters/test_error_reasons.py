"""An upstream error's `reason` has one spelling whatever the back end: upper snake case.

The exchange is under test, not a back end, so httpx's MockTransport stands in for the
network (as in upstream/test_send.py); the back ends' own spellings are tested end to end in
tests/gateway/test_backend_rules.py.
"""

from __future__ import annotations

import httpx
import pytest

from adapters.errors import UpstreamBadRequest, UpstreamConflict, UpstreamError
from adapters.model import Backend
from adapters.upstream import Upstream

pytestmark = pytest.mark.anyio


def _reason_of(response: httpx.Response) -> tuple[str | None, str | None]:
    body = response.json()
    return body.get("field"), body.get("reason")


async def _refusal(status: int, reason: str) -> UpstreamError:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"field": "email", "reason": reason})

    transport = httpx.MockTransport(answer)
    upstream = Upstream(
        Backend.CARECLOUD, transport, base_url="http://backend.test", error_detail=_reason_of
    )
    with pytest.raises(UpstreamError) as caught:
        await upstream.send("POST", "/customers", operation="test.create")
    return caught.value


@pytest.mark.parametrize(
    ("reason", "normalised"),
    [
        ("not_found", "NOT_FOUND"),
        ("INVALID_BODY", "INVALID_BODY"),
        ("invalid-value-format", "INVALID_VALUE_FORMAT"),
        ("notAllowedValue", "NOT_ALLOWED_VALUE"),
        ("this is prose, not a code", None),
    ],
)
async def test_a_reason_is_upper_snake_case(reason: str, normalised: str | None) -> None:
    error = await _refusal(400, reason)
    assert isinstance(error, UpstreamBadRequest)
    assert (error.field, error.reason) == ("email", normalised)


@pytest.mark.parametrize("reason", ["already_exists", "ALREADY_EXISTS"])
async def test_a_400_saying_it_exists_already_is_a_conflict(reason: str) -> None:
    error = await _refusal(400, reason)
    assert isinstance(error, UpstreamConflict)
    assert error.extensions == {
        "code": "CONFLICT",
        "backend": "CARECLOUD",
        "field": "email",
        "reason": "ALREADY_EXISTS",
    }
