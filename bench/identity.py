"""The identity matcher against the generator's ground truth: precision, recall, F1, speed.

    .venv/bin/python -m bench.identity [--people 10000] [--seed 42]

Renders `--people` humans of `sandboxes.common.variants` (one to three back ends each, every
record varied, twins, spouses sharing an e-mail and namesakes among them) into `Customer`
records as the adapters would, and compares every candidate pair. Blocking is the searches
the gateway makes for a record (`gateway.identity.search`): a pair is a candidate when one
record's e-mail, phone, last name with birthdate, or (without a birthdate) first and last
name, compared as the back ends compare them (case-insensitive, accents kept), finds the
other. The matcher's figures are over the candidate pairs; the end-to-end recall also
counts the true pairs no search finds (a typo'd name with no shared e-mail or phone).
"As persons" joins matches transitively (as `cluster` grows a person) and scores the pairs
within each person. The matcher sees the records only; `Record.human` scores its answers.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict

from adapters.model import Address, Backend, Customer, Phone
from gateway.identity import Matcher, NameFrequencies, comparable, normalise
from gateway.identity.match import SAME_AT, Match
from gateway.identity.person import APART_BELOW
from gateway.identity.search import candidate_filters, index_keys, search_keys
from sandboxes.common.variants import Record, human, records

_FIELDS = frozenset({"first_name", "last_name", "email", "phones", "birthdate", "addresses"})


def customer(record: Record) -> Customer:
    """The record as its adapter maps it (dates read from the back end's form)."""
    return Customer(
        record.backend,
        record.native_id,
        _FIELDS,
        first_name=record.first_name,
        last_name=record.last_name,
        email=record.email,
        phones=(Phone(record.phone),) if record.phone else (),
        birthdate=normalise.birthdate(record.birthdate),
        addresses=(
            Address(
                city=record.city, postal_code=record.postal_code, country_code=record.country_code
            ),
        )
        if record.postal_code
        else (),
    )


def candidate_pairs(customers: list[Customer]) -> set[tuple[int, int]]:
    """The pairs one record's searches (`gateway.identity.search`) find the other with."""
    indexed: defaultdict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(customers):
        for key in index_keys(c):
            indexed[key].append(i)
    return {
        (min(i, j), max(i, j))
        for i, c in enumerate(customers)
        for key in search_keys(c)
        for j in indexed[key]
        if j != i
    }


def _clusters(
    generated: list[Record], decided: list[tuple[int, int, Match]], true_pairs: int
) -> str:
    """Precision and recall of the pairs within the persons the matches make.

    Like `gateway.identity.cluster` (which grows one person from a seed): matches join
    records transitively, best first here, except where a record of one side is clearly
    apart (score below APART_BELOW) from a record of the other.
    """
    member_of = list(range(len(generated)))
    groups: dict[int, list[int]] = {i: [i] for i in range(len(generated))}
    scores = {(i, j): m.score for i, j, m in decided} | {(j, i): m.score for i, j, m in decided}
    for i, j, _ in sorted((d for d in decided if d[2].same), key=lambda d: -d[2].score):
        a, b = member_of[i], member_of[j]
        if a == b or any(
            scores.get((x, y), 1.0) < APART_BELOW for x in groups[a] for y in groups[b]
        ):
            continue
        for x in groups[b]:
            member_of[x] = a
        groups[a].extend(groups.pop(b))
    components = [Counter(generated[x].human for x in group) for group in groups.values()]
    together = sum(sum(c.values()) * (sum(c.values()) - 1) // 2 for c in components)
    right = sum(n * (n - 1) // 2 for c in components for n in c.values())
    precision = right / together if together else 1.0
    recall = right / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--same-at", type=float, default=SAME_AT, help="decision threshold")
    parser.add_argument("--errors", type=int, default=0, help="print this many of each error")
    args = parser.parse_args()

    started = time.perf_counter()
    generated = list(records(args.seed, args.people))
    customers = [customer(r) for r in generated]
    rows = [comparable(c) for c in customers]
    frequencies = NameFrequencies.of(
        (c.first_name for c in customers if c.first_name),
        (c.last_name for c in customers if c.last_name),
    )
    matcher = Matcher(frequencies, same_at=args.same_at)
    pairs = sorted(candidate_pairs(customers))
    prepared = time.perf_counter() - started

    started = time.perf_counter()
    decided = [(i, j, matcher.compare(rows[i], rows[j])) for i, j in pairs]
    elapsed = time.perf_counter() - started

    by_human: defaultdict[int, int] = defaultdict(int)
    for r in generated:
        by_human[r.human] += 1
    true_pairs = sum(n * (n - 1) // 2 for n in by_human.values())
    tp = fp = 0
    false_positives, false_negatives = [], []
    for i, j, match in decided:
        truth = generated[i].human == generated[j].human
        if match.same and truth:
            tp += 1
        elif match.same:
            fp += 1
            false_positives.append((i, j, match))
        elif truth:
            false_negatives.append((i, j, match))
    blocked_true = sum(1 for i, j in pairs if generated[i].human == generated[j].human)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    print(f"people {args.people}, records {len(generated)}, true pairs {true_pairs}")
    print(f"candidate pairs {len(pairs)} (true pairs blocked together: {blocked_true})")
    print(f"matched {tp + fp}: true {tp}, false {fp}; missed {true_pairs - tp}")
    blocked_recall = tp / blocked_true if blocked_true else 1.0
    blocked_f1 = 2 * precision * blocked_recall / (precision + blocked_recall)
    print(
        f"matcher, over candidate pairs: precision {precision:.4f}  recall {blocked_recall:.4f}"
        f"  F1 {blocked_f1:.4f}"
    )
    print(f"end to end, over all true pairs: recall {recall:.4f}  F1 {f1:.4f}")
    print(
        "as persons (matches joined transitively, unless clearly apart): "
        + _clusters(generated, decided, true_pairs)
    )
    searches = [
        len(candidate_filters(c, target))
        for c in customers
        for target in (Backend.CLUBMED, Backend.CARECLOUD)  # Relay has no search route
        if target is not c.backend
    ]
    print(
        f"searches per resolved person, from one record: {sum(searches) / len(customers):.2f}"
        " (one per key per other searchable back end; Relay is reached by links only)"
    )
    print(
        f"{elapsed / max(1, len(pairs)) * 1e6:.1f} µs per comparison ({elapsed:.2f} s), "
        f"{prepared:.2f} s to generate, normalise and block"
    )
    kinds: defaultdict[str, int] = defaultdict(int)
    for i, j, _ in false_positives:
        a, b = (human(args.seed, generated[k].human) for k in (i, j))
        kin = a if a.relative == b.index else b if b.relative == a.index else None
        kinds[kin.relation.value if kin else "unrelated"] += 1
    print("false merges by how the two humans are alike:", dict(sorted(kinds.items())))
    for label, errors in (("false positive", false_positives), ("missed", false_negatives)):
        for i, j, match in errors[: args.errors]:
            print(
                f"\n{label}: {match.score} {[(e.rule.value, e.weight, e.similarity) for e in match.evidence]}"
            )
            for k in (i, j):
                r = generated[k]
                print(
                    "   ",
                    r.human,
                    r.backend.value,
                    r.first_name,
                    r.last_name,
                    r.email,
                    r.phone,
                    r.birthdate,
                )


if __name__ == "__main__":
    main()
