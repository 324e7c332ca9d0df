"""Benchmark: the plaque resolver under load, beside a static file from the same server, and the
district's batch PDF through `manage.py make_plaques`, on a fresh database of 125 relics.

Run `python -m benchmarks.bench_resolver [--relics 125] [--rounds 3] [--seconds 5]`
(`make bench-plaques` runs it after benchmarks.bench_plaques). Starts gunicorn with
production settings on a free port and loads it with `wrk` (Debian package), or with a small
Python keep-alive client when wrk is missing. Targets on a 2-core machine: batch PDF ≤ 10 s;
resolver ≥ 50% of the static file's requests/s; at most 2 queries per resolve.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
STATIC_PATH = "/static/favicon.svg"
TARGET_BATCH_S, TARGET_RATIO, TARGET_QUERIES = 10.0, 0.5, 2


@dataclass
class Load:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    bad: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(workdir: Path, database_url: str | None) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="heritage_site.settings.production",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PUBLIC_BASE_URL="https://disan.example.gov.vn",
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        PLAQUE_BASE_URL="https://disan.example.gov.vn",
        LOG_LEVEL="WARNING",
    )


def prepare(relics: int) -> list[str]:
    """Migrate, collect static files, load the demo district and grow it to `relics` relics."""
    import django
    from django.core.management import call_command

    django.setup()
    from content.demo import load_demo_district
    from content.models import RelicPage, WardPage
    from media_pipeline.qr.short_codes import code_for_page

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_demo_district()
    wards = list(WardPage.objects.filter(locale__language_code="vi").order_by("path"))
    have = RelicPage.objects.filter(locale__language_code="vi").count()
    for n in range(have, relics):
        # Live from the start (Page.live defaults to True); no revision needed for a benchmark.
        relic = RelicPage(title=f"Đình làng mẫu số {n + 1}", ranking="cap_tinh")
        wards[n % len(wards)].add_child(instance=relic)
    pages = RelicPage.objects.live().filter(locale__language_code="vi").order_by("path")
    return [code_for_page(p).code for p in pages]


def queries_per_resolve(code: str) -> tuple[int, int]:
    """Queries of a scan in Vietnamese and in English (warm site cache), via Django's client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_USER_AGENT=PHONE_UA)
    counts = []
    for language in ("vi", "en"):
        client.get(f"/Q/{code}", HTTP_ACCEPT_LANGUAGE=language)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/Q/{code}", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 302, response.status_code
        counts.append(len(ctx.captured_queries))
    return counts[0], counts[1]


def batch_pdf(env: dict[str, str], out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `manage.py make_plaques` for every live relic, as A5 PDF."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "make_plaques", "--size", "a5", "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def start_server(env: dict[str, str], port: int, workers: int, threads: int):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "heritage_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 30 s")


_WRK_SCRIPT = """
local paths = {%s}
local languages = {"vi-VN,vi;q=0.9", "vi", "en-US,en;q=0.9", "ko-KR,ko;q=0.9,en;q=0.5"}
local i = 0
wrk.headers["User-Agent"] = "%s"
request = function()
  i = i + 1
  wrk.headers["Accept-Language"] = languages[(i %% #languages) + 1]
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(
    script: Path,
    port: int,
    seconds: int,
    connections: int,
    *,
    timeout_s: int = 2,
    socket_errors_are_bad: bool = False,
) -> Load:
    """wrk with a Lua script on 127.0.0.1:port; its counts and latencies. Socket errors are
    printed, and counted as bad answers when asked (a timeout is no answer within timeout_s)."""
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            f"--timeout={timeout_s}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    if "Latency Distribution" not in out:
        raise RuntimeError(f"unexpected wrk output:\n{out}\n{done.stderr}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    socket_errors = sum(int(x) for x in sockets.groups()) if sockets else 0
    if sockets or bad:
        sys.stdout.write(
            f"  wrk: {bad.group(0) if bad else 'no non-2xx/3xx'}; "
            f"{sockets.group(0) if sockets else 'no socket errors'} "
            f"(timeout = no answer in {timeout_s} s)\n"
        )
    return Load(
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_ms(latency["50"]),
        p99_ms=_ms(latency["99"]),
        bad=(int(bad.group(1)) if bad else 0) + (socket_errors if socket_errors_are_bad else 0),
    )


def wrk_load(
    port: int,
    paths: list[str],
    seconds: int,
    connections: int,
    workdir: Path,
    ua: str,
    timeout_s: int = 2,
) -> Load:
    script = workdir / "paths.lua"
    quoted = ", ".join(f'"{p}"' for p in paths)
    script.write_text(_WRK_SCRIPT % (quoted, ua))
    return run_wrk(script, port, seconds, connections, timeout_s=timeout_s)


def python_load(port: int, paths: list[str], seconds: int, connections: int, ua: str) -> Load:
    """Fallback load generator: one keep-alive connection per thread (slower than wrk)."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    bad = [0] * connections
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = n
        while time.monotonic() < stop:
            start = time.perf_counter()
            conn.request("GET", paths[i % len(paths)], headers={"User-Agent": ua})
            response = conn.getresponse()
            response.read()
            latencies[n].append((time.perf_counter() - start) * 1000)
            bad[n] += response.status >= 400
            i += connections

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = sorted(x for per in latencies for x in per)
    q = statistics.quantiles(flat, n=100)
    return Load(len(flat), len(flat) / (time.monotonic() - began), q[49], q[98], sum(bad))


def run_loads(args, port: int, codes: list[str], workdir: Path) -> tuple[list, int]:
    """Alternate static and resolver runs, so that a busy neighbour on the machine weighs on
    both alike; then one run of bot scans (looked up, not counted) to show what counting costs.
    """
    use_wrk = shutil.which("wrk") is not None
    resolver = [f"/Q/{c}" for c in codes]

    def load(paths: list[str], seconds: int, ua: str = PHONE_UA) -> Load:
        if use_wrk:
            return wrk_load(port, paths, seconds, args.connections, workdir, ua)
        return python_load(port, paths, seconds, args.connections, ua)

    sys.stdout.write(
        f"server: gunicorn, {args.workers} workers × {args.threads} threads (gthread); "
        f"load: {'wrk' if use_wrk else 'Python threads'}, {args.connections} connections, "
        f"{args.rounds} rounds of {args.seconds} s each, {os.cpu_count()} CPUs shared with "
        "the load generator\n"
    )
    load([STATIC_PATH], 2)  # warm-up
    sent = load(resolver, 2).requests
    rows = []
    for n in range(1, args.rounds + 1):
        rows.append((f"static #{n}", load([STATIC_PATH], args.seconds)))
        rows.append((f"resolver #{n}", load(resolver, args.seconds)))
        sent += rows[-1][1].requests
    rows.append(("bot scans", load(resolver, args.seconds, ua="curl/8.5")))
    return rows, sent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--relics", type=int, default=125)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args(argv)
    write = sys.stdout.write
    with tempfile.TemporaryDirectory(prefix="bench-resolver-") as tmp:
        workdir = Path(tmp)
        env = bench_env(workdir, args.database_url)
        os.environ.update(env)
        start = time.perf_counter()
        codes = prepare(args.relics)
        write(f"setup: {len(codes)} relics in {time.perf_counter() - start:.1f} s\n")
        q_vi, q_en = queries_per_resolve(codes[0])
        write(f"queries per resolve: {q_vi} (vi), {q_en} (en)\n")
        batch_s, batch_rss = batch_pdf(env, workdir / "batch.pdf")
        write(f"batch PDF via make_plaques, {len(codes)} A5 plaques: {batch_s:.2f} s, ")
        write(f"peak RSS {batch_rss:.0f} MB (whole command, Django start-up included)\n")

        from media_pipeline.models import DailyScanCount

        before = sum(DailyScanCount.objects.values_list("count", flat=True))
        port = _free_port()
        server = start_server(env, port, args.workers, args.threads)
        try:
            rows, sent = run_loads(args, port, codes, workdir)
        finally:
            server.terminate()
            server.wait(timeout=30)
        counted = sum(DailyScanCount.objects.values_list("count", flat=True)) - before

    write(f"{'':<13}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}\n")
    for name, r in rows:
        write(f"{name:<13}{r.rps:>9.0f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}{r.bad:>8}\n")
    ratios = [rows[i + 1][1].rps / rows[i][1].rps for i in range(0, 2 * args.rounds, 2)]
    ratio = statistics.median(ratios)
    write(f"resolver / static, per round: {', '.join(f'{r:.0%}' for r in ratios)}; ")
    write(f"median {ratio:.0%}\n")
    # wrk stops counting at the deadline while the server finishes what is in flight.
    write(f"scans counted: {counted} for {sent} resolver requests wrk saw answered\n")
    checks = [
        (f"batch PDF ≤ {TARGET_BATCH_S:g} s", batch_s <= TARGET_BATCH_S),
        (f"resolver ≥ {TARGET_RATIO:.0%} of static req/s", ratio >= TARGET_RATIO),
        (f"≤ {TARGET_QUERIES} queries per resolve", max(q_vi, q_en) <= TARGET_QUERIES),
    ]
    for label, ok in checks:
        write(f"target {label}: {'OK' if ok else 'MISSED'}\n")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
