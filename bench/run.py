"""The gateway benchmark: what it adds on top of its back ends.

    .venv/bin/python -m bench.run [--latency-ms 20] [--customers 100000] [--seconds 8]

Starts the sandboxes (generated customers, a set latency per call; one process per back end
unless `--sandbox-processes one`, so that one back end's CPU never queues another's calls)
and the gateway (one worker) as processes on 127.0.0.1, warms up, then drives each operation
of the mix at concurrency 1, 10 and 50 with wrk (Debian's package, installed when missing:
a C load generator that uses a fraction of a core, so the gateway keeps the machine). For
each it prints requests/s, p50/p95/p99, upstream calls per operation (the sandboxes' counters),
gateway CPU-seconds per 1,000 operations and peak RSS; then the critical path, measured by
bench/critical_path.py in the same run, and the gateway's overhead over it.
Figures go to bench/results/<date>.json.

    .venv/bin/python -m bench.run --baseline <revision> [--baseline-env NAME=VALUE]

also starts that git revision's gateway (a temporary worktree, the same sandboxes, the next
port) and measures every row on both in turn: a change's before and after in one run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from adapters.model import Backend
from bench.critical_path import measure_critical_path
from bench.operations import OPERATIONS, prepare
from bench.sandbox_urls import (
    LAYOUTS,
    Layout,
    SandboxPorts,
    SandboxUrls,
    gateway_variables,
    sandbox_ports,
    sandbox_urls,
)
from gateway.auth import mint_token
from gateway.config import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SECRET = "benchmark-secret-not-for-production-0123456789"
CLI = [sys.executable, "-m", "gateway.cli"]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (Debian package)...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL
    )
    return shutil.which("wrk") or "wrk"


def _wait(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def process(
    args: list[str], env: dict[str, str], ready_url: str, cwd: Path = ROOT
) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        args,
        env={**os.environ, **env},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(ready_url)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    assert found is not None, "Linux's /proc/<pid>/status has VmHWM"
    return int(found.group(1)) / 1024


def gateway_pids(parent: int) -> list[int]:
    """uvicorn with one worker serves in the parent itself; with more, in its children."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [parent, *map(int, children)]


def sandbox_calls(sandboxes: SandboxUrls) -> int:
    """Calls to the back ends so far, the sandboxes' own routes left out."""
    total = 0
    for backend, url in sandboxes.items():
        counts = httpx.get(f"{url}/{backend}/_sandbox/counters").json()
        total += sum(n for key, n in counts.items() if "/_sandbox" not in key)
    return total


def operation_counts(gateway_url: str) -> tuple[int, int]:
    """(GraphQL operations executed, those that answered errors) so far, from /metrics.

    Errors come back with HTTP 200, unseen by wrk; and an operation still running when wrk
    stops is finished by the gateway all the same, its upstream calls counted.
    """
    text = httpx.get(f"{gateway_url}/metrics").text
    done = failed = 0
    for line in text.splitlines():
        if line.startswith("gateway_operations_seconds_count{"):
            n = int(float(line.rsplit(" ", 1)[1]))
            done += n
            failed += 0 if 'outcome="ok"' in line else n
    return done, failed


def drain(sandboxes: SandboxUrls, seconds: float = 30.0) -> None:
    """Wait until the back ends see no more calls: the last operations have finished."""
    deadline = time.monotonic() + seconds
    last = -1
    while time.monotonic() < deadline:
        now = sandbox_calls(sandboxes)
        if now == last:
            return
        last = now
        time.sleep(0.5)


def reset_counters(sandboxes: SandboxUrls) -> None:
    for backend, url in sandboxes.items():
        httpx.delete(f"{url}/{backend}/_sandbox/counters")


def set_faults(sandboxes: SandboxUrls, faults: dict[str, Any]) -> None:
    """The same fault settings (sandboxes/common/faults.py) on every back end."""
    for backend, url in sandboxes.items():
        httpx.put(f"{url}/{backend}/_sandbox/faults", json=faults)


def _names(backends: tuple[Backend, ...]) -> str:
    return ",".join(backend.value for backend in backends)


def start_sandboxes(stack: ExitStack, ports: SandboxPorts, customers: int, pin: list[str]) -> None:
    """A sandbox process on each port for its back ends, ready, and stopped with `stack`."""
    for port, backends in ports.items():
        command = [*CLI, "sandbox", "--port", str(port), "--customers", str(customers)]
        ready = f"http://127.0.0.1:{port}/"
        stack.enter_context(process([*pin, *command, "--backends", _names(backends)], {}, ready))


def layout_line(layout: Layout, ports: SandboxPorts) -> str:
    """How the sandboxes run, for the header: in one process or one per back end, where."""
    where = ", ".join(f"{_names(backends)} on :{port}" for port, backends in ports.items())
    processes = "one process" if layout == "one" else "one process per back end"
    return f"{processes} ({where})"


def pinned(cpus: str, args: list[str]) -> list[str]:
    """`args` run on these CPUs only (taskset's list: "0", "1-3")."""
    return ["taskset", "-c", cpus, *args]


def pins(pin: bool) -> tuple[list[str], list[str]]:
    """The `taskset` prefixes of (the sandboxes and wrk, the gateway): CPU 0, and the rest."""
    if not pin:
        return [], []
    cpus = os.cpu_count() or 1
    if cpus < 2 or shutil.which("taskset") is None:
        raise SystemExit("--pin needs taskset (util-linux) and at least 2 CPUs")
    rest = "1" if cpus == 2 else f"1-{cpus - 1}"
    return pinned("0", []), pinned(rest, [])


def wrk_figures(
    wrk: str,
    script: Path,
    url: str,
    concurrency: int,
    seconds: float,
    env: dict[str, str],
    pin: list[str] | None = None,
) -> dict[str, Any]:
    """One wrk thread with `concurrency` connections on `url` for `seconds` (whole seconds),
    driven by `script`, which prints its figures as a `BENCH_JSON {...}` line."""
    result = subprocess.run(
        [
            *(pin or []),
            wrk,
            "-t1",
            f"-c{concurrency}",
            f"-d{max(1, round(seconds))}s",  # wrk takes whole seconds
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON "))
    figures: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    return figures


def run_wrk(
    wrk: str,
    url: str,
    body: str,
    token: str,
    concurrency: int,
    seconds: float,
    pin: list[str] | None = None,
) -> dict[str, Any]:
    """wrk POSTing one GraphQL body to `url`/graphql."""
    script = ROOT / "bench" / "wrk_post.lua"
    env = {"BENCH_BODY": body, "BENCH_TOKEN": token}
    return wrk_figures(wrk, script, f"{url}/graphql", concurrency, seconds, env, pin)


@contextmanager
def baseline_checkout(revision: str) -> Iterator[tuple[Path, str]]:
    """A detached git worktree of `revision` (and its commit), removed afterwards."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{revision}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    path = Path(tempfile.mkdtemp(prefix="bench-baseline-")) / "checkout"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(path), commit],
        check=True,
    )
    try:
        yield path, commit
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False
        )
        shutil.rmtree(path.parent, ignore_errors=True)


@dataclass
class Target:
    """One gateway under test: the checkout's, or the baseline revision's."""

    name: str
    url: str
    pids: list[int]


def measure_row(
    target: Target,
    sandboxes: SandboxUrls,
    run: Callable[[str, int], dict[str, Any]],
    concurrency: int,
    workers: int,
) -> dict[str, Any]:
    """wrk on one gateway at one concurrency, with its upstream calls, CPU and memory."""
    reset_counters(sandboxes)
    cpu_before = sum(map(cpu_seconds, target.pids))
    done_before, failed_before = operation_counts(target.url)
    figures = run(target.url, concurrency)
    drain(sandboxes)
    cpu = sum(map(cpu_seconds, target.pids)) - cpu_before
    done_after, failed_after = operation_counts(target.url)
    figures["graphql_errors"] = failed_after - failed_before
    # Per operation the gateway executed, those still running at wrk's end too. With several
    # workers, /metrics counts them all since issue 17; a baseline revision's may answer for
    # one worker only, which shows as fewer than wrk completed: then wrk's count (which
    # leaves out the operations in flight at its end, so calls/op reads a little high).
    executed = done_after - done_before
    if workers > 1 and executed < figures["requests"]:
        executed = figures["requests"]
    n = max(executed, 1)
    figures.update(
        requests_per_second=round(figures["requests"] / figures["seconds"], 1),
        upstream_calls_per_op=round(sandbox_calls(sandboxes) / n, 3),
        gateway_cpu_s_per_1000=round(cpu / n * 1000, 3),
        peak_rss_mb=round(max(map(peak_rss_mb, target.pids)), 1),
    )
    return figures


def compare_to_critical(
    figures: dict[str, Any], path: dict[str, Any] | None, client_path: dict[str, Any] | None
) -> None:
    """Adds the overhead over the critical path and the CPU ratios to a row's figures."""
    if path:
        figures["critical_p50_ms"] = path["p50_ms"]
        figures["overhead_p50_ms"] = round(figures["p50_ms"] - path["p50_ms"], 2)
        figures["cpu_ratio_to_critical"] = round(
            figures["gateway_cpu_s_per_1000"] / max(path["cpu_s_per_1000"], 1e-9), 2
        )
    if client_path:
        figures["client_critical_p50_ms"] = client_path["p50_ms"]
        figures["cpu_ratio_to_client_critical"] = round(
            figures["gateway_cpu_s_per_1000"] / max(client_path["cpu_s_per_1000"], 1e-9), 2
        )


def gateway_env(sandboxes: SandboxUrls) -> dict[str, str]:
    """The benchmarked gateway's settings: every back end at its sandbox with the credentials
    it accepts, the benchmark's token secret, quiet logs, no cost limit in the way."""
    return {
        **gateway_variables(sandboxes, Settings()),
        "GATEWAY_JWT_SECRET": SECRET,
        "GATEWAY_LOG_LEVEL": "warning",
        "GATEWAY_MAX_COST": "100000",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=8.0, help="per operation and concurrency")
    parser.add_argument("--concurrency", default="1,10,50")
    parser.add_argument(
        "--sandbox-port",
        type=int,
        default=18100,
        help="the sandboxes' port (per-backend: clubmed's; carecloud +1, relay +2)",
    )
    parser.add_argument(
        "--sandbox-processes",
        choices=LAYOUTS,
        default="per-backend",
        help="one sandbox process for the three back ends, or one per back end (the default: "
        "one back end's CPU never queues another's calls)",
    )
    parser.add_argument("--gateway-port", type=int, default=18000)
    parser.add_argument("--only", help="comma-separated operation names")
    parser.add_argument("--workers", type=int, default=1, help="gateway worker processes")
    parser.add_argument(
        "--pin",
        action="store_true",
        help="the sandboxes and wrk on CPU 0, the gateway's workers on the others (taskset): "
        "what the gateway scales, not what it shares with its back ends",
    )
    parser.add_argument(
        "--label", help="suffix of the results file, e.g. before: bench/results/<date>-before.json"
    )
    parser.add_argument(
        "--baseline",
        metavar="REVISION",
        help="also run this git revision's gateway (on the next port, same sandboxes), "
        "each row measured on both in turn: before and after in one run",
    )
    parser.add_argument(
        "--baseline-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the baseline gateway only (repeatable)",
    )
    args = parser.parse_args()
    wrk = ensure_wrk()
    ports = sandbox_ports(args.sandbox_processes, args.sandbox_port)
    sandboxes = sandbox_urls(ports)
    gateway_url = f"http://127.0.0.1:{args.gateway_port}"
    token = mint_token(SECRET)
    levels = [int(c) for c in args.concurrency.split(",")]
    names = args.only.split(",") if args.only else list(OPERATIONS)
    env = gateway_env(sandboxes)
    baseline_env = dict(item.split("=", 1) for item in args.baseline_env)
    sandbox_pin, gateway_pin = pins(args.pin)

    def gateway_cmd(port: int) -> list[str]:
        serve = [*CLI, "serve", "--port", str(port), "--workers", str(args.workers)]
        return [*gateway_pin, *serve]

    report: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": vars(args),
        "sandboxes": {backend.value: url for backend, url in sandboxes.items()},
        "operations": {},
    }
    print(
        f"sandboxes: {args.customers} customers per back end, {args.latency_ms} ms per call, "
        f"{layout_line(args.sandbox_processes, ports)}",
        flush=True,
    )
    with ExitStack() as stack:
        start_sandboxes(stack, ports, args.customers, sandbox_pin)
        set_faults(sandboxes, {"latency_ms": args.latency_ms})
        gateway = stack.enter_context(
            process(gateway_cmd(args.gateway_port), env, f"{gateway_url}/healthz")
        )
        targets = [Target("gateway", gateway_url, gateway_pids(gateway.pid))]
        if args.baseline:
            checkout, commit = stack.enter_context(baseline_checkout(args.baseline))
            baseline_url = f"http://127.0.0.1:{args.gateway_port + 1}"
            baseline = stack.enter_context(
                process(
                    gateway_cmd(args.gateway_port + 1),
                    {**env, **baseline_env},
                    f"{baseline_url}/healthz",
                    cwd=checkout,
                )
            )
            targets.append(Target("baseline", baseline_url, gateway_pids(baseline.pid)))
            report["baseline"] = {
                "revision": args.baseline,
                "commit": commit,
                "env": baseline_env,
                "operations": {},
            }
            print(f"baseline: {args.baseline} ({commit[:12]}) on {baseline_url}", flush=True)
        bodies = prepare(gateway_url, token)
        for name in names:
            body = bodies[name]

            def run(url: str, concurrency: int, body: str = body) -> dict[str, Any]:
                return run_wrk(wrk, url, body, token, concurrency, args.seconds, sandbox_pin)

            for target in targets:
                check = httpx.post(
                    f"{target.url}/graphql",
                    content=body,
                    timeout=60,
                    headers={
                        "authorization": f"Bearer {token}",
                        "content-type": "application/json",
                    },
                ).json()
                if check.get("errors"):
                    raise SystemExit(
                        f"{name} answers errors on {target.name}: {check['errors'][:1]}"
                    )
                run_wrk(wrk, target.url, body, token, 4, 2, sandbox_pin)  # warm-up
            critical = measure_critical_path(name, sandboxes, bodies, levels)
            via_client = measure_critical_path(name, sandboxes, bodies, levels, send="client")
            rows: dict[str, dict[int, dict[str, Any]]] = {t.name: {} for t in targets}
            for index, concurrency in enumerate(levels):
                # In turn, the order swapped every row: a drift of the machine hits both.
                for target in targets if index % 2 == 0 else targets[::-1]:
                    figures = measure_row(target, sandboxes, run, concurrency, args.workers)
                    compare_to_critical(
                        figures, critical.get(concurrency), via_client.get(concurrency)
                    )
                    rows[target.name][concurrency] = figures
                for target in targets:
                    print_row(name, concurrency, rows[target.name][concurrency], target.name)
            report["operations"][name] = {
                "minimal_upstream_calls": critical["calls"],
                "by_concurrency": rows["gateway"],
            }
            if args.baseline:
                report["baseline"]["operations"][name] = {"by_concurrency": rows["baseline"]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = f"-workers{args.workers}" if args.workers > 1 else ""
    if args.label:
        suffix += f"-{args.label}"
    out = RESULTS / f"{datetime.date.today().isoformat()}{suffix}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


def print_row(name: str, concurrency: int, f: dict[str, Any], target: str = "gateway") -> None:
    overhead = f.get("overhead_p50_ms")
    ratio = f.get("cpu_ratio_to_critical")
    mark = "" if target == "gateway" else f" [{target}]"
    print(
        f"{name + mark:33s} c={concurrency:<3d} {f['requests_per_second']:8.1f} req/s  "
        f"p50 {f['p50_ms']:7.2f}  p95 {f['p95_ms']:7.2f}  p99 {f['p99_ms']:7.2f} ms  "
        f"calls/op {f['upstream_calls_per_op']:6.2f}  cpu/1000 {f['gateway_cpu_s_per_1000']:6.2f}s  "
        f"rss {f['peak_rss_mb']:6.1f} MB  overhead p50 "
        f"{'-' if overhead is None else f'{overhead:6.2f} ms'}  cpu x{'-' if ratio is None else ratio} "
        f"(x{f.get('cpu_ratio_to_client_critical', '-')} vs AsyncClient)  "
        f"errors {f['non_2xx'] + f['socket_errors'] + f['graphql_errors']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
