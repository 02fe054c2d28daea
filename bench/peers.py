"""This gateway beside GraphQL Mesh on Hive Gateway and the bare client (issue 19).

    .venv/bin/python -m bench.peers [--seconds 5] [--sets 3] [--concurrency 10,50]

Installs bench/peers' npm packages when missing (`npm ci`: Node.js 20 and npm needed), starts
the sandboxes (one process, 100,000 customers per back end, 20 ms per call), composes GraphQL
Mesh from their own OpenAPI documents (`mesh-compose`, bench/peers/mesh.config.ts) and serves
it with Hive Gateway (bench/peers/gateway.config.ts: each back end's upstream auth), and starts
this gateway (`customer-gateway serve`, one worker) on the same sandboxes. The sandboxes and
the load generator (wrk) are pinned to core 0, the contender under test to core 1
(`taskset`), one contender at a time.

Each question (bench/peer_questions.py) is asked of both gateways first: their answers,
normalised, must be equal, or nothing is measured. Then, in `--sets` rounds, each contender
in turn at each concurrency: this gateway, Mesh and the bare client (bench/critical_path.py,
the minimal calls by hand), the order rotated from one row to the next. Each block gives
requests/s, p50 and p99, upstream calls per operation (the sandboxes' counters), CPU per
operation of the contender's processes and their peak RSS. The table shows the medians over
the sets; every block goes to bench/results/<date>-peers.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.operations import prepare
from bench.peer_blocks import (
    BACKENDS,
    CONTENDER_CORE,
    PEERS,
    SANDBOX_CORE,
    Server,
    body_for,
    check_answers,
    check_mesh_auth,
    measure_bare,
    measure_server,
    quiet_calls,
    run_wrk,
)
from bench.peer_questions import Question, questions
from bench.run import CLI, RESULTS, ROOT, SECRET, ensure_wrk, gateway_env, pinned
from bench.sandbox_urls import one_process
from gateway.auth import mint_token
from gateway.ids import decode_id
from sandboxes.common import credentials

CONTENDERS = ("gateway", "mesh", "bare")
LABELS = {"gateway": "this gateway", "mesh": "Mesh on Hive Gateway", "bare": "bare client"}


def concurrency_levels(text: str) -> list[int]:
    try:
        levels = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from None
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("concurrency levels are positive integers")
    return levels


def at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.peers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--seconds", type=at_least_one, default=5, help="per block (wrk takes whole seconds)"
    )
    parser.add_argument("--sets", type=at_least_one, default=3, help="rounds of every block")
    parser.add_argument("--concurrency", type=concurrency_levels, default=[10, 50])
    parser.add_argument("--customers", type=int, default=100_000, help="per back end")
    parser.add_argument("--latency-ms", type=float, default=20.0, help="added to every call")
    parser.add_argument("--sandbox-port", type=int, default=18100)
    parser.add_argument("--gateway-port", type=int, default=18000)
    parser.add_argument("--mesh-port", type=int, default=18200)
    return parser.parse_args(argv)


# --- processes ---------------------------------------------------------------------------


def ensure_node_packages() -> None:
    """bench/peers/node_modules as package-lock.json pins it (`npm ci`), unless it already is."""
    for tool in ("node", "npm", "taskset"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench.peers needs {tool} (Node.js 20 or later, npm, util-linux)")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    if int(node.strip().lstrip("v").split(".")[0]) < 20:
        raise SystemExit(f"bench.peers needs Node.js 20 or later, not {node.strip()}")
    if installed_packages() != pinned_packages():
        print("installing bench/peers' npm packages (npm ci)...", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEERS, check=True)


def pinned_packages() -> dict[str, str]:
    found: dict[str, str] = json.loads((PEERS / "package.json").read_text())["dependencies"]
    return found


def installed_packages() -> dict[str, str | None]:
    """The version of each pinned package in bench/peers/node_modules (None: missing)."""
    found: dict[str, str | None] = {}
    for name in pinned_packages():
        manifest = PEERS / "node_modules" / name / "package.json"
        found[name] = json.loads(manifest.read_text())["version"] if manifest.exists() else None
    return found


@contextmanager
def serving(
    args: list[str], env: dict[str, str], ready_url: str, log: Path, cwd: Path = ROOT
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, its output in `log`, until it answers `ready_url`; stopped after."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, env={**os.environ, **env}, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(ready_url, timeout=2).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise SystemExit(f"{' '.join(args)} did not come up ({ready_url}):\n{tail}")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def mesh_environment(sandbox_url: str) -> dict[str, str]:
    """What mesh.config.ts and gateway.config.ts read: where the sandboxes are, and the
    credentials they accept (sandboxes/common/credentials.py)."""
    return {
        "SANDBOX_URL": sandbox_url,
        "CLUBMED_CLIENT_ID": credentials.CLUBMED_CLIENT_ID,
        "CLUBMED_CLIENT_SECRET": credentials.CLUBMED_CLIENT_SECRET,
        "CLUBMED_API_KEY": credentials.CLUBMED_API_KEY,
        "CARECLOUD_APPLICATION_ID": credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID,
        "CARECLOUD_LOGIN": credentials.CARECLOUD_LOGIN,
        "CARECLOUD_PASSWORD": credentials.CARECLOUD_PASSWORD,
        "RELAY_API_KEY": credentials.RELAY_API_KEY,
        "NODE_ENV": "production",
    }


# --- the report ----------------------------------------------------------------------------


def summarise(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the sets of one contender's blocks at one question and concurrency."""

    def median(key: str) -> float:
        return round(statistics.median(b[key] for b in blocks), 3)

    rates = [b["requests_per_second"] for b in blocks]
    return {
        "requests_per_second": median("requests_per_second"),
        "requests_per_second_range": [min(rates), max(rates)],
        "p50_ms": median("p50_ms"),
        "p99_ms": median("p99_ms"),
        "upstream_calls_per_op": median("upstream_calls_per_op"),
        "cpu_ms_per_op": median("cpu_ms_per_op"),
        "sandbox_core_busy": round(
            statistics.median(
                b["sandbox_cpu_ms_per_op"] * b["requests_per_second"] / 1000 for b in blocks
            ),
            2,
        ),
        "peak_rss_mb": max(b["peak_rss_mb"] for b in blocks),
        "errors": sum(b["errors"] for b in blocks),
    }


def table(report: dict[str, Any]) -> str:
    """The Markdown table of the medians, as BENCHMARKS.md shows it."""
    lines = [
        "| question | c | contender | req/s (min-max) | p50 ms | p99 ms | calls/op (min) "
        "| CPU ms/op (x bare) | peak RSS MB | sandbox core busy |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for question in report["questions"]:
        for level, by_contender in question["summary"].items():
            for contender, f in by_contender.items():
                low, high = f["requests_per_second_range"]
                lines.append(
                    f"| {question['title']} | {level} | {LABELS[contender]} "
                    f"| {f['requests_per_second']:.1f} ({low:.0f}-{high:.0f}) "
                    f"| {f['p50_ms']:.1f} | {f['p99_ms']:.1f} "
                    f"| {f['upstream_calls_per_op']:.2f} ({question['minimal_calls']}) "
                    f"| {f['cpu_ms_per_op']:.2f} ({f['cpu_vs_bare']:.1f}x) | {f['peak_rss_mb']:.0f} "
                    f"| {f['sandbox_core_busy']:.0%} |"
                )
    return "\n".join(lines)


def revision() -> str:
    """The checkout's commit, `+changes` when its tracked files differ from it."""
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True)
    changed = subprocess.run([*git, "diff", "--quiet", "HEAD"]).returncode != 0
    return commit.stdout.strip() + ("+changes" if changed else "")


def machine() -> dict[str, Any]:
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "node": node,
        "platform": platform.platform(),
        "packages": installed_packages(),
    }


# --- the run -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    ensure_node_packages()
    wrk = ensure_wrk()
    report: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": revision(),
        "machine": machine(),
        "settings": vars(args),
        "pinning": {"sandboxes and wrk": SANDBOX_CORE, "contender under test": CONTENDER_CORE},
    }
    print(
        f"sandboxes: {args.customers} customers per back end, {args.latency_ms} ms per call; "
        f"{args.sets} sets of {args.seconds} s blocks at c={args.concurrency}",
        flush=True,
    )
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-peers-")))
        sandbox = start_sandboxes(stack, args, work)
        mesh = start_mesh(stack, args, work, sandbox.url)
        gateway = start_gateway(stack, args, work, sandbox.url)
        report["mesh_reads_carecloud_and_relay"] = check_mesh_auth(mesh)
        bodies = prepare(gateway.url, gateway.token)
        customer_id = json.loads(bodies["customer_everything"])["variables"]["id"]
        global_ids = json.loads(bodies["nodes_50"])["variables"]["ids"]
        ids = [decode_id(i).native_id for i in global_ids]  # Club Med's, for the bare client
        report["questions"] = [
            run_question(question, gateway, mesh, sandbox, ids, wrk, args)
            for question in questions(customer_id)
        ]
    print()
    print(table(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{datetime.date.today().isoformat()}-peers.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


def start_sandboxes(stack: ExitStack, args: argparse.Namespace, work: Path) -> Server:
    """All three in one process on core 0, each call delayed by --latency-ms."""
    url = f"http://127.0.0.1:{args.sandbox_port}"
    command = [*CLI, "sandbox", "--port", str(args.sandbox_port)]
    command += ["--customers", str(args.customers)]
    box = stack.enter_context(
        serving(pinned(SANDBOX_CORE, command), {}, f"{url}/", work / "sandbox.log")
    )
    for backend in BACKENDS:
        httpx.put(f"{url}/{backend}/_sandbox/faults", json={"latency_ms": args.latency_ms})
    return Server("sandbox", url, box.pid, "")


def start_mesh(stack: ExitStack, args: argparse.Namespace, work: Path, sandbox_url: str) -> Server:
    """Mesh composed from the sandboxes' OpenAPI documents, served by Hive Gateway on core 1."""
    bin_dir = PEERS / "node_modules" / ".bin"
    env = mesh_environment(sandbox_url)
    print("composing Mesh from the sandboxes' OpenAPI documents (mesh-compose)...", flush=True)
    supergraph = work / "supergraph.graphql"
    composed = subprocess.run(
        [str(bin_dir / "mesh-compose"), "-o", str(supergraph)],
        cwd=PEERS,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if composed.returncode != 0:
        raise SystemExit(f"mesh-compose failed:\n{(composed.stdout + composed.stderr)[-3000:]}")
    url = f"http://127.0.0.1:{args.mesh_port}"
    hive = [str(bin_dir / "hive-gateway"), "supergraph", str(supergraph), "--fork", "1"]
    hive += ["--host", "127.0.0.1", "--port", str(args.mesh_port)]
    proc = stack.enter_context(
        serving(pinned(CONTENDER_CORE, hive), env, f"{url}/readiness", work / "mesh.log", PEERS)
    )
    return Server("mesh", url, proc.pid, "")


def start_gateway(
    stack: ExitStack, args: argparse.Namespace, work: Path, sandbox_url: str
) -> Server:
    """This gateway, one worker on core 1, configured as bench.run configures it."""
    url = f"http://127.0.0.1:{args.gateway_port}"
    env = gateway_env(one_process(sandbox_url))
    serve = [*CLI, "serve", "--port", str(args.gateway_port), "--workers", "1"]
    proc = stack.enter_context(
        serving(pinned(CONTENDER_CORE, serve), env, f"{url}/healthz", work / "gateway.log")
    )
    return Server("gateway", url, proc.pid, mint_token(SECRET))


def run_question(
    question: Question,
    gateway: Server,
    mesh: Server,
    sandbox: Server,
    ids: list[str],
    wrk: str,
    args: argparse.Namespace,
) -> dict[str, Any]:
    answers = check_answers(gateway, mesh, question)
    print(f"{question.title}: {answers['records']} records, equal answers", flush=True)
    servers = {"gateway": gateway, "mesh": mesh}
    quiet = {n: quiet_calls(s, question, sandbox.url) for n, s in servers.items()}
    for name, counted in quiet.items():
        if counted["per_op"] != question.minimal_calls:
            print(f"  {LABELS[name]} makes {counted['per_op']} calls per operation: {counted}")
    for server in servers.values():  # warm-up (Node's JIT compiler too)
        run_wrk(wrk, server, body_for(server, question), max(args.concurrency), 3)
    blocks: dict[int, dict[str, list[dict[str, Any]]]] = {
        c: {name: [] for name in CONTENDERS} for c in args.concurrency
    }
    row = 0
    for n in range(args.sets):
        for concurrency in args.concurrency:
            turn = row % len(CONTENDERS)  # each contender leads in turn
            for name in CONTENDERS[turn:] + CONTENDERS[:turn]:
                if name == "bare":
                    figures = measure_bare(question, ids, concurrency, args.seconds, sandbox)
                else:
                    server = servers[name]
                    body = body_for(server, question)
                    figures = measure_server(wrk, server, body, concurrency, args.seconds, sandbox)
                figures["set"] = n + 1
                blocks[concurrency][name].append(figures)
                print_block(question, concurrency, name, figures)
            row += 1
    return {
        "name": question.name,
        "title": question.title,
        "minimal_calls": question.minimal_calls,
        "documents": {"gateway": question.ours, "mesh": question.mesh, "bare": question.bare},
        "answer": answers,
        "calls_one_at_a_time": quiet,
        "blocks": blocks,
        "summary": {c: summarise_level(by_name) for c, by_name in blocks.items()},
    }


def summarise_level(by_name: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Each contender's medians at one concurrency, its CPU per operation also as a multiple
    of the bare client's (a ratio holds better than absolute figures on a noisy machine)."""
    summary = {name: summarise(found) for name, found in by_name.items()}
    bare = max(summary["bare"]["cpu_ms_per_op"], 1e-9)
    for figures in summary.values():
        figures["cpu_vs_bare"] = round(figures["cpu_ms_per_op"] / bare, 2)
    return summary


def print_block(question: Question, concurrency: int, name: str, f: dict[str, Any]) -> None:
    print(
        f"  set {f['set']} c={concurrency:<3d} {LABELS[name]:21s} "
        f"{f['requests_per_second']:7.1f} req/s  p50 {f['p50_ms']:7.1f}  p99 {f['p99_ms']:7.1f} ms"
        f"  calls/op {f['upstream_calls_per_op']:6.2f}  cpu {f['cpu_ms_per_op']:6.2f} ms/op"
        f"  rss {f['peak_rss_mb']:5.0f} MB  errors {f['errors']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
