"""Moved to the end of the session (tests/conftest.py): every query document the suite ran,
executed on graphql-core alone and from its compiled plan (gateway/plans), must answer the
same: `data` byte for byte, the same errors, the same response extensions."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from graphql import get_introspection_query

from adapters.model import Backend
from bench.operations import OPERATIONS
from gateway.auth import ALL_SCOPES
from tests.conftest import RunningSandbox
from tests.gateway.conftest import gateway_settings
from tests.plans_corpus import CORPUS, Recorded, compare_executions

# Documents of their own, so that the test compares something when run alone: the
# benchmark's queries, with fragments, aliases, @skip/@include and variables in play.
OWN_DOCUMENTS = [
    *(q for q in OPERATIONS.values() if q.lstrip().startswith(("query", "{"))),
    """query Q($skip: Boolean!, $last: String!) {
         a: customers(filter: {lastName: $last}, first: 3) {
           totalCount edges { cursor node { ...who phones @skip(if: $skip) { e164 } } }
         }
         b: customers(filter: {lastName: $last}, first: 2) { edges { node { __typename id } } }
       }
       fragment who on Customer { id firstName lastName email backend @include(if: true) }""",
    '{ customer(id: "not-a-global-id") { id } }',
    '{ nodes(ids: ["Q3VzdG9tZXI6bm8=", "bad"]) { id ... on Customer { lastName } } }',
    "{ __typename __schema { queryType { name } } }",
    # What GraphiQL sends on load: the whole schema, through nested fragments.
    get_introspection_query(descriptions=True),
]
OWN_VARIABLES = [{}, {"skip": False, "last": "Smith"}, {"skip": True, "last": "Smith"}]


def _own() -> list[Recorded]:
    everyone = frozenset(ALL_SCOPES)
    return [
        Recorded(query, json.dumps(variables), None, "corpus", everyone)
        for query in OWN_DOCUMENTS
        for variables in OWN_VARIABLES
    ]


def test_every_query_of_the_suite_answers_the_same_from_its_plan(
    gateway_sandboxes: dict[Backend, RunningSandbox], tmp_path: Path
) -> None:
    for sandbox in gateway_sandboxes.values():
        sandbox.reset()
    settings = gateway_settings(gateway_sandboxes, identity_store=str(tmp_path / "id.sqlite"))
    documents = [*_own(), *CORPUS]
    planned, differences = asyncio.run(compare_executions(settings, documents))
    print(f"{len(documents)} query documents compared, {planned} run from a plan")
    # Each document that executed ran from a plan (one falling back to graphql-core would
    # compare graphql-core with itself): checked per document in `compare_executions`.
    assert planned >= len(OWN_DOCUMENTS)
    assert differences == [], "\n".join(differences[:10])
