"""bench.peers without Node or a network: its questions in both schemas, the comparison of
answers it measures behind, its arguments and its pinned npm packages."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from bench.peer_questions import differences, questions
from bench.peers import parse_args
from tests.bench_peers_recorded import ANSWERS, CUSTOMER_ID

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / "bench" / "peers"
QUESTIONS = {q.name: q for q in questions(CUSTOMER_ID)}


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_the_recorded_answers_of_both_gateways_normalise_equal(name: str) -> None:
    question, recorded = QUESTIONS[name], ANSWERS[name]
    ours, mesh = question.read_ours(recorded["gateway"]), question.read_mesh(recorded["mesh"])
    assert ours == mesh and differences(ours, mesh) == []
    assert len(ours) == (10 if name == "search_clubmed_profile_travelers" else 1)
    assert all(record["id"] and record["last_name"] for record in ours)


def test_an_answer_that_differs_is_named() -> None:
    question = QUESTIONS["search_clubmed_profile_travelers"]
    recorded = ANSWERS[question.name]
    mesh = copy.deepcopy(recorded["mesh"])
    mesh["data"]["ClubMed_searchCustomers"][3]["first_name"] = "Someone"
    mesh["data"]["ClubMed_searchCustomers"].pop()
    found = differences(question.read_ours(recorded["gateway"]), question.read_mesh(mesh))
    assert found[0] == "10 records here, 9 from Mesh"
    assert any(line.startswith("record 3, first_name:") for line in found)


def test_our_documents_are_valid_in_this_gateways_schema() -> None:
    schema = build_schema((ROOT / "schema.graphql").read_text())
    for question in QUESTIONS.values():
        document = parse(json.loads(question.ours)["query"])
        assert validate(schema, document) == []
        parse(json.loads(question.mesh)["query"])  # Mesh's schema needs Node: syntax only


def test_the_by_id_question_asks_mesh_about_the_same_customer() -> None:
    question = QUESTIONS["customer_everything"]
    assert json.loads(question.ours)["variables"] == {"id": CUSTOMER_ID}
    assert question.mesh.count('customer_id: \\"123456789\\"') == 3


def test_arguments() -> None:
    defaults = parse_args([])
    assert (defaults.seconds, defaults.sets, defaults.concurrency) == (5, 3, [10, 50])
    given = parse_args(["--seconds", "2", "--sets", "4", "--concurrency", "1,10,50"])
    assert (given.seconds, given.sets, given.concurrency) == (2, 4, [1, 10, 50])


@pytest.mark.parametrize(
    "argv",
    [["--concurrency", "10,x"], ["--concurrency", "0"], ["--sets", "0"], ["--seconds", "0.5"]],
)
def test_wrong_arguments_stop_before_anything_starts(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse_args(argv)
    assert stopped.value.code == 2


def test_the_npm_packages_are_pinned_exactly_and_never_committed() -> None:
    pins = json.loads((PEERS / "package.json").read_text())["dependencies"]
    assert set(pins) == {
        "@graphql-hive/gateway",
        "@graphql-mesh/compose-cli",
        "@omnigraph/openapi",
        "graphql",
    }
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pins.values())
    lock = json.loads((PEERS / "package-lock.json").read_text())["packages"]
    assert lock[""]["dependencies"] == pins
    assert {name: lock[f"node_modules/{name}"]["version"] for name in pins} == pins
    assert "bench/peers/node_modules/" in (ROOT / ".gitignore").read_text().splitlines()
