"""The plan executor against graphql-core on a schema made to misbehave: nulls in non-null
places, failing list items, sync and async failures, interfaces and unions, aliases,
fragments, arguments from literals and variables. Both must give the same answer."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import orjson
import pytest
import strawberry
from graphql import GraphQLError

from gateway.plans.cache import PlanCache
from gateway.plans.executor import planned_executor
from tests.plans_corpus import plan_cache


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Dog(Named):
    barks: bool


@strawberry.type
class Cat(Named):
    lives: int


Pet = Annotated[Dog | Cat, strawberry.union("Pet")]


@strawberry.type
class Item:
    id: strawberry.ID
    label: str | None

    @strawberry.field
    def must(self) -> str:
        return None  # type: ignore[return-value]

    @strawberry.field
    def maybe(self) -> str | None:
        raise ValueError(f"no maybe for {self.id}")

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        if self.id == "2":
            raise ValueError("later failed")
        return f"later {self.id}"

    @strawberry.field
    def big(self) -> int:
        return 2**40  # beyond GraphQL's Int: a coercion error


@strawberry.type
class Query:
    @strawberry.field
    def items(self, count: int = 3) -> list[Item]:
        return [
            Item(id=strawberry.ID(str(i)), label=None if i % 2 else f"l{i}") for i in range(count)
        ]

    @strawberry.field
    def strict_items(self) -> list[Item]:
        return [Item(id=strawberry.ID("1"), label="a"), None]  # type: ignore[list-item]

    @strawberry.field
    async def loose_items(self) -> list[Item | None] | None:
        return [
            Item(id=strawberry.ID("1"), label="a"),
            None,
            Item(id=strawberry.ID("2"), label=None),
        ]

    @strawberry.field
    def numbers(self) -> list[int | None]:
        return [1, None, 2**40, 3]

    @strawberry.field
    def pets(self) -> list[Pet]:
        return [Dog(name="rex", barks=True), Cat(name="tom", lives=9)]

    @strawberry.field
    def named(self) -> list[Named]:
        return [Cat(name="kit", lives=3), Dog(name="fido", barks=False)]

    @strawberry.field
    def not_a_list(self) -> list[int] | None:
        return 5  # type: ignore[return-value]

    @strawberry.field
    def wrong_type(self) -> Dog | None:
        return Cat(name="imposter", lives=1)  # type: ignore[return-value]

    @strawberry.field
    def echo(self, text: str, times: int = 1) -> str:
        return text * times


DOCUMENTS: list[tuple[str, dict[str, Any]]] = [
    ("{ items { id label } }", {}),
    ("{ items(count: 4) { id must } }", {}),
    ("{ items { id maybe label } }", {}),
    ("{ items { id later } }", {}),
    ("{ items { big } }", {}),
    ("{ strictItems { id } }", {}),
    ("{ looseItems { id later } }", {}),
    ('{ looseItems { id must } other: echo(text: "x") }', {}),
    ("{ numbers }", {}),
    ("{ pets { __typename ... on Dog { name barks } ... on Cat { name lives } } }", {}),
    ("{ named { name __typename ... on Cat { lives } } }", {}),
    ("{ notAList }", {}),
    ("{ wrongType { name } }", {}),
    ('{ a: echo(text: "ab", times: 2) b: echo(text: "c") }', {}),
    ("query ($t: String!, $n: Int) { echo(text: $t, times: $n) }", {"t": "z", "n": 3}),
    ("query ($n: Int!) { items(count: $n) { ...f id } } fragment f on Item { label }", {"n": 2}),
    (
        "query ($s: Boolean!) { items { id label @skip(if: $s) later @include(if: $s) } }",
        {"s": True},
    ),
    (
        "query ($s: Boolean!) { items { id label @skip(if: $s) later @include(if: $s) } }",
        {"s": False},
    ),
    ("{ items { id } items { label } __typename }", {}),
]


def _schema(planned: bool) -> strawberry.Schema:
    executor = planned_executor(PlanCache()) if planned else None
    return strawberry.Schema(query=Query, types=[Dog, Cat], execution_context_class=executor)


def _answer(result: Any) -> tuple[bytes, list[bytes]]:
    errors: list[GraphQLError] = result.errors or []
    formatted = sorted(orjson.dumps(e.formatted, option=orjson.OPT_SORT_KEYS) for e in errors)
    return orjson.dumps(result.data), formatted


@pytest.mark.parametrize(("document", "variables"), DOCUMENTS)
def test_a_plan_answers_as_graphql_core(document: str, variables: dict[str, Any]) -> None:
    plain, planned = _schema(planned=False), _schema(planned=True)

    async def both() -> tuple[Any, Any]:
        expected = await plain.execute(document, variable_values=variables)
        # Twice: the first run compiles the plan, the second runs it from the cache.
        await planned.execute(document, variable_values=variables)
        got = await planned.execute(document, variable_values=variables)
        return expected, got

    expected, got = asyncio.run(both())
    assert _answer(got) == _answer(expected)
    assert plan_cache(planned).runs == 2
