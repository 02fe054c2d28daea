"""The Person types (issue 16): one person across back ends, its records with why each is in,
its merged values with their sources, and the fields on which its records disagree.

`Person`, `PersonRecord` and `MatchEvidence` are worn by the identity model's classes
(`fastpath.bind`); a merged value is a `Sourced...` object made here, one type per kind of
value. A merged value follows the scopes of the Customer field it comes from: a birthdate
needs pii:read. Match evidence holds rule names, weights and similarities, never a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

import strawberry
from strawberry.permission import BasePermission
from strawberry.utils.str_converters import to_camel_case

from adapters.model import Address, Backend, Consent, Customer, Gender, Loyalty, Phone
from gateway.auth import CanReadPII
from gateway.identity import Evidence, Linked, Member, Merged, Person, Rule, Sourced, WinBy
from gateway.ids import CUSTOMER, encode_id, encode_person_id
from gateway.people import people_of
from gateway.schema.enums import described_enum
from gateway.schema.fastpath import bind, implement
from gateway.schema.pagination import PageInfo
from gateway.schema.phones import with_backend
from gateway.schema.types import GatewayInfo, NodeInterface

LinkedByEnum = described_enum(
    Linked,
    "How a record came to be in a person.",
    {
        Linked.SEED: "The record the person was resolved from.",
        Linked.RULES: "The matcher said so: its score is 0.5 or more against a member.",
        Linked.STEWARD: "A steward linked it (linkCustomers), whatever the rules say.",
    },
    name="LinkedBy",
)
WinByEnum = described_enum(
    WinBy,
    "Why a merged value won, per field (MergePolicy in gateway/identity/merge.py).",
    {
        WinBy.SOURCE_PRIORITY: "Its back end comes first: Club Med, CareCloud, Relay.",
        WinBy.MOST_RECENT: "Its record changed last.",
        WinBy.MOST_COMPLETE: (
            "It says the most: more phones, a longer or accented name, a locale with its region."
        ),
    },
    name="WinBy",
)
MatchRuleEnum = described_enum(
    Rule,
    (
        "A rule of the matcher. Values are compared normalised: e-mail folded, phones in "
        "E.164, names folded for case, accents and punctuation."
    ),
    {
        Rule.SAME_EMAIL: "The same e-mail address.",
        Rule.SAME_PHONE: "A phone number in common.",
        Rule.SAME_NAME_AND_BIRTHDATE: "The same name and birthdate (similarity: the names').",
        Rule.SIMILAR_FIRST_NAME: "First names alike (a typo, a nickname, accents dropped).",
        Rule.SIMILAR_LAST_NAME: "Last names alike.",
        Rule.SWAPPED_NAMES: "First and last names swapped.",
        Rule.SAME_BIRTHDATE: "The same birthdate.",
        Rule.NEAR_BIRTHDATE: "Birthdates a typo apart: a digit, a year, day and month swapped.",
        Rule.DIFFERENT_FIRST_NAME: "First names unlike: counts against.",
        Rule.DIFFERENT_LAST_NAME: "Last names unlike: counts against.",
        Rule.DIFFERENT_BIRTHDATE: "Different birthdates: counts against.",
        Rule.DIFFERENT_EMAIL: "Different e-mail addresses: counts against.",
        Rule.DIFFERENT_PHONE: "No phone number in common: counts a little against.",
        Rule.SAME_ADDRESS: "The same postal address (country and postal code).",
        Rule.DIFFERENT_ADDRESS: "Different postal addresses: counts against.",
    },
    name="MatchRule",
)


@strawberry.interface(
    name="Sourced",
    description="A value of a person and the record it comes from.",
)
class SourcedInterface:
    backend: Backend = strawberry.field(description="The back end of the record.")
    native_id: str = strawberry.field(description="The record's id in its back end.")
    customer_id: strawberry.ID = strawberry.field(description="The record's global Customer id.")
    won_by: WinBy | None = strawberry.field(
        description="Why this value won, for a merged value; null for a value in a conflict."
    )


@strawberry.type(description="A text value of a person, with its source.")
class SourcedString(SourcedInterface):
    value: str = strawberry.field(description="As the record holds it.")


@strawberry.type(description="A date of a person (a birthdate), with its source.")
class SourcedDate(SourcedInterface):
    value: date | None = strawberry.field(
        description="Needs pii:read, like Customer.birthdate.", permission_classes=[CanReadPII]
    )


@strawberry.type(description="A person's gender, with its source.")
class SourcedGender(SourcedInterface):
    value: Gender = strawberry.field(description="As the record holds it.")


@strawberry.type(description="A person's phones, as one record holds them, with their source.")
class SourcedPhones(SourcedInterface):
    value: list[Phone] = strawberry.field(
        description="As the record holds them, each with its E.164 form."
    )


@strawberry.type(description="A person's addresses, as one record holds them, with their source.")
class SourcedAddresses(SourcedInterface):
    value: list[Address] = strawberry.field(description="As the record holds them.")


@strawberry.type(description="A person's loyalty, as one record holds it, with its source.")
class SourcedLoyalty(SourcedInterface):
    value: Loyalty = strawberry.field(description="As the record holds it.")


@strawberry.type(description="A person's consents, as one record holds them, with their source.")
class SourcedConsents(SourcedInterface):
    value: list[Consent] = strawberry.field(description="As the record holds them.")


@strawberry.type(
    name="FieldConflict",
    description="A field on which a person's records disagree, once normalised.",
)
class FieldConflict:
    field: str = strawberry.field(description="The Customer field, as named in the schema.")
    values: list[SourcedInterface] = strawberry.field(
        description="Every record's value, with its source (`wonBy` null)."
    )


# Per merged field: its Sourced type, and whether reading it needs a permission.
_KINDS: Final[Mapping[str, type[SourcedInterface]]] = {
    "membership_number": SourcedString,
    "first_name": SourcedString,
    "middle_name": SourcedString,
    "last_name": SourcedString,
    "birthdate": SourcedDate,
    "birth_city": SourcedString,
    "gender": SourcedGender,
    "email": SourcedString,
    "phones": SourcedPhones,
    "addresses": SourcedAddresses,
    "locale": SourcedString,
    "loyalty": SourcedLoyalty,
    "consents": SourcedConsents,
}
_PERMISSIONS: Final[Mapping[str, type[BasePermission]]] = {"birthdate": CanReadPII}


def sourced(name: str, item: Sourced[object]) -> SourcedInterface:
    """The GraphQL object of a merged or conflicting value of the field `name`."""
    backend, native_id = item.source.backend, item.source.native_id
    value = item.value
    if name == "phones" and isinstance(value, tuple):
        value = with_backend(value, backend)
    elif isinstance(value, tuple):
        value = list(value)
    return _KINDS[name](  # type: ignore[call-arg]
        value=value,
        backend=backend,
        native_id=native_id,
        customer_id=strawberry.ID(encode_id(CUSTOMER, backend, native_id)),
        won_by=item.won_by,
    )


@strawberry.type(name="MatchEvidence", description="One rule that fired between two records.")
class MatchEvidenceObject:
    rule: Rule = strawberry.field(description="The rule, by name: never the values compared.")
    weight: float = strawberry.field(
        description="Points it added to the match (negative: against), in log-odds."
    )
    similarity: float | None = strawberry.field(
        description="For name rules, the names' Jaro-Winkler similarity (0 to 1); else null."
    )


def _score(root: strawberry.Parent[Member]) -> float | None:
    return None if root.match is None else root.match.score


def _evidence(root: strawberry.Parent[Member]) -> list[Evidence]:
    return [] if root.match is None else list(root.match.evidence)


def _rules(root: strawberry.Parent[Member]) -> list[Rule]:
    return [] if root.match is None else list(root.match.rules)


@strawberry.type(
    name="PersonRecord",
    description=(
        "A record of the person and why it is in: its best match against a record already "
        "in. Evidence names rules and similarities, never the other record's values."
    ),
)
class PersonRecordObject:
    customer: Customer = strawberry.field(
        description="The record, its fields under their own scopes."
    )
    linked_by: Linked = strawberry.field(description="How the record came to be in the person.")
    score: float | None = strawberry.field(
        resolver=_score,
        description=(
            "How sure the match is, 0 to 1 (0.5 at the threshold); null for the seed and for "
            "a steward's link the rules would not make."
        ),
    )
    rules: list[Rule] = strawberry.field(
        resolver=_rules, description="The rules that counted for the match."
    )
    evidence: list[Evidence] = strawberry.field(
        resolver=_evidence,
        description="Every rule that fired, for or against, with its weight and similarity.",
    )


def _person_id(root: strawberry.Parent[Person]) -> strawberry.ID:
    return strawberry.ID(encode_person_id(root.id))


async def _conflicts(root: strawberry.Parent[Person], info: GatewayInfo) -> list[FieldConflict]:
    whole = await people_of(info.context).complete(root)
    return [
        FieldConflict(field=to_camel_case(c.field), values=[sourced(c.field, v) for v in c.values])
        for c in whole.conflicts
    ]


def _merged_field(name: str) -> object:
    """The Person field of the merged value of the Customer field `name`."""

    async def resolve(root: strawberry.Parent[Person], info: GatewayInfo) -> object:
        values: Merged = root.values
        if not all(name in m.customer.known_fields for m in root.members):
            values = (await people_of(info.context).complete(root)).values
        item: Sourced[object] | None = getattr(values, name)
        return None if item is None else sourced(name, item)

    permission = _PERMISSIONS.get(name)
    needs = f" Needs {permission.scope}." if permission else ""  # type: ignore[attr-defined]
    return strawberry.field(
        resolver=resolve,
        graphql_type=_KINDS[name] | None,
        description=f"The person's {name.replace('_', ' ')}, from the record it won in.{needs}",
        permission_classes=[permission] if permission else [],
    )


_PERSON_FIELDS: Final[dict[str, object]] = {
    "id": strawberry.field(
        resolver=_person_id,
        description="Stable while records join and leave the person.",
    ),
    "records": strawberry.field(
        resolver=lambda root: list(root.members),
        graphql_type=list[Member],
        description="The person's records, the seed first, each with why it is in.",
    ),
    **{name: _merged_field(name) for name in _KINDS},
    "conflicts": strawberry.field(
        resolver=_conflicts,
        description="The fields on which the records disagree, each value with its source.",
    ),
}

PersonObject = strawberry.type(
    name="Person",
    description=(
        "One person across the back ends: the records that are this person (matched by "
        "e-mail, phone, name and birthdate, or linked by a steward), one merged value per "
        "Customer field with where it came from, and the fields the records disagree on."
    ),
)(type("PersonObject", (NodeInterface,), _PERSON_FIELDS))


@strawberry.type(name="PersonEdge", description="A person found by a search.")
class PersonEdge:
    cursor: str = strawberry.field(
        description="Where the search resumes after the record this person was found by."
    )
    node: Person = strawberry.field(description="The person a record of the search is.")


@strawberry.type(
    name="PersonConnection",
    description=(
        "The persons of a federated search: its records resolved to persons, each person "
        "once per page."
    ),
)
class PersonConnection:
    edges: list[PersonEdge] = strawberry.field(
        description="The persons, in the order their first record came in the search."
    )
    page_info: PageInfo = strawberry.field(
        description="`endCursor` continues the search after the page's last record."
    )


bind(Evidence, MatchEvidenceObject)
bind(Member, PersonRecordObject)
implement(PersonObject, NodeInterface)
bind(Person, PersonObject)
