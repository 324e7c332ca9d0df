"""A task that records which worker process ran it: the two-worker test and `bench_queue` use
it to show that every queued job runs exactly once however many workers share the queue."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

# A job waits at most this long for the other workers to have started one, so that the workers
# really overlap (each worker's first job holds it until the others are up).
OVERLAP_WAIT_SECONDS = 30


def runs(log: str | Path) -> list[tuple[int, int]]:
    """(job number, worker pid) for every run recorded in ``log``."""
    path = Path(log)
    if not path.exists():
        return []
    return [tuple(int(v) for v in line.split()) for line in path.read_text().splitlines() if line]


@task()
def record_run(number: int, log: str, workers: int = 1, seconds: float = 0.0) -> int:
    """Append "<number> <pid>" to ``log`` (one O_APPEND write: lines never interleave), wait
    until ``workers`` processes have run a job, then sleep ``seconds`` (the job's work)."""
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{number} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
    deadline = time.monotonic() + OVERLAP_WAIT_SECONDS
    while len({pid for _n, pid in runs(log)}) < workers and time.monotonic() < deadline:
        time.sleep(0.05)
    if seconds:
        time.sleep(seconds)
    return os.getpid()
