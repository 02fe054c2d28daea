"""Every GraphQL block of README.md runs as pasted: one operation per block, its variables in
the ```json block right after it, against `customer-gateway serve` with no configuration (the
data a newcomer sees), in the order README gives them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from graphql import OperationDefinitionNode, parse

from tests.gateway.test_cli import served  # noqa: F401  (the `serve` process, a fixture)

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"```(graphql|json)\n(.*?)```", re.DOTALL)


def readme_examples() -> list[tuple[str, dict[str, object] | None]]:
    """(document, variables) of each graphql block; variables from the json block after it."""
    blocks = _BLOCK.findall(README.read_text())
    examples: list[tuple[str, dict[str, object] | None]] = []
    for position, (language, text) in enumerate(blocks):
        if language != "graphql":
            continue
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        variables = json.loads(following[1]) if following and following[0] == "json" else None
        examples.append((text, variables))
    return examples


EXAMPLES = readme_examples()


def test_readme_has_its_examples() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize(
    "document, variables", EXAMPLES, ids=[f"block{n}" for n in range(len(EXAMPLES))]
)
def test_each_block_is_one_operation_with_its_variables(
    document: str, variables: dict[str, object] | None
) -> None:
    operations = [d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1, "pasted whole, GraphiQL runs one operation per block"
    declared = {v.variable.name.value for v in operations[0].variable_definitions or ()}
    assert declared == set(variables or {}), "the json block after it gives each variable"


def test_each_block_answers_as_pasted(served: tuple[str, str]) -> None:  # noqa: F811
    url, token = served
    for document, variables in EXAMPLES:
        body = httpx.post(
            f"{url}/graphql",
            json={"query": document, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        assert "errors" not in body, (document, body)
        assert all(value is not None for value in body["data"].values()), (document, body)
