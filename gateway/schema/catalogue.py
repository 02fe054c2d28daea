"""The Customer field catalogue: per field, where its value comes from and what it costs.

One entry per field of the GraphQL `Customer`, in the schema's order. Everything that hangs
on "which field costs which upstream call" is derived from it: the Strawberry fields of
Customer (`types.py`), their plain resolvers on the fast path (`fastpath.py`), the cost
rule's names and calls per customer (`COSTS`, handed to `gateway.shape` by
`create_schema`) and the loads started beside a profile (`LOADED`, `query.prefetch_lists`).

A field's source says how it is read and what it costs: `Key` (on every record), `Record`
(a model field a record carries, as its back end's `known_fields` says, else read off the
profile), `Loaded` (a per-customer sub-resource behind its own loader and capability) or
`Computed`. Adding a sub-resource is a `Loaded` source (its loader in `Loaders`) and one
entry here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, get_type_hints

import strawberry
from strawberry.utils.str_converters import to_camel_case, to_snake_case

from adapters.base import Capability
from adapters.model import Customer, TravelDocument, Traveler
from adapters.relationships import LOYALTY_FIELDS
from gateway.auth import CanReadPII, ScopePermission
from gateway.context import Context, Loaders
from gateway.identity import Person
from gateway.ids import CUSTOMER, encode_id
from gateway.loaders import ByBackendLoader, LoyaltyKey, NativeKey
from gateway.people import PERSON_CALLS, people_of
from gateway.schema.phones import with_backend, with_backend_later

# A field's value off its customer: the value itself or, when it must be fetched, an
# awaitable of it. graphql-core awaits only what needs awaiting, so a field the record
# already carries costs no coroutine.
Read = Callable[[Customer, Context], object]

# A field's value off its customer, given the model names its own selection holds: for a
# field whose cheapest read depends on its sub-fields (`loyalty`).
ReadSelecting = Callable[[Customer, Context, frozenset[str]], object]

# The model's own annotations: a Record field's GraphQL type is its model field's type.
_MODEL_TYPES: Final = get_type_hints(Customer)


class Source(ABC):
    """Where the values of some Customer fields come from.

    `calls` is what selecting any of its fields costs upstream per customer, in the worst
    case: the fields of one source share its calls (one profile call serves every profile
    field). Sources compare by identity, so two loaders never pass for one.
    """

    __slots__ = ()
    calls: int

    @abstractmethod
    def reader(self, name: str) -> Read:
        """How the field `name` of this source is read off its customer."""

    @abstractmethod
    def graphql_type(self, name: str) -> object:
        """The type the field `name` of this source has in the schema."""


@dataclass(frozen=True, eq=False, slots=True)
class Key(Source):
    """The record's key (back end, native id): on every record, whatever answered it."""

    calls: int = 0

    def reader(self, name: str) -> Read:
        return lambda root, context: getattr(root, name)

    def graphql_type(self, name: str) -> object:
        return _MODEL_TYPES[name]


@dataclass(frozen=True, eq=False, slots=True)
class Record(Source):
    """A model field of Customer: read off the record when it carries it, else off its profile.

    What a record carries is its back end's `known_fields`, at run time; `calls` is the cost
    rule's worst case: 0 where every searching back end's results carry the field, 1 (the
    profile, through the customer loader) where some do not.
    """

    calls: int

    def reader(self, name: str) -> Read:
        def read(root: Customer, context: Context) -> object:
            if name in root.known_fields:
                return getattr(root, name)
            return _from_profile(root, context, name)

        return read

    def graphql_type(self, name: str) -> object:
        return _MODEL_TYPES[name]


@dataclass(frozen=True, eq=False, slots=True)
class Loaded(Source):
    """A sub-resource of the customer: its own loader, where its back end has `capability`.

    Null, with nothing sent, where the back end lacks the capability. `graphql_type` is the
    field's type, nullable for that reason.
    """

    loader: Callable[[Loaders], ByBackendLoader[Any]]
    capability: Capability
    type: object
    calls: int = 1

    def reader(self, name: str) -> Read:
        def read(root: Customer, context: Context) -> Awaitable[object] | None:
            if not context.adapter(root.backend).supports(self.capability):
                return None
            return self.loader(context.loaders).load(NativeKey(root.backend, root.native_id))

        return read

    def graphql_type(self, name: str) -> object:
        return self.type


@dataclass(frozen=True, eq=False, slots=True)
class Computed(Source):
    """Worked out from the record and the request alone, at no upstream cost."""

    read: Read
    type: object
    calls: int = 0

    def reader(self, name: str) -> Read:
        return self.read

    def graphql_type(self, name: str) -> object:
        return self.type


@dataclass(frozen=True, slots=True)
class CustomerField:
    """One field of Customer: the model's name, its source, its description and permission.

    The GraphQL name is the model name in camelCase; the schema's description names the
    permission's scope at its end ("Needs pii:read.").
    """

    name: str
    source: Source
    description: str | None = None
    permission: type[ScopePermission] | None = None
    # Phones: each carries its record's back end, which `Phone.e164` reads.
    located: bool = False
    # Read with the field's own selection (not on the fast path): see ReadSelecting.
    selecting: ReadSelecting | None = None
    graphql_name: str = field(init=False)
    read: Read = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "graphql_name", to_camel_case(self.name))
        read = self.source.reader(self.name)
        object.__setattr__(self, "read", _located(read) if self.located else read)

    @property
    def graphql_description(self) -> str | None:
        if self.permission is None:
            return self.description
        needs = f"Needs {self.permission.scope}."
        return f"{self.description} {needs}" if self.description else needs

    @property
    def graphql_type(self) -> object:
        return self.source.graphql_type(self.name)


def _located(read: Read) -> Read:
    def located(root: Customer, context: Context) -> object:
        value = read(root, context)
        if isinstance(value, tuple | list):
            return with_backend(value, root.backend)
        return with_backend_later(value, root.backend)  # type: ignore[arg-type]

    return located


async def _from_profile(root: Customer, context: Context, name: str) -> object:
    profile = await context.loaders.customer.load(NativeKey(root.backend, root.native_id))
    return getattr(profile, name)


async def _loyalty(root: Customer, context: Context, selected: frozenset[str]) -> object:
    """The summary off the record when it carries it, else through the loyalty loader.

    That loader takes it off the profile when the request asks for the profile anyway, and
    otherwise reads the summary alone (`get_loyalties`), limited to the fields selected:
    a search result's `loyalty { status }` costs CareCloud one list per customer, not the
    customer record again and three lists.
    A coroutine, as `_from_profile`: the load starts when graphql-core gathers the
    customer's fields, after the sibling profile fields' loads have been asked (the loader
    then sees them).
    """
    if "loyalty" in root.known_fields:
        return root.loyalty
    fields = frozenset(to_snake_case(name) for name in selected) & LOYALTY_FIELDS
    return await context.loaders.loyalty.load(LoyaltyKey(root.backend, root.native_id, fields))


def _customer_id(root: Customer, context: Context) -> strawberry.ID:
    return strawberry.ID(encode_id(CUSTOMER, root.backend, root.native_id))


def _capabilities(root: Customer, context: Context) -> list[Capability]:
    """What the record's back end supports, in the enum's order."""
    supported = context.adapter(root.backend).capabilities
    return [capability for capability in Capability if capability in supported]


def _person(root: Customer, context: Context) -> Awaitable[object]:
    return people_of(context).of(root)


KEY: Final = Key()
# Carried by the results of every back end that searches (Club Med and CareCloud).
SEARCH_RESULT: Final = Record(calls=0)
# Missing from some search results: a profile call per record when selected.
PROFILE: Final = Record(calls=1)
TRAVELERS: Final = Loaded(
    loader=lambda loaders: loaders.travelers,
    capability=Capability.TRAVELERS,
    type=list[Traveler] | None,
)
TRAVEL_DOCUMENTS: Final = Loaded(
    loader=lambda loaders: loaders.travel_documents,
    capability=Capability.TRAVEL_DOCUMENTS,
    type=list[TravelDocument] | None,
)

CUSTOMER_FIELDS: Final = (
    CustomerField(
        "id",
        Computed(_customer_id, strawberry.ID),
        "The global id: opaque and stable; customer, node and nodes take it back.",
    ),
    CustomerField("backend", KEY, "The back end that holds this record."),
    CustomerField("native_id", KEY, "Club Med customer_id, CareCloud customer_id, Relay ccid."),
    CustomerField(
        "membership_number",
        PROFILE,
        "Club Med gm_number, Relay secondary_account_id, CareCloud first card.",
    ),
    CustomerField(
        "first_name", SEARCH_RESULT, "The first name, from every back end; null where none is held."
    ),
    CustomerField(
        "middle_name",
        PROFILE,
        "The middle name: Club Med's second_name, Relay's; null on CareCloud.",
    ),
    CustomerField(
        "last_name", SEARCH_RESULT, "The last name, from every back end; null where none is held."
    ),
    CustomerField(
        "birthdate",
        SEARCH_RESULT,
        "ISO yyyy-mm-dd, whatever the back end sends.",
        permission=CanReadPII,
    ),
    CustomerField(
        "birth_city", PROFILE, "The city of birth: Club Med only; null on CareCloud and Relay."
    ),
    CustomerField("gender", PROFILE, "The gender, from every back end; null where none is held."),
    CustomerField(
        "email", SEARCH_RESULT, "The email address: Club Med and CareCloud; null on Relay."
    ),
    CustomerField(
        "phones",
        SEARCH_RESULT,
        "The phone numbers, from every back end (CareCloud holds one); empty when none.",
        located=True,
    ),
    CustomerField(
        "addresses",
        PROFILE,
        "Postal addresses: Club Med and CareCloud hold one, Relay several; empty when none.",
    ),
    CustomerField("locale", PROFILE, "BCP 47, e.g. fr-FR."),
    CustomerField(
        "third_name", PROFILE, "A third given name: Club Med's third_name; null elsewhere."
    ),
    CustomerField(
        "civility",
        PROFILE,
        "The form of address as the back end codes it (Club Med MR, MRS); null elsewhere.",
    ),
    CustomerField(
        "identity",
        PROFILE,
        "The identity number: Club Med's identity; null elsewhere (CareCloud and Relay hold none).",
    ),
    CustomerField(
        "loyalty",
        PROFILE,
        "Loyalty standing, from every back end; null where the back end holds none for the "
        "customer, and a sub-field the back end does not fill is null.",
        selecting=_loyalty,
    ),
    CustomerField(
        "consents", PROFILE, "CareCloud agreements, Relay notification consent, Club Med optins."
    ),
    CustomerField(
        "capabilities",
        Computed(_capabilities, list[Capability]),
        "What this record's back end can do, in the enum's order; costs no upstream call.",
    ),
    CustomerField("travelers", TRAVELERS, "Null where the back end has no travelers."),
    CustomerField(
        "travel_documents", TRAVEL_DOCUMENTS, "Null where the back end has no travel documents."
    ),
    CustomerField(
        "person",
        Computed(_person, Person | None, calls=PERSON_CALLS),
        "The person this record is, with the person's other records in every back end "
        f"(issue 16). Costs up to {PERSON_CALLS} upstream calls: searches of the other back "
        "ends by this record's e-mail, phones and name, shared within a request.",
    ),
)

# The cost rule's table: per GraphQL name, the source whose calls selecting it costs.
COSTS: Final[Mapping[str, Source]] = {
    field.graphql_name: field.source for field in CUSTOMER_FIELDS if field.source.calls
}
# The sub-resources a read of one customer starts beside its profile, when selected.
LOADED: Final = tuple(
    (field.graphql_name, field.source)
    for field in CUSTOMER_FIELDS
    if isinstance(field.source, Loaded)
)
