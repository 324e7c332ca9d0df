"""Benchmark: visitor feedback under load. 200 posts per second for 30 s against gunicorn on
loopback (production settings, a fresh SQLite database with the demo district), while the relic
page and a static file are read in alternating windows.

Run `python -m benchmarks.bench_feedback [--rate 200] [--seconds 30]` (`make bench-feedback`).
Every post carries its own phone key, as the page's script sends it; one in twenty is sent a
second time, as the service worker would replay it. Each simulated visitor has its own user
agent, so the rate limit (left on) does not hold them back. Targets: ≥ 95% of the asked rate
achieved over the run, every post stored once, no replay stored twice, no error answer.
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.bench_resolver import PHONE_UA, STATIC_PATH, _free_port, bench_env, start_server

REPLAY_EVERY = 20
READ_WINDOW_S = 5
TARGET_RATE_SHARE = 0.95


@dataclass
class PostLog:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)  # 201: stored now
    already: int = 0  # 200: a replay the server recognised
    failed: int = 0  # no answer (connection error)
    late: int = 0  # sent more than a second after its slot
    lock: threading.Lock = field(default_factory=threading.Lock)


def prepare_site(relics: int) -> list[tuple[int, str]]:
    """Migrate, collect static files, load the demo district: (page id, URL) of live relics."""
    import django
    from django.core.management import call_command

    django.setup()
    from content.demo import load_demo_district
    from content.models import RelicPage

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_demo_district()
    pages = RelicPage.objects.live().filter(locale__language_code="vi").order_by("path")
    return [(p.pk, p.url) for p in pages[:relics]]


def csrf_session(port: int, url: str) -> tuple[str, str]:
    """The cookie and form token a visitor's phone gets with the relic page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", url, headers={"User-Agent": PHONE_UA})
    response = conn.getresponse()
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    conn.close()
    return cookie, token


def post_plan(
    rate: int, seconds: int, pages: list[tuple[int, str]]
) -> list[tuple[float, str, dict, str]]:
    """(send at, path, form, user agent) for every post; every REPLAY_EVERY-th sent twice."""
    plan = []
    total = rate * seconds
    for n in range(total):
        page_id, _url = pages[n % len(pages)]
        ua = f"Mozilla/5.0 (Linux; Android 14; Phone-{n}) AppleWebKit/537.36 Mobile Safari/537.36"
        key = f"bench-{n:06d}-{os.getpid()}"
        if n % 10 == 9:
            path, form = (
                f"/feedback/{page_id}/report/",
                {"kind": "litter_safety", "description": f"Rác ở sân, lần {n}"},
            )
        else:
            path, form = (
                f"/feedback/{page_id}/rating/",
                {"score": str(1 + n % 5), "comment": f"Góp ý số {n}"},
            )
        form["client_key"] = key
        plan.append((n / rate, path, form, ua))
        if n % REPLAY_EVERY == 0:
            plan.append((n / rate + 0.5, path, dict(form), ua))  # the offline queue's replay
    return sorted(plan, key=lambda item: item[0])


def run_posts(port: int, plan, cookie: str, token: str, log: PostLog, threads: int = 24) -> float:
    """Send the plan on schedule (open loop) from `threads` keep-alive connections."""
    work: queue.Queue = queue.Queue()
    for item in plan:
        work.put(item)
    start = time.monotonic() + 0.2

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            try:
                at, path, form, ua = work.get_nowait()
            except queue.Empty:
                return
            delay = start + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -1:
                with log.lock:
                    log.late += 1
            body = urlencode({**form, "csrfmiddlewaretoken": token})
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Cookie": f"csrftoken={cookie}",
                "User-Agent": ua,
            }
            began = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with log.lock:
                    log.failed += 1
                continue
            with log.lock:
                log.latencies.append((time.perf_counter() - began) * 1000)
                log.statuses[response.status] = log.statuses.get(response.status, 0) + 1
                if response.status == 201:
                    log.acknowledged.add(form["client_key"])
                elif response.status == 200:
                    log.already += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.monotonic() - start


def read_load(port: int, path: str, seconds: float, connections: int = 2) -> tuple[float, int]:
    """Closed-loop GETs of `path` for `seconds`: requests per second and error answers."""
    done, bad = [0] * connections, [0] * connections
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", path, headers={"User-Agent": PHONE_UA, "Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
            done[n] += 1
            bad[n] += response.status >= 400

    began = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(done) / (time.monotonic() - began), sum(bad)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=int, default=200, help="posts per second")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--relics", type=int, default=18)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args(argv)
    write = sys.stdout.write
    with tempfile.TemporaryDirectory(prefix="bench-feedback-") as tmp:
        workdir = Path(tmp)
        env = bench_env(workdir, args.database_url)
        os.environ.update(env)
        pages = prepare_site(args.relics)
        plan = post_plan(args.rate, args.seconds, pages)
        unique = {form["client_key"] for _, _, form, _ in plan}
        port = _free_port()
        server = start_server(env, port, args.workers, args.threads)
        log = PostLog()
        reads: list[tuple[str, float, int]] = []
        try:
            cookie, token = csrf_session(port, pages[0][1])
            read_load(port, pages[0][1], 1)  # warm-up: templates, renditions
            poster = threading.Thread(
                target=lambda: reads.append(("posts", run_posts(port, plan, cookie, token, log), 0))
            )
            poster.start()
            windows = max(2, args.seconds // READ_WINDOW_S)
            for n in range(windows):
                path = pages[0][1] if n % 2 == 0 else STATIC_PATH
                rps, bad = read_load(port, path, READ_WINDOW_S)
                reads.append(("relic page" if n % 2 == 0 else "static file", rps, bad))
            poster.join()
        finally:
            server.terminate()
            server.wait(timeout=30)

        from feedback.models import Rating, Report

        keys = list(Rating.objects.values_list("client_key", flat=True))
        keys += list(Report.objects.values_list("client_key", flat=True))
    stored = set(keys)
    posts_s = next(v for name, v, _ in reads if name == "posts")
    sent = sum(log.statuses.values()) + log.failed
    lost = len(log.acknowledged - stored)
    unanswered_missing = len(unique - stored)
    doubled = len(keys) - len(stored)
    errors = sum(n for status, n in log.statuses.items() if status >= 400) + log.failed
    on_time = 1 - log.late / max(1, len(plan))
    achieved = sent / posts_s
    q = statistics.quantiles(log.latencies, n=100) if len(log.latencies) > 2 else [0] * 99
    write(
        f"server: gunicorn, {args.workers} workers × {args.threads} threads (gthread), "
        f"{os.cpu_count()} CPUs shared with the load generator; SQLite (WAL)\n"
        f"posts: {len(plan)} planned ({len(unique)} unique + {len(plan) - len(unique)} replays) "
        f"at {args.rate}/s for {args.seconds} s; {sent} sent in {posts_s:.1f} s "
        f"= {achieved:.0f}/s; {on_time:.1%} sent within 1 s of their slot\n"
        f"post latency: p50 {q[49]:.1f} ms, p99 {q[98]:.1f} ms; "
        f"answers {dict(sorted(log.statuses.items()))}, {log.failed} without answer\n"
        f"stored: {len(keys)} rows for {len(unique)} unique posts; "
        f"acknowledged and missing: {lost}; never stored: {unanswered_missing}; "
        f"stored twice: {doubled}; replays recognised: {log.already}\n"
    )
    write("reads during the run (closed loop, 2 connections, windows of 5 s):\n")
    for name, rps, bad in reads:
        if name != "posts":
            write(f"  {name:<12} {rps:8.0f} req/s  {bad} errors\n")
    relic = [rps for name, rps, _ in reads if name == "relic page"]
    static = [rps for name, rps, _ in reads if name == "static file"]
    write(
        f"relic page {statistics.median(relic):.0f} req/s beside static file "
        f"{statistics.median(static):.0f} req/s (medians)\n"
    )
    checks = [
        (
            f"≥ {TARGET_RATE_SHARE:.0%} of {args.rate} posts/s achieved",
            achieved >= TARGET_RATE_SHARE * args.rate,
        ),
        ("no post lost", lost == 0 and unanswered_missing == 0),
        ("no post stored twice", doubled == 0 and len(keys) == len(unique)),
        ("no error answer", errors == 0),
    ]
    for label, ok in checks:
        write(f"target {label}: {'OK' if ok else 'MISSED'}\n")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
