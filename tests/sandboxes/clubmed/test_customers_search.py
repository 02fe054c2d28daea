"""Contract tests of GET /v1/customers: the filter grammar, matching and the 200/206 paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from adapters.model import Backend
from sandboxes.common.people import people_for, person
from tests.conftest import TEST_SANDBOX_CONFIG, RunningSandbox
from tests.sandboxes.clubmed.conftest import SEED_ID, api_client, create_customer, unique

GENERATED = 17  # a generated person of the test population (seed 42)
SEARCH_KEYS = {
    "id",
    "gm_number",
    "first_name",
    "last_name",
    "birthdate",
    "email",
    "phones",
    "loyalty_program",
}


@pytest.fixture
def api(clubmed_sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    # No accept-language: the search does not need one.
    with api_client(clubmed_sandbox, language=None) as http:
        yield http


def _search(api: httpx.Client, filter_: str, **params: Any) -> httpx.Response:
    return api.get("/v1/customers", params={"filter": filter_, **params})


def _ids(response: httpx.Response) -> list[str]:
    assert response.status_code in (200, 206), response.text
    return [item["id"] for item in response.json()]


def test_the_seed_example_search(api: httpx.Client) -> None:
    response = _search(api, "email==john@h.fr")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": "123456789",
            "gm_number": "123456789",
            "first_name": "John",
            "last_name": "Smith",
            "birthdate": "19800117",
            "email": "john@h.fr",
            "phones": [{"number": "0623456789", "type": "MOBILE"}],
            "loyalty_program": {"status": "EXCLUDED", "points": 1200},
        }
    ]


def test_a_generated_person_by_each_field(api: httpx.Client) -> None:
    p = person(TEST_SANDBOX_CONFIG.seed, GENERATED)
    expected = str(200_000_000 + GENERATED)
    by_email = _search(api, f"email=={p.email.upper()}")
    assert _ids(by_email) == [expected]
    item = by_email.json()[0]
    assert set(item) == SEARCH_KEYS
    assert item["gm_number"] == str(500_000_000 + GENERATED)
    assert item["phones"] == [{"number": "0" + p.phone_national, "type": "MOBILE"}]
    assert item["birthdate"] == p.birthdate.strftime("%Y%m%d")
    assert item["loyalty_program"] == {"status": p.loyalty_tier, "points": p.loyalty_points}
    assert _ids(_search(api, f"gm_number=={item['gm_number']}")) == [expected]
    assert _ids(_search(api, f"phones.number==0{p.phone_national}")) == [expected]
    assert expected in _ids(_search(api, f"birthdate=={item['birthdate']}", limit=100))
    names = f"first_name=={p.first_name.lower()};last_name=={p.last_name.upper()}"
    assert expected in _ids(_search(api, names, limit=100))


def test_last_name_finds_every_generated_holder_in_id_order(api: httpx.Client) -> None:
    people = list(
        people_for(Backend.CLUBMED, TEST_SANDBOX_CONFIG.customers, TEST_SANDBOX_CONFIG.seed)
    )
    name = people[GENERATED].last_name
    expected = [str(200_000_000 + p.index) for p in people if p.last_name == name]
    response = _search(api, f"last_name=={name.casefold()}", limit=100)
    assert {item["last_name"] for item in response.json()} == {name}
    found = _ids(response)
    assert found == sorted(found, key=int)  # ascending id order
    # Other tests may create namesakes; the generated ones are all there, in order.
    assert [i for i in found if _generated(i)] == expected


def test_first_name_alone(api: httpx.Client) -> None:
    people = list(
        people_for(Backend.CLUBMED, TEST_SANDBOX_CONFIG.customers, TEST_SANDBOX_CONFIG.seed)
    )
    name = people[GENERATED].first_name
    expected = [str(200_000_000 + p.index) for p in people if p.first_name == name]
    response = _search(api, f'first_name=="{name}"', limit=100)
    assert {item["first_name"] for item in response.json()} == {name}
    assert [i for i in _ids(response) if _generated(i)] == expected


def _generated(customer_id: str) -> bool:
    return 200_000_000 <= int(customer_id) < 200_000_000 + TEST_SANDBOX_CONFIG.customers


def test_criteria_joined_by_semicolon_are_anded(api: httpx.Client) -> None:
    assert _ids(_search(api, "last_name==Smith;email==john@h.fr")) == [SEED_ID]
    assert _ids(_search(api, "last_name==Doe;email==john@h.fr")) == []
    assert _ids(_search(api, "last_name==Smith;birthdate==19800117;first_name==JOHN")) == [SEED_ID]


def test_phone_numbers_compare_digits_spaces_and_plus_ignored(api: httpx.Client) -> None:
    assert _ids(_search(api, 'phones.number=="06 23 45 67 89"')) == [SEED_ID]
    assert _ids(_search(api, "phones.number==+0623456789")) == [SEED_ID]
    # Exact digits, not a suffix, and no calling-code guess (other tests may hold these).
    assert SEED_ID not in _ids(_search(api, "phones.number==623456789", limit=100))
    assert SEED_ID not in _ids(_search(api, "phones.number==+33623456789", limit=100))


def test_accents_matter_and_case_does_not(api: httpx.Client) -> None:
    last = unique("Lefèvre")
    created = create_customer(
        api_with_language(api), identity={"first_name": "Éloïse", "last_name": last}
    )
    assert _ids(_search(api, f'last_name=="{last.upper()}"')) == [created["id"]]
    assert _ids(_search(api, f'last_name=="{last.replace("è", "e")}"')) == []
    assert _ids(_search(api, f"first_name==éloïse;last_name=={last}")) == [created["id"]]


def api_with_language(api: httpx.Client) -> httpx.Client:
    """The same client with accept-language, for the create route."""
    api.headers["accept-language"] = "en-US"
    return api


def test_a_quoted_semicolon_is_part_of_the_value_not_an_injection(api: httpx.Client) -> None:
    assert _ids(_search(api, 'last_name=="Smith;email==john@h.fr"')) == []
    assert _ids(_search(api, "last_name=='Smith;email==john@h.fr'")) == []
    assert _search(api, 'last_name=="Smith;email==john@h.fr"').status_code == 200


def test_quoted_values_unescape_backslashes(api: httpx.Client) -> None:
    last = unique('O"Brien;')
    created = create_customer(
        api_with_language(api), identity={"first_name": "Pat", "last_name": last}
    )
    escaped = last.replace('"', '\\"')
    assert _ids(_search(api, f'last_name=="{escaped}"')) == [created["id"]]
    assert _ids(_search(api, f"last_name=='{last}'")) == [created["id"]]


@pytest.mark.parametrize(
    "filter_",
    [
        "",
        "nickname==John",
        "last_name=Smith",
        "last_name!=Smith",
        "last_name===Smith",
        "last_name=in=(Smith,Doe)",
        'last_name=="Smith',
        "last_name=='Smith",
        'last_name=="Smith\\"',
        "last_name==Smith;",
        ";last_name==Smith",
        "last_name==Smith;;email==john@h.fr",
        "last_name==",
        'last_name==""',
        "last_name==Smith,last_name==Doe",
        "last_name==Smith email==john@h.fr",
        "last_name==O Brien",
        "last_name",
        "==Smith",
        "last_name==a\\b",
    ],
)
def test_malformed_filters_are_400_invalid_filter(api: httpx.Client, filter_: str) -> None:
    response = _search(api, filter_)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "INVALID_FILTER"
    assert body["field"] == "filter"
    assert "Smith" not in body["message"]  # a message never echoes a value


def test_a_search_without_filter_is_400(api: httpx.Client) -> None:
    response = api.get("/v1/customers")
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_FILTER"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("limit", "0"),
        ("limit", "101"),
        ("limit", "ten"),
        ("limit", "-1"),
        ("limit", ""),
        ("page", "0"),
        ("page", "1.5"),
        ("offer_code", "bad code!"),
        ("offer_code", "x" * 33),
    ],
)
def test_out_of_range_parameters_are_400(api: httpx.Client, name: str, value: str) -> None:
    response = _search(api, "last_name==Smith", **{name: value})
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_PARAMETER",
        "message": response.json()["message"],
        "field": name,
    }


def test_limit_100_and_an_offer_code_are_accepted(api: httpx.Client) -> None:
    response = _search(api, "email==john@h.fr", limit="100", offer_code="SUMMER_26-a")
    assert _ids(response) == [SEED_ID]


def _five_namesakes(api: httpx.Client) -> tuple[str, list[str]]:
    last = unique("Pager")
    ids = [
        create_customer(api, identity={"first_name": f"N{n}", "last_name": last})["id"]
        for n in range(5)
    ]
    return last, ids


def test_a_page_holding_every_match_is_200_without_range_headers(api: httpx.Client) -> None:
    last, ids = _five_namesakes(api_with_language(api))
    for limit in ("5", "100"):
        response = _search(api, f"last_name=={last}", limit=limit)
        assert response.status_code == 200
        assert "content-range" not in response.headers
        assert _ids(response) == ids


def test_more_matches_than_the_page_is_206_with_exact_content_range(api: httpx.Client) -> None:
    last, ids = _five_namesakes(api_with_language(api))
    expected = {1: ("0-1", ids[0:2]), 2: ("2-3", ids[2:4]), 3: ("4-4", ids[4:5])}
    for page, (span, page_ids) in expected.items():
        response = _search(api, f"last_name=={last}", limit=2, page=page)
        assert response.status_code == 206
        assert response.headers["accept-ranges"] == "customers"
        assert response.headers["content-range"] == f"customers {span}/5"
        assert _ids(response) == page_ids


def test_a_page_past_the_end_is_206_star_total_and_empty(api: httpx.Client) -> None:
    last, _ = _five_namesakes(api_with_language(api))
    response = _search(api, f"last_name=={last}", limit=2, page=4)
    assert response.status_code == 206
    assert response.json() == []
    assert response.headers["content-range"] == "customers */5"
    second = _search(api, f"last_name=={last}", limit=20, page=2)
    assert second.status_code == 206
    assert second.headers["content-range"] == "customers */5"


def test_the_default_limit_is_20(api: httpx.Client) -> None:
    last = unique("Crowd")
    ids = [
        create_customer(api_with_language(api), identity={"first_name": "C", "last_name": last})[
            "id"
        ]
        for _ in range(21)
    ]
    response = _search(api, f"last_name=={last}")
    assert response.status_code == 206
    assert response.headers["content-range"] == "customers 0-19/21"
    assert _ids(response) == ids[:20]
    assert [int(i) for i in ids] == sorted(int(i) for i in ids)


def test_no_match_is_200_and_empty(api: httpx.Client) -> None:
    response = _search(api, "email==nobody@nowhere.example")
    assert response.status_code == 200
    assert response.json() == []
