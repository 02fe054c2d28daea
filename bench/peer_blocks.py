"""One block of bench.peers: a contender asked a question under load, what it cost, and the
checks before (equal answers, the calls one operation makes).

The contenders are this gateway and Hive Gateway serving Mesh (`Server`, driven by wrk) and
the bare client (bench/critical_path.py, its own load). The sandboxes and wrk run on core 0,
the contender on core 1.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.peer_questions import Question, differences
from bench.run import CLI, ROOT, cpu_seconds, peak_rss_mb, pinned, wrk_figures
from sandboxes.common import credentials
from sandboxes.relay.seed import SEED_CCID

PEERS = ROOT / "bench" / "peers"
BACKENDS = ("clubmed", "carecloud", "relay")
SANDBOX_CORE, CONTENDER_CORE = "0", "1"


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (Node's workers, if any)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue += map(int, (task / "children").read_text().split())
        except FileNotFoundError:  # a child (or thread) that ended meanwhile
            continue
    return found


def tree_cpu_seconds(pid: int) -> float:
    return sum(cpu_seconds(p) for p in process_tree(pid))


def tree_peak_rss_mb(pid: int) -> float:
    return sum(peak_rss_mb(p) for p in process_tree(pid))


# --- the sandboxes' counters -------------------------------------------------------------


def upstream_calls(sandbox_url: str) -> Counter[str]:
    """Calls to the back ends by route, the sandboxes' own routes and documents left out."""
    calls: Counter[str] = Counter()
    for backend in BACKENDS:
        counts = httpx.get(f"{sandbox_url}/{backend}/_sandbox/counters").json()
        for key, n in counts.items():
            if "/_sandbox" not in key and not key.endswith("/openapi.json"):
                calls[f"{backend} {key}"] += n
    return calls


def reset_counters(sandbox_url: str) -> None:
    """Zero, once the back ends are quiet (what an earlier run left in flight has finished)."""
    drain(sandbox_url)
    for backend in BACKENDS:
        httpx.delete(f"{sandbox_url}/{backend}/_sandbox/counters")


def drain(sandbox_url: str) -> None:
    """Until the back ends see no more calls: the last operations have finished."""
    last = None
    for _ in range(60):
        now = upstream_calls(sandbox_url).total()
        if now == last:
            return
        last = now
        time.sleep(0.5)


# --- asking and measuring ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Server:
    """A contender serving GraphQL over HTTP: where, its process, and how to ask it."""

    name: str
    url: str
    pid: int
    token: str  # a bearer for this gateway; empty for Mesh (it has no callers' auth)

    def ask(self, body: str) -> Any:
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        return httpx.post(f"{self.url}/graphql", content=body, headers=headers, timeout=60).json()


def body_for(server: Server, question: Question) -> str:
    return question.ours if server.name == "gateway" else question.mesh


def check_answers(gateway: Server, mesh: Server, question: Question) -> dict[str, Any]:
    """Both answers, normalised; the run stops when they differ or either has errors."""
    ours, theirs = gateway.ask(question.ours), mesh.ask(question.mesh)
    for name, answer in (("this gateway", ours), ("Mesh", theirs)):
        if answer.get("errors"):
            raise SystemExit(f"{question.name}: {name} answers errors: {answer['errors'][:2]}")
    read_ours, read_mesh = question.read_ours(ours), question.read_mesh(theirs)
    found = differences(read_ours, read_mesh)
    if found:
        raise SystemExit(f"{question.name}: the answers differ:\n  " + "\n  ".join(found))
    return {"records": len(read_ours), "normalised": read_ours, "gateway": ours, "mesh": theirs}


def check_mesh_auth(mesh: Server) -> dict[str, Any]:
    """CareCloud and Relay, which the questions do not reach, answer Mesh too (their auth)."""
    answer = mesh.ask(
        json.dumps(
            {
                "query": '{ CareCloud_listCustomers(last_name: "Smith", count: 1) '
                "{ data { total_items } } "
                f'Relay_getCustomer(client_id: "{credentials.RELAY_CLIENT_ID}", '
                f'ccid: "{SEED_CCID}") {{ ccid }} }}'
            }
        )
    )
    if answer.get("errors") or answer["data"]["Relay_getCustomer"]["ccid"] != SEED_CCID:
        raise SystemExit(f"Mesh cannot read CareCloud or Relay: {answer}")
    return dict(answer["data"])


def quiet_calls(server: Server, question: Question, sandbox_url: str, n: int = 5) -> Any:
    """Calls per operation by route, over `n` operations one after the other."""
    reset_counters(sandbox_url)
    for _ in range(n):
        server.ask(body_for(server, question))
    drain(sandbox_url)
    calls = upstream_calls(sandbox_url)
    return {"per_op": calls.total() / n, "by_route": {k: v / n for k, v in calls.items()}}


def run_wrk(wrk: str, server: Server, body: str, concurrency: int, seconds: int) -> Any:
    env = {"BENCH_BODY": body, "BENCH_TOKEN": server.token}
    script = PEERS / "wrk_post_counted.lua"
    pin = pinned(SANDBOX_CORE, [])
    return wrk_figures(wrk, script, f"{server.url}/graphql", concurrency, seconds, env, pin)


def measure_server(
    wrk: str, server: Server, body: str, concurrency: int, seconds: int, sandbox: Server
) -> dict[str, Any]:
    reset_counters(sandbox.url)
    cpu, sandbox_cpu = tree_cpu_seconds(server.pid), cpu_seconds(sandbox.pid)
    figures = run_wrk(wrk, server, body, concurrency, seconds)
    drain(sandbox.url)  # what was in flight when wrk stopped is finished: its calls count
    ops = max(figures["sent"], 1)
    return {
        "requests_per_second": round(figures["requests"] / figures["seconds"], 1),
        "p50_ms": round(figures["p50_ms"], 2),
        "p99_ms": round(figures["p99_ms"], 2),
        "operations": figures["sent"],
        "completed": figures["requests"],
        "errors": figures["non_2xx"] + figures["socket_errors"],
        "upstream_calls_per_op": round(upstream_calls(sandbox.url).total() / ops, 3),
        "cpu_ms_per_op": round((tree_cpu_seconds(server.pid) - cpu) / ops * 1000, 3),
        "sandbox_cpu_ms_per_op": round((cpu_seconds(sandbox.pid) - sandbox_cpu) / ops * 1000, 3),
        "peak_rss_mb": round(tree_peak_rss_mb(server.pid), 1),
    }


def measure_bare(
    question: Question, ids: list[str], concurrency: int, seconds: int, sandbox: Server
) -> dict[str, Any]:
    """bench/critical_path.py on the contenders' core, for `seconds`."""
    command = [
        *CLI[:2],
        "bench.critical_path",
        "--op",
        question.bare,
        "--sandbox",
        sandbox.url,
        "--levels",
        str(concurrency),
        "--ids",
        ",".join(ids),
        "--seconds",
        str(seconds),
    ]
    drain(sandbox.url)
    sandbox_cpu = cpu_seconds(sandbox.pid)
    output = subprocess.run(
        pinned(CONTENDER_CORE, command), cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    raw = json.loads(output)
    level = raw[str(concurrency)]
    # It resets the counters itself after its warm-up, then counts one operation and runs.
    ops = level["operations"] + 1
    return {
        "calls_one_op": raw["calls"],
        "requests_per_second": level["requests_per_second"],
        "p50_ms": level["p50_ms"],
        "p99_ms": level["p99_ms"],
        "operations": level["operations"],
        "completed": level["operations"],
        "errors": 0,  # it raises on any failed call
        "upstream_calls_per_op": round(upstream_calls(sandbox.url).total() / ops, 3),
        "cpu_ms_per_op": level["cpu_s_per_1000"],
        # Its warm-up, login and start are in this window too: slightly more than its share.
        "sandbox_cpu_ms_per_op": round((cpu_seconds(sandbox.pid) - sandbox_cpu) / ops * 1000, 3),
        "peak_rss_mb": level["peak_rss_mb"],
    }
