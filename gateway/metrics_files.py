"""The directory where the workers of one `serve --workers N` write their metrics.

`serve` prepares it before the workers start and removes what they wrote when it stops; it
imports nothing of prometheus_client, which must not be imported in this process before
config.hand_to_workers has set (or dropped) PROMETHEUS_MULTIPROC_DIR (gateway/metrics.py).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gateway.config import ConfigError

# The files prometheus_client writes there, by kind and process: counter_<pid>.db,
# histogram_<pid>.db, gauge_livemax_<pid>.db...
WORKER_FILE = re.compile(r"(counter|histogram|summary|gauge_[a-z]+)_(\d+)\.db")


@contextmanager
def workers_metrics_dir(given: str | None) -> Iterator[str]:
    """`given` (GATEWAY_METRICS_DIR, made if missing) or a private temporary directory, with
    no file of an earlier run; emptied of the workers' files (the temporary one removed)
    when the block ends."""
    if given is None:
        made = tempfile.mkdtemp(prefix="customer-gateway-metrics-")  # only this user's
        try:
            yield made
        finally:
            shutil.rmtree(made, ignore_errors=True)
        return
    directory = Path(given)
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        clear_worker_files(directory)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError(f"GATEWAY_METRICS_DIR: cannot use {given}: {reason}") from None
    try:
        yield str(directory)
    finally:
        clear_worker_files(directory)


def clear_worker_files(directory: Path) -> None:
    """Remove what workers wrote in `directory`, and nothing else that may be there."""
    for path in directory.iterdir():
        if WORKER_FILE.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)
