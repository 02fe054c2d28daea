"""What one and two rounds of searches reach, as `Customer.person` resolves from each record.

    .venv/bin/python -m bench.identity_rounds [--people 10000] [--seed 42]

`bench.identity` scores persons as if every match were followed (transitively). The gateway
searches from the seed, then once more from the records that matched (`gateway.people`,
ROUNDS), within its caps (keys per record, searches per person, candidates per search).
This replays that on `bench.identity`'s population, from every record as the seed, and
scores the person each seed gets against the ground truth, pair by pair (seed, member).
Relay cannot search: a Relay record is reached only as the seed (or through the store,
which is not replayed), so pairs whose other record is on Relay are left out of recall.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

from adapters.model import Backend, Customer
from bench.identity import customer
from gateway.identity import Matcher, Member, NameFrequencies, RecordKey, cluster
from gateway.identity.search import index_keys, search_keys
from gateway.people import CANDIDATES_PER_SEARCH, KEYS_PER_RECORD, SEARCHES_PER_PERSON
from sandboxes.common.variants import records

SEARCHABLE = (Backend.CLUBMED, Backend.CARECLOUD)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    generated = list(records(args.seed, args.people))
    customers = [customer(r) for r in generated]
    human = {RecordKey.of(c): r.human for c, r in zip(customers, generated, strict=True)}
    index: defaultdict[tuple[Backend, str], list[Customer]] = defaultdict(list)
    for c in customers:
        for key in index_keys(c):
            index[(c.backend, key)].append(c)
    by_human: defaultdict[int, list[Customer]] = defaultdict(list)
    for c in customers:
        by_human[human[RecordKey.of(c)]].append(c)
    frequencies = NameFrequencies.of(
        (c.first_name for c in customers if c.first_name),
        (c.last_name for c in customers if c.last_name),
    )
    matchers = (
        ("no name frequencies (the gateway)", Matcher()),
        ("frequencies", Matcher(frequencies)),
    )
    for label, matcher in matchers:
        for rounds in (1, 2):
            started = time.perf_counter()
            right = wrong = reachable = searches = 0
            for seed in customers:
                members, asked = _resolve(seed, rounds, matcher, index)
                searches += asked
                truth = human[RecordKey.of(seed)]
                keys = {m.key for m in members[1:]}
                right += sum(human[k] == truth for k in keys)
                wrong += sum(human[k] != truth for k in keys)
                reachable += sum(
                    1
                    for other in by_human[truth]
                    if other is not seed and other.backend in SEARCHABLE
                )
            precision = right / (right + wrong) if right + wrong else 1.0
            recall = right / reachable if reachable else 1.0
            print(
                f"{label}, {rounds} round(s): precision {precision:.4f}  recall {recall:.4f}"
                f"  searches per person {searches / len(customers):.2f}"
                f"  ({time.perf_counter() - started:.1f} s)"
            )


def _resolve(
    seed: Customer,
    rounds: int,
    matcher: Matcher,
    index: dict[tuple[Backend, str], list[Customer]],
) -> tuple[tuple[Member, ...], int]:
    """`gateway.people.People._resolve`, with the index standing in for the back ends."""
    pool: dict[RecordKey, Customer] = {RecordKey.of(seed): seed}
    searched: set[RecordKey] = set()
    asked: set[tuple[Backend, str]] = set()
    for _ in range(rounds):
        others = [c for k, c in pool.items() if k != RecordKey.of(seed)]
        found = cluster(seed, others, matcher)
        sources = [m.customer for m in found if m.key not in searched]
        searched.update(RecordKey.of(c) for c in sources)
        for source in sources:
            keys = sorted(search_keys(source), key=_order)[:KEYS_PER_RECORD]
            for target in SEARCHABLE:
                if target is source.backend:
                    continue
                for key in keys:
                    if (target, key) in asked or len(asked) >= SEARCHES_PER_PERSON:
                        continue
                    asked.add((target, key))
                    for hit in index.get((target, key), [])[:CANDIDATES_PER_SEARCH]:
                        pool.setdefault(RecordKey.of(hit), hit)
    others = [c for k, c in pool.items() if k != RecordKey.of(seed)]
    members = cluster(seed, others, matcher)
    return members, len(asked)


def _order(key: str) -> tuple[int, str]:
    """candidate_filters' order: e-mail, phones, then the name key."""
    return ({"email": 0, "phone": 1}.get(key.split(":")[0], 2), key)


if __name__ == "__main__":
    main()
