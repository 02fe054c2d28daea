"""The GraphiQL page of development mode: it opens with the development token already set."""

from __future__ import annotations

import orjson


def graphiql_page(html: str, development_token: str | None) -> str:
    """Strawberry's GraphiQL page, its default headers carrying `development_token` if any."""
    if not development_token:
        return html
    header = orjson.dumps({"Authorization": f"Bearer {development_token}"}).decode()
    html = html.replace("const defaultHeaders = {};", f"const defaultHeaders = {header};")
    return html.replace(
        "React.useState(parameters.headers)",
        f"React.useState(parameters.headers || {orjson.dumps(header).decode()})",
    )
