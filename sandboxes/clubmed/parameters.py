"""What the Club Med sandbox's routes read of a request: the accept-language header, the
path's customer_id, query parameters and the JSON body, each refused with a 400 naming it."""

from __future__ import annotations

import re
from typing import Any, Final

from starlette.requests import Request

from sandboxes.clubmed.errors import bad_body, bad_parameter
from sandboxes.common import parameters

# A language tag (BCP 47, loosely): "fr", "en-US", "zh-Hant-TW".
_LANGUAGE_TAG: Final = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def require_language(request: Request) -> str:
    """The `accept-language` tag (the first entry of a list), or a 400 naming the header."""
    raw = request.headers.get("accept-language")
    if raw is None or not raw.strip():
        raise bad_parameter("accept-language", "The accept-language header is required")
    first = raw.split(",", 1)[0].split(";", 1)[0].strip()
    if not _LANGUAGE_TAG.match(first):
        raise bad_parameter("accept-language", "accept-language must be a language tag")
    return first


def is_language_tag(value: str) -> bool:
    return bool(_LANGUAGE_TAG.match(value))


def customer_id_param(request: Request) -> str:
    """The path's customer_id: digits, else 400 (CONTRACT.md "Ids")."""
    customer_id: str = request.path_params["customer_id"]
    if not customer_id.isascii() or not customer_id.isdigit():
        raise bad_parameter("customer_id", "customer_id must be made of digits")
    return customer_id


def int_param(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    """An integer query parameter within [low, high], else 400 INVALID_PARAMETER."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise bad_parameter(name, f"{name} must be an integer")
    value = int(raw)
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise bad_parameter(name, f"{name} must be {bound}")
    return value


def bool_param(request: Request, name: str) -> bool:
    """`true` or `false` (absent: false), else 400."""
    raw = request.query_params.get(name)
    if raw is None or raw == "false":
        return False
    if raw == "true":
        return True
    raise bad_parameter(name, f"{name} must be true or false")


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON object, or a 400 INVALID_BODY naming the body."""
    return await parameters.json_object(request, lambda why: bad_body("body", why))
