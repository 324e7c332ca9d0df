"""Faults against `make prod` on loopback, each bounded in time: what visitors and staff see.

Run `python -m benchmarks.bench_faults [--only redis,postgresql,worker,disk]`
(`make bench-faults`). Uses the stack in .prod/ (PROD_DIR; started when it is not running), with
the demo district loaded when the database is empty. Every process is stopped and started again
by the PID the stack keeps; nothing else on the machine is touched.

  redis       Redis stopped for 8 s under load (6 threads reading visitor pages and feeds):
              target 0 errors (pages served uncached), /readyz 503 while it is down, 200 after.
  postgresql  The private PostgreSQL stopped (fast shutdown) for 4 s under the same load, /Q/
              scans included: target 0 errors among requests started before it stopped or
              after it was back; gunicorn and the task workers keep their PIDs; /readyz 200.
  worker      A panorama (8192×4096) queued; the db_worker tiling it is killed with SIGKILL
              mid-tiling (workers restarted first with JOB_LEASE_SECONDS=6): target the other
              worker finishes it (attempt 2), no folder is ever published half-built, no
              temporary folder left, its tiles served through nginx.
  disk        That panorama's tile folder moved onto a tmpfs just larger than its pyramid (root
              only; `mount`), then re-tiled with another field of view: target status "failed"
              with the disk-full message, the original kept, the previous pyramid still served,
              no temporary folder left.
Prints one line per fault and exits 1 when any target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.bench_load import EXAMPLE_PANO, ROOT, ensure_stack, load_env, run_dir
from benchmarks.bench_resolver import PHONE_UA


def prod_script():
    spec = importlib.util.spec_from_file_location("prod_script", ROOT / "scripts" / "prod.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


prod = prod_script()


@dataclass
class Outcome:
    name: str
    ok: bool
    detail: str


@dataclass
class Hammer:
    """A few keep-alive clients reading paths until stopped; each answer kept with its start
    time (monotonic) and status (0 = no answer)."""

    port: int
    paths: list[str]
    threads: int = 6
    results: list[tuple[float, float, int]] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._workers = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.threads)
        ]

    def _run(self, n: int) -> None:
        rng = random.Random(n)
        conn = None
        while not self._stop.is_set():
            path = rng.choice(self.paths)
            started = time.monotonic()
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                conn.request("GET", path, headers={"User-Agent": PHONE_UA})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status, conn = 0, None
            with self._lock:
                self.results.append((started, time.monotonic(), status))

    def __enter__(self):
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=30)

    def errors(self, since: float = 0.0, until: float = float("inf")) -> int:
        """Failed requests started at `since` or later and answered before `until`."""
        return sum(
            1 for t, end, s in self.results if since <= t and end < until and not 200 <= s < 400
        )

    def count(self, since: float = 0.0, until: float = float("inf")) -> int:
        return sum(1 for t, end, _ in self.results if since <= t and end < until)


def readyz(port: int) -> tuple[int, dict]:
    import json
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=15) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError:
        return 0, {}


def wait_until(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def visitor_paths() -> list[str]:
    from content.models import RelicPage
    from media_pipeline.qr.short_codes import assign_code

    relics = list(RelicPage.objects.live().filter(locale__language_code="vi").order_by("?")[:40])
    paths = ["/", "/map/", "/api/geo/relics.geojson"]
    paths += [r.get_url() for r in relics] + [f"/en{r.get_url()}" for r in relics[:10]]
    paths += [f"/Q/{assign_code(r).code}" for r in relics[:10]]
    return paths


# --- faults ------------------------------------------------------------------------------


def fault_redis(state: dict, paths: list[str]) -> Outcome:
    run, port = run_dir(), state["ports"]["nginx"]
    with Hammer(port, paths) as hammer:
        time.sleep(3)
        stopped_at = time.monotonic()
        prod.stop_one(run, "redis")
        time.sleep(1)
        down_status, down_body = readyz(port)
        time.sleep(7)
        prod.start_redis(run, state["ports"]["redis"])
        back = wait_until(lambda: readyz(port)[0] == 200, 30)
        time.sleep(2)
    cache_failed = down_body.get("checks", {}).get("cache", {}).get("ok") is False
    errors = hammer.errors()
    ok = errors == 0 and down_status == 503 and cache_failed and back
    return Outcome(
        "Redis stopped 8 s",
        ok,
        f"{hammer.count():,} requests, {errors} errors ({hammer.count(since=stopped_at):,} from "
        f"the stop on); /readyz while down {down_status} (cache failing: {cache_failed}), "
        f"200 again after restart: {back}",
    )


def fault_postgresql(state: dict, paths: list[str]) -> Outcome:
    run, port = run_dir(), state["ports"]["nginx"]
    if state["database"] != "private":
        return Outcome("PostgreSQL restarted", False, "not run: PROD_DATABASE_URL is external")
    before = {name: prod.running(run, name) for name in ("gunicorn", "worker-1", "worker-2")}
    with Hammer(port, paths) as hammer:
        time.sleep(3)
        down_at = time.monotonic()
        prod.stop_one(run, "postgresql", signal.SIGINT, wait=60)
        time.sleep(4)
        prod.start_postgresql(run, state["ports"]["postgresql"])
        up_at = time.monotonic()
        time.sleep(8)
    from django.db import connections

    connections.close_all()  # this process's own connection died with the server
    after = {name: prod.running(run, name) for name in before}
    status, _body = readyz(port)
    # Before: answered before the stop. After: started once it was back. The rest overlapped
    # the outage (in flight when it stopped, or sent while it was down).
    errors_before, errors_after = hammer.errors(until=down_at), hammer.errors(since=up_at)
    during = hammer.errors() - errors_before - errors_after
    overlapping = hammer.count() - hammer.count(until=down_at) - hammer.count(since=up_at)
    ok = errors_before == 0 and errors_after == 0 and after == before and status == 200
    return Outcome(
        "PostgreSQL restarted",
        ok,
        f"down {up_at - down_at:.1f} s; errors before {errors_before} "
        f"({hammer.count(until=down_at):,} req), while down {during} "
        f"({overlapping:,} req), after {errors_after} "
        f"({hammer.count(since=up_at):,} req); same PIDs: {after == before}; /readyz {status}",
    )


def restart_workers(lease: str) -> None:
    run = run_dir()
    for name in ("worker-1", "worker-2"):
        prod.stop_one(run, name)
    prod.start_workers(run, {**os.environ, "JOB_LEASE_SECONDS": lease})


def big_original(folder: Path, quality: int = 85) -> Path:
    """The example panorama at 8192×4096; another quality gives other bytes (other tiles)."""
    from PIL import Image

    path = folder / f"bench-faults-8192-q{quality}.jpg"
    if not path.exists():
        with Image.open(EXAMPLE_PANO) as image:
            image.convert("RGB").resize((8192, 4096)).save(path, quality=quality)
    return path


def published_folders(pano) -> list[Path]:
    root = pano.tiles_root
    return [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]


def temporaries(pano) -> list[str]:
    return [p.name for p in pano.tiles_root.glob(".*") if ".tmp-" in p.name]


def fault_worker(state: dict) -> tuple[Outcome, int | None]:
    from django.core.files import File
    from django_tasks_db.models import DBTaskResult

    from content.models import RelicPage
    from media_pipeline.models import Panorama
    from media_pipeline.panoramas.tasks import schedule_panorama

    run, port = run_dir(), state["ports"]["nginx"]
    restart_workers("6")
    workers = {prod.running(run, name) for name in ("worker-1", "worker-2")}
    relic = RelicPage.objects.live().filter(locale__language_code="vi").order_by("path").last()
    pano = Panorama.objects.create(title="Sân đình (thử lỗi)", relic=relic)
    with big_original(run / "bench").open("rb") as source:
        pano.original.save("bench-faults.jpg", File(source))
    started = time.monotonic()
    schedule_panorama(pano.pk)
    half_published, killed = [], None

    def mid_tiling():
        pano.refresh_from_db()
        task = DBTaskResult.objects.filter(
            status="RUNNING", task_path__endswith="process_panorama_task"
        ).first()
        return pano.progress > 0 and temporaries(pano) and task

    task = None
    if wait_until(lambda: mid_tiling(), 120):
        task = DBTaskResult.objects.filter(
            status="RUNNING", task_path__endswith="process_panorama_task"
        ).first()
    if task is not None:
        pid = int(task.worker_ids[-1].split(":")[1])
        if pid in workers:
            os.kill(pid, signal.SIGKILL)
            killed = pid

    def finished():
        pano.refresh_from_db()
        for folder in published_folders(pano):
            if not (folder / "config.json").exists():
                half_published.append(folder.name)
        return pano.status in (Panorama.Status.READY, Panorama.Status.FAILED)

    done = killed is not None and wait_until(finished, 180)
    seconds = time.monotonic() - started
    tile = f"/media/panoramas/tiles/{pano.pk}/{pano.tiles_version}/preview.jpg"
    served = prod.http_status(f"http://127.0.0.1:{port}{tile}") == 200 if done else False
    left = temporaries(pano)
    ok = (
        done
        and pano.status == Panorama.Status.READY
        and pano.attempts == 2
        and not half_published
        and not left
        and served
    )
    restart_workers(os.environ.get("JOB_LEASE_SECONDS", "300"))
    return (
        Outcome(
            "worker SIGKILL mid-tiling",
            ok,
            f"killed PID {killed}; panorama {pano.status} after {seconds:.0f} s, attempt "
            f"{pano.attempts}; half-published folders seen: {len(half_published)}; "
            f"temporaries left: {len(left)}; tiles served: {served}",
        ),
        pano.pk if ok else None,
    )


def folder_bytes(folder: Path) -> int:
    """Room the folder takes on tmpfs: whole 4 KiB pages per file and per folder."""
    return sum(-(-max(p.stat().st_size, 1) // 4096) * 4096 for p in folder.rglob("*"))


def fault_disk(state: dict, pano_pk: int | None) -> Outcome:
    from media_pipeline.models import Panorama
    from media_pipeline.panoramas.tasks import schedule_panorama

    name = "disk full while tiling"
    if os.geteuid() != 0:
        return Outcome(name, False, "not run: mounting a small tmpfs needs root")
    if pano_pk is None:
        return Outcome(name, False, "not run: needs the panorama the worker fault tiled")
    port = state["ports"]["nginx"]
    pano = Panorama.objects.get(pk=pano_pk)
    root, version = pano.tiles_root, pano.tiles_version
    tile = f"/media/panoramas/tiles/{pano.pk}/{version}/preview.jpg"
    size = folder_bytes(root) + 1024 * 1024
    aside = run_dir() / "bench" / "tiles-aside"
    shutil.rmtree(aside, ignore_errors=True)
    shutil.copytree(root, aside)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(root)], check=True)
    try:
        shutil.copytree(aside, root, dirs_exist_ok=True)
        from django.core.files import File

        # A new original (other bytes, so another version of the tiles), as staff replace one.
        with big_original(run_dir() / "bench", quality=80).open("rb") as source:
            pano.original.save("bench-faults-2.jpg", File(source))
        schedule_panorama(pano.pk, force=True)

        def finished():
            pano.refresh_from_db()
            return pano.status in (Panorama.Status.READY, Panorama.Status.FAILED)

        done = wait_until(finished, 180)
        from media_pipeline.panoramas.processing import DISK_FULL_ERROR

        clear = pano.error_message == DISK_FULL_ERROR
        original = pano.original.storage.exists(pano.original.name)
        served = prod.http_status(f"http://127.0.0.1:{port}{tile}") == 200
        kept = pano.tiles_version == version and (root / version / "config.json").exists()
        left = temporaries(pano)
    finally:
        subprocess.run(["umount", str(root)], check=False)
        shutil.rmtree(aside, ignore_errors=True)
    ok = done and pano.status == Panorama.Status.FAILED and clear and original and served
    ok = ok and kept and not left
    return Outcome(
        name,
        ok,
        f"tmpfs of {size // 1024} KiB; status {pano.status}, disk-full message: {clear}; "
        f"original kept: {original}; previous pyramid kept: {kept}, served: {served}; "
        f"temporaries left: {len(left)}",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="redis,postgresql,worker,disk")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(","))
    write = sys.stdout.write
    state = ensure_stack()
    load_env()
    from django.core.management import call_command

    from content.models import RelicPage

    if not RelicPage.objects.exists():
        call_command("load_demo_district", stdout=open(os.devnull, "w"))
    (run_dir() / "bench").mkdir(exist_ok=True)
    paths = visitor_paths()
    write(
        f"stack: nginx :{state['ports']['nginx']}, PostgreSQL {state['database']}, Redis, 2 "
        f"db_workers; {RelicPage.objects.count():,} relic pages; load: 6 keep-alive clients "
        f"over {len(paths)} visitor paths; {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}\n"
    )
    outcomes = []
    if "redis" in wanted:
        outcomes.append(fault_redis(state, paths))
    if "postgresql" in wanted:
        outcomes.append(fault_postgresql(state, paths))
    pano_pk = None
    if "worker" in wanted or "disk" in wanted:
        outcome, pano_pk = fault_worker(state)
        if "worker" in wanted:
            outcomes.append(outcome)
    if "disk" in wanted:
        outcomes.append(fault_disk(state, pano_pk))
    for outcome in outcomes:
        write(f"{'OK    ' if outcome.ok else 'MISSED'} {outcome.name}: {outcome.detail}\n")
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
