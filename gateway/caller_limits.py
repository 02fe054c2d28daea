"""Callers' request rate limits: per token subject, and per subject and operation name.

Each GraphQL operation (each item of a batch) counts one request in fixed windows of
GATEWAY_RATE_LIMIT_WINDOW_SECONDS: against GATEWAY_RATE_LIMIT per caller and
GATEWAY_RATE_LIMIT_PER_OPERATION per caller and operation name (0 turns either off). The
counts live in the fleet's `WindowCounter` (Redis, so every replica counts into one window;
in-process without it). Past a quota the operation is refused, 429 with RATE_LIMITED and
`Retry-After`. Every answer under a limit carries the IETF RateLimit fields
(draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy` lists the quotas,
`RateLimit` the remaining requests and seconds of the policy closest to its end.

Keys are digests: a token's subject may be an e-mail and never sits in Redis as itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from gateway.fleet.shared import digest
from gateway.ratelimit import Count, WindowCounter

__all__ = ["CallerLimits", "Verdict"]

# The name of an operation sent without one, for the per-operation quota.
ANONYMOUS: Final = "(anonymous)"


@dataclass(frozen=True, slots=True)
class Quota:
    name: str  # "caller" or "operation": the policy's name in the RateLimit fields
    limit: int


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the operation may run, and the RateLimit fields of the answer."""

    allowed: bool
    headers: dict[str, str]
    retry_after: int = 0


class CallerLimits:
    """The quotas of the settings over a shared counter."""

    def __init__(
        self,
        counter: WindowCounter,
        *,
        per_caller: int,
        per_operation: int,
        window_seconds: float,
    ) -> None:
        self.counter = counter
        self.window_seconds = window_seconds
        self.quotas = tuple(
            quota
            for quota in (Quota("caller", per_caller), Quota("operation", per_operation))
            if quota.limit > 0
        )
        window = math.ceil(window_seconds)
        self.policy = ", ".join(f'"{q.name}";q={q.limit};w={window}' for q in self.quotas)

    @property
    def enabled(self) -> bool:
        return bool(self.quotas)

    async def check(self, subject: str, operation: str | None) -> Verdict:
        """Count one operation of `subject` and say whether it is within every quota."""
        counts: list[tuple[Quota, Count]] = []
        for quota in self.quotas:
            parts = (subject,) if quota.name == "caller" else (subject, operation or ANONYMOUS)
            counts.append(
                (quota, await self.counter.hit(_key(quota.name, *parts), self.window_seconds))
            )
        quota, count = min(counts, key=lambda pair: pair[0].limit - pair[1].hits)
        remaining = max(quota.limit - count.hits, 0)
        reset = _seconds_left(count)
        headers = {
            "RateLimit-Policy": self.policy,
            "RateLimit": f'"{quota.name}";r={remaining};t={reset}',
        }
        over = [_seconds_left(c) for q, c in counts if c.hits > q.limit]
        if over:
            retry = max(over)
            return Verdict(False, {**headers, "Retry-After": str(retry)}, retry)
        return Verdict(True, headers)


def _seconds_left(count: Count) -> int:
    """The whole seconds until the count's window ends (at least 1)."""
    return max(math.ceil(count.reset_seconds), 1)


def _key(kind: str, *parts: str) -> str:
    return f"{kind}:{digest(*parts)}"
