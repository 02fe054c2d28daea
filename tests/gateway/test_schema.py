"""schema.graphql is the checked-in truth of the public API: it must match the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from graphql import parse, print_ast

from gateway.schema import print_schema

ROOT = Path(__file__).resolve().parents[2]


def test_checked_in_schema_matches_the_code() -> None:
    checked_in = (ROOT / "schema.graphql").read_text()
    assert checked_in == print_schema(), (
        "schema.graphql is stale: run `customer-gateway schema > schema.graphql`"
    )


def test_cli_prints_the_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "schema"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert result.stdout == print_schema()


def test_api_md_names_are_in_the_schema() -> None:
    # Read without descriptions: a described argument prints on a line of its own.
    sdl = print_ast(parse(re.sub(r'"""(?:.|\n)*?"""', "", print_schema())))
    for name in (
        "interface Node",
        "enum Backend",
        "type Customer implements Node",
        "type Phone",
        "type Address",
        "type Loyalty",
        "type Consent",
        "type Traveler implements Node",
        "type TravelDocument implements Node",
        "enum TravelDocumentType",
        "enum Capability",
        "input CustomerFilter",
        "type CustomerConnection",
        "type CustomerEdge",
        "type PageInfo",
        "input CreateCustomerInput",
        "input UpdateCustomerInput",
        "input AddTravelerInput",
        "input UpdateTravelDocumentsInput",
        "input TravelDocumentInput",
        "input PhoneInput",
        "input AddressInput",
        "type CreateCustomerPayload",
        "type UpdateCustomerPayload",
        "type AddTravelerPayload",
        "type UpdateTravelDocumentsPayload",
        "customerByNativeId(backend: Backend!, nativeId: String!): Customer",
        "nodes(ids: [ID!]!): [Node]!",
    ):
        assert name in sdl, name
