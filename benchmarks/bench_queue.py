"""Benchmark: jobs per second through the database queue with 1 and 2 db_worker processes.

    python -m benchmarks.bench_queue [--jobs 200] [--work-ms 50] [--database-url URL]

Default database: PostgreSQL on 127.0.0.1 (database `heritage_bench_queue`, created and
migrated on first use); any DATABASE_URL works (an SQLite file too). Each run enqueues
``--jobs`` jobs of ``benchmarks.queue_probe.record_run`` doing ``--work-ms`` of waiting work (a
stand-in for a job whose time goes to I/O: storage uploads, a PDF being written), starts the
workers as real `manage.py db_worker` processes (test settings, database queue), and measures
from the first job's start to the last job's end, so process start-up is left out. A second
pass with no work (``--work-ms 0``) shows the claim's own cost.

Targets: every job runs exactly once in every run, and two workers finish the waiting jobs at
least 1.5 times as fast as one (they share the queue without blocking each other).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/heritage_bench_queue"
SPEEDUP_TARGET = 1.5
SETTINGS = "heritage_site.settings.test"


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database if missing, then migrate it (quick when up to date)."""
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _sep, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0", "--settings", SETTINGS],
        cwd=BASE_DIR,
        env=_env(url),
        check=True,
    )


def _env(url: str) -> dict[str, str]:
    media = str(Path(tempfile.gettempdir()) / "bench-queue-media")
    return dict(os.environ, DATABASE_URL=url, TEST_TASKS_BACKEND="database", TEST_MEDIA_ROOT=media)


def run(workers: int, jobs: int, work_ms: int) -> dict:
    """Enqueue, run with ``workers`` processes until the queue is empty; figures of the run."""
    from django_tasks_db.models import DBTaskResult

    from benchmarks.queue_probe import record_run, runs

    DBTaskResult.objects.all().delete()
    with tempfile.TemporaryDirectory() as tmp:
        log = str(Path(tmp) / "runs.log")
        for n in range(jobs):
            record_run.enqueue(n, log, workers=workers, seconds=work_ms / 1000)
        cmd = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
        cmd += ["--interval", "0.1", "--settings", SETTINGS]
        procs = [
            subprocess.Popen(
                cmd,
                cwd=BASE_DIR,
                env=_env(os.environ["DATABASE_URL"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        try:
            deadline = time.monotonic() + 600
            pending = DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"])
            while pending.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=30)
        done = runs(log)
    results = list(DBTaskResult.objects.all())
    starts: dict[str, object] = {}
    for r in results:
        worker = r.worker_ids[0]
        starts[worker] = min(starts.get(worker, r.started_at), r.started_at)
    # Each worker's first job waits for the others to be up: count from the last worker's start.
    first = max(starts.values())
    last = max(r.finished_at for r in results)
    seconds = (last - first).total_seconds()
    numbers = sorted(n for n, _pid in done)
    return {
        "workers": workers,
        "jobs": jobs,
        "seconds": seconds,
        "rate": jobs / seconds if seconds else float("inf"),
        "exactly_once": numbers == list(range(jobs)),
        "per_worker": sorted(
            (sum(1 for _n, p in done if p == pid) for pid in {p for _n, p in done}), reverse=True
        ),
        "failed": sum(r.status == "FAILED" for r in results),
    }


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--work-ms", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    os.environ.update(_env(args.database_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    ensure_database(args.database_url)
    import django

    django.setup()
    from django.db import connection

    say(
        f"database queue on {connection.vendor} ({connection.settings_dict['NAME']}), "
        f"{os.cpu_count()} CPU cores; {args.jobs} jobs a run"
    )
    say(f"{'work/job':>9} {'workers':>7} {'seconds':>8} {'jobs/s':>8}  jobs per worker")
    figures = {}
    ok = True
    for work in (args.work_ms, 0):
        for workers in (1, 2):
            r = run(workers, args.jobs, work)
            figures[work, workers] = r
            ok &= r["exactly_once"] and not r["failed"]
            say(
                f"{work:>7}ms {workers:>7} {r['seconds']:>8.2f} {r['rate']:>8.1f}  "
                f"{r['per_worker']}{'' if r['exactly_once'] else '  NOT EXACTLY ONCE'}"
            )
    speedup = figures[args.work_ms, 2]["rate"] / figures[args.work_ms, 1]["rate"]
    say(f"two workers / one, {args.work_ms} ms jobs: ×{speedup:.2f} (target ≥ ×{SPEEDUP_TARGET})")
    ok &= speedup >= SPEEDUP_TARGET
    say("every job ran exactly once" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
