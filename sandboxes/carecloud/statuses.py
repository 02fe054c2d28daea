"""The CareCloud sandbox's status catalog: the loyalty tiers a status record points to
(`GET /statuses`, `GET /statuses/{status_id}`, [DOC] CC-spec `schemas/Status.yaml`,
docs/backends/carecloud.md#sources)."""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from sandboxes.carecloud.envelope import data, page_of
from sandboxes.carecloud.errors import not_found
from sandboxes.carecloud.parameters import paging

SILVER: Final = "86e05afc7a7abefcd513ab4002"
GOLD: Final = "86e05afc7a7abefcd513ab4003"
BASIC: Final = "86e05afc7a7abefcd513ab4001"
PLATINUM: Final = "86e05afc7a7abefcd513ab4004"
# [INF] A status outside the tier ladder: a merchant names its statuses freely (the CC-spec's
# Status.name is free text), so a catalog may hold one no tier is named after. Held only by
# the seed's verify examples' customer (seed.py).
STAFF: Final = "86e05afc7a7abefcd513ab4009"
_STATUS_NAMES: Final = (
    (BASIC, "Basic"),
    (SILVER, "Silver"),
    (GOLD, "Gold"),
    (PLATINUM, "Platinum"),
)


def _status(rank: int, status_id: str, name: str) -> dict[str, Any]:
    """One status of the catalog ([DOC] CC-spec `schemas/Status.yaml`); rank -1 is outside
    the ladder (no previous or next status)."""
    ids = [s for s, _ in _STATUS_NAMES]
    laddered = rank >= 0
    return {
        "status_id": status_id,
        "name": name,
        "description": f"{name} members",
        "qualification_period": 12,
        "previous_status": ids[rank - 1] if laddered and rank else None,
        "next_status": ids[rank + 1] if laddered and rank + 1 < len(ids) else None,
        "validity_period": "1 year",
        "collection_points": True,
        "payment_points": rank > 0,
        "qualification_type": 1 if rank == 0 else 3,
        "discount": 5 * rank if laddered else 0,
        "last_change": "2023-01-01 00:00:00",
    }


STATUSES: Final = (
    *(_status(rank, sid, name) for rank, (sid, name) in enumerate(_STATUS_NAMES)),
    _status(-1, STAFF, "Staff"),
)


async def list_statuses(request: Request) -> JSONResponse:
    return page_of(list(STATUSES), "statuses", paging(request, None))


async def get_status(request: Request) -> JSONResponse:
    status_id = request.path_params["status_id"]
    for status in STATUSES:
        if status["status_id"] == status_id:
            return data(status)
    raise not_found("statuses", status_id)


def routes() -> list[BaseRoute]:
    return [
        Route("/statuses", list_statuses, methods=["GET"]),
        Route("/statuses/{status_id}", get_status, methods=["GET"]),
    ]
