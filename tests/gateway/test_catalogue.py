"""The field catalogue is the one source of what each Customer field is, costs and needs: the
schema, the fast path, the cost rule and the prefetch list are all derived from it."""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

import pytest
from graphql import GraphQLObjectType, build_schema, get_named_type, is_object_type, parse

from adapters import model
from adapters.base import Capability
from adapters.carecloud import mapping as carecloud_mapping
from adapters.carecloud.adapter import CareCloudAdapter
from adapters.clubmed import mapping as clubmed_mapping
from adapters.clubmed.adapter import ClubMedAdapter
from adapters.relay.adapter import RelayAdapter
from gateway.auth import CanReadPII
from gateway.context import Loaders
from gateway.people import PERSON_CALLS
from gateway.schema import create_schema, print_schema
from gateway.schema.catalogue import (
    COSTS,
    CUSTOMER_FIELDS,
    LOADED,
    PROFILE,
    SEARCH_RESULT,
    CustomerField,
    Loaded,
    Record,
)
from gateway.schema.fastpath import graphql_object_type
from gateway.schema.relationships import RELATED_KINDS
from gateway.schema.types import PLAIN_READERS
from gateway.shape import analyse

# What each searching back end's search results carry (their `known_fields`, which the
# adapters' tests check against real answers of the sandboxes).
SEARCH_RESULTS = {
    model.Backend.CLUBMED: clubmed_mapping.SEARCH_FIELDS,
    model.Backend.CARECLOUD: carecloud_mapping.PERSONAL_FIELDS,
}


def _entry(graphql_name: str) -> CustomerField:
    [entry] = [f for f in CUSTOMER_FIELDS if f.graphql_name == graphql_name]
    return entry


def test_every_customer_field_of_the_printed_schema_is_an_entry_in_its_order() -> None:
    customer = build_schema(print_schema()).type_map["Customer"]
    assert isinstance(customer, GraphQLObjectType)
    # The related records (gateway/schema/relationships.py) follow the catalogue's entries.
    related = [kind.graphql_name for kind in RELATED_KINDS]
    assert [f.graphql_name for f in CUSTOMER_FIELDS] + related == list(customer.fields)
    assert [f.graphql_description for f in CUSTOMER_FIELDS] == [
        field.description for field in customer.fields.values()
    ][: len(CUSTOMER_FIELDS)]


def test_every_model_field_of_customer_is_a_record_entry() -> None:
    records = {f.name for f in CUSTOMER_FIELDS if isinstance(f.source, Record)}
    assert records == model.CUSTOMER_FIELDS


def test_the_fields_said_carried_by_search_results_are_those_every_search_returns() -> None:
    adapters = (ClubMedAdapter, CareCloudAdapter, RelayAdapter)
    searching = {a.backend for a in adapters if Capability.SEARCH in a.capabilities}
    assert searching == set(SEARCH_RESULTS)
    carried = frozenset.intersection(*SEARCH_RESULTS.values())
    assert {f.name for f in CUSTOMER_FIELDS if f.source is SEARCH_RESULT} == carried
    assert {f.name for f in CUSTOMER_FIELDS if f.source is PROFILE} == (
        model.CUSTOMER_FIELDS - carried
    )


def test_the_cost_rule_counts_the_profile_and_the_loaded_fields() -> None:
    costly = {
        f.graphql_name
        for f in CUSTOMER_FIELDS
        if f.source is PROFILE or isinstance(f.source, Loaded)
    }
    # And the person a record is: its searches of the other back ends (issue 16).
    assert set(COSTS) == costly | {"person"}
    assert COSTS["person"].calls == PERSON_CALLS
    assert all(
        COSTS[f.graphql_name] is f.source for f in CUSTOMER_FIELDS if f.graphql_name in COSTS
    )


def _selection(graphql_name: str) -> str:
    """The field as a query selects it: with a sub-selection where its type has fields."""
    customer = build_schema(print_schema()).type_map["Customer"]
    assert isinstance(customer, GraphQLObjectType)
    named = get_named_type(customer.fields[graphql_name].type)
    return f"{graphql_name} {{ __typename }}" if is_object_type(named) else graphql_name


@pytest.mark.parametrize("entry", CUSTOMER_FIELDS, ids=lambda f: f.graphql_name)
def test_each_field_costs_its_sources_calls_per_record(entry: CustomerField) -> None:
    node = _selection(entry.graphql_name)
    document = parse(
        f"{{ customers(filter: {{}}, first: 10) {{ edges {{ node {{ {node} }} }} }} }}"
    )
    [operation] = analyse(document, 100, COSTS).operations
    searches = 2
    assert operation.calls(None, 100) == searches + 10 * entry.source.calls


def test_the_profile_fields_share_one_call_per_record() -> None:
    profile = " ".join(_selection(f.graphql_name) for f in CUSTOMER_FIELDS if f.source is PROFILE)
    document = parse(f'{{ customer(id: "x") {{ {profile} }} }}')
    [operation] = analyse(document, 100, COSTS).operations
    assert operation.calls(None, 100) == 1 + 1  # the read, and the profile counted once


def test_the_prefetch_list_is_the_catalogues_loaded_sources() -> None:
    assert (
        tuple((f.graphql_name, f.source) for f in CUSTOMER_FIELDS if isinstance(f.source, Loaded))
        == LOADED
    )
    assert [name for name, _ in LOADED] == ["travelers", "travelDocuments"]
    # One per-request loader each, a loader of Loaders.
    names = [n for n, v in vars(Loaders).items() if isinstance(v, functools.cached_property)]
    loaders: Any = SimpleNamespace(**{name: object() for name in names})
    started = [source.loader(loaders) for _, source in LOADED]
    assert len({id(loader) for loader in started}) == len(started)
    assert all(loader in vars(loaders).values() for loader in started)
    assert [source.capability for _, source in LOADED] == [
        Capability.TRAVELERS,
        Capability.TRAVEL_DOCUMENTS,
    ]


def test_the_fast_path_takes_every_field_but_those_behind_a_permission() -> None:
    guarded = {f.graphql_name for f in CUSTOMER_FIELDS if f.permission is not None}
    assert guarded == {"birthdate"} and _entry("birthdate").permission is CanReadPII
    # loyalty reads its own selection (the summary's fields decide the lists read).
    selecting = {f.graphql_name for f in CUSTOMER_FIELDS if f.selecting is not None}
    assert selecting == {"loyalty"}
    assert set(PLAIN_READERS["Customer"]) == (
        {f.graphql_name for f in CUSTOMER_FIELDS} - guarded - selecting
    )
    fields = graphql_object_type(create_schema(), "Customer").fields
    for entry in CUSTOMER_FIELDS:
        direct = fields[entry.graphql_name].resolve.__module__ == "gateway.schema.fastpath"
        assert direct is (entry.permission is None and entry.selecting is None), entry.graphql_name
