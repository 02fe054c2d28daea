"""Bearer tokens as the Club Med and CareCloud sandboxes issue them: a holder, a lifetime,
and refusals in the back end's own error."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from starlette.responses import JSONResponse

from sandboxes.common.auth import BearerTokens
from sandboxes.common.errors import SandboxError


@dataclass(eq=False)
class Refused(SandboxError):
    why: str

    def response(self) -> JSONResponse:
        return JSONResponse({"why": self.why}, status_code=401)


def _tokens(ttl_seconds: float = 60.0) -> BearerTokens[str]:
    serial = itertools.count()
    return BearerTokens(ttl_seconds, new_token=lambda: f"token-{next(serial)}", refuse=Refused)


def test_a_token_stands_for_its_holder() -> None:
    tokens = _tokens()
    first, second = tokens.issue("client-a"), tokens.issue("client-b")
    assert (first, second) == ("token-0", "token-1")
    assert (tokens.holder(first), tokens.holder(second)) == ("client-a", "client-b")


def test_an_unknown_token_is_refused_in_the_back_ends_error() -> None:
    with pytest.raises(Refused) as refused:
        _tokens().holder("forged")
    assert refused.value.why == "The bearer token is not valid"


def test_a_token_past_its_lifetime_is_refused() -> None:
    tokens = _tokens(ttl_seconds=0.0)
    with pytest.raises(Refused) as refused:
        tokens.holder(tokens.issue("client-a"))
    assert refused.value.why == "The bearer token has expired"


def test_expire_all_expires_every_token_issued_so_far() -> None:
    tokens = _tokens()
    issued = [tokens.issue("client-a"), tokens.issue("client-b")]
    tokens.expire_all()
    for token in issued:
        with pytest.raises(Refused) as refused:
            tokens.holder(token)
        assert refused.value.why == "The bearer token has expired"
    assert tokens.holder(tokens.issue("client-a")) == "client-a"  # a new one works
