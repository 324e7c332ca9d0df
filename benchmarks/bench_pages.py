"""Benchmark: visitor pages, a feed and the QR resolver as a share of a static file, with the page
cache off and on, in one run, on the demo district (SQLite, production settings).

Run `python -m benchmarks.bench_pages [--seconds 5] [--connections 32] [--workers 2]`
(`make bench-pages`). Migrates a fresh SQLite file, loads the demo district, then starts gunicorn
on loopback twice — `PAGE_CACHE_SECONDS=0` (uncached) and the default 300 s (cached, local-memory
cache in each worker, no Redis) — and loads each path with `wrk` (Debian package; a small Python
client when it is missing), a static file first in each server run. Queries per request are
counted through Django's test client in this process (cached: a second request, a hit).
Targets: cached pages ≥ 50 % of the static file's requests/s, uncached ≥ 5 %; `/Q/` is printed
for comparison (its target lives in `make bench-plaques`). Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from benchmarks.bench_resolver import (
    PHONE_UA,
    STATIC_PATH,
    _free_port,
    bench_env,
    prepare,
    python_load,
    start_server,
    wrk_load,
)

TARGET_CACHED, TARGET_UNCACHED = 0.5, 0.05


def visitor_paths(code: str) -> dict[str, str]:
    from content.models import RelicPage

    relic = RelicPage.objects.live().filter(locale__language_code="vi", slug="dinh-dong-khe")
    english = RelicPage.objects.live().filter(locale__language_code="en").order_by("path")
    return {
        "relic (vi)": relic.first().url,
        "relic (/en/)": english.first().url,
        "home": "/",
        "map": "/map/",
        "relics feed": "/api/geo/relics.geojson",
        "/Q/ scan": f"/Q/{code}",
    }


def queries(path: str, cached: bool) -> int:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_USER_AGENT=PHONE_UA)
    with override_settings(PAGE_CACHE_SECONDS=300 if cached else 0):
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
    assert response.status_code in (200, 302), (path, response.status_code)
    return len(ctx.captured_queries)


def requests_per_second(port, args, workdir, use_wrk, path, seconds=None) -> float:
    seconds = seconds or args.seconds
    if use_wrk:
        run = wrk_load(port, [path], seconds, args.connections, workdir, PHONE_UA, timeout_s=30)
    else:
        run = python_load(port, [path], seconds, args.connections, PHONE_UA)
    if run.bad:
        raise RuntimeError(f"{path}: {run.bad} error responses")
    return run.rps


def warm_up(load, path: str) -> None:
    """Two seconds of load; a slow page may see no answer in time, which is fine here."""
    try:
        load(path, seconds=2)
    except (KeyError, RuntimeError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    write = sys.stdout.write
    use_wrk = shutil.which("wrk") is not None
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        workdir = Path(tmp)
        env = bench_env(workdir, None)
        os.environ.update(env)
        start = time.perf_counter()
        codes = prepare(0)
        paths = visitor_paths(codes[0])
        write(
            f"setup: demo district, {len(codes)} relics, in {time.perf_counter() - start:.1f} s\n"
        )
        write(
            f"server: gunicorn, {args.workers} workers × {args.threads} thread (gthread), "
            f"production settings, SQLite; load: {'wrk' if use_wrk else 'Python threads'}, "
            f"{args.connections} connections, {args.seconds} s per path; {os.cpu_count()} CPUs "
            "shared with the load generator\n"
        )
        counts = {
            name: (queries(path, cached=False), queries(path, cached=True))
            for name, path in paths.items()
        }
        results: dict[str, dict[str, float]] = {}
        for mode, keep in (("uncached", "0"), ("cached", "300")):
            port = _free_port()
            server = start_server(
                {**env, "PAGE_CACHE_SECONDS": keep}, port, args.workers, args.threads
            )
            try:
                load = partial(requests_per_second, port, args, workdir, use_wrk)
                warm_up(load, STATIC_PATH)
                results[mode] = {"static file": load(STATIC_PATH)}
                for name, path in paths.items():
                    warm_up(load, path)  # with the cache on, fills both workers' caches
                    results[mode][name] = load(path)
            finally:
                server.terminate()
                server.wait(timeout=30)

    write(
        f"{'':<14}{'uncached req/s':>15}{'share':>7}{'queries':>9}"
        f"{'cached req/s':>14}{'share':>7}{'queries':>9}\n"
    )
    checks = []
    for name in ["static file", *paths]:
        un, ca = results["uncached"][name], results["cached"][name]
        un_share = un / results["uncached"]["static file"]
        ca_share = ca / results["cached"]["static file"]
        q_un, q_ca = counts.get(name, (0, 0))
        write(
            f"{name:<14}{un:>15.0f}{un_share:>7.3f}{q_un:>9}{ca:>14.0f}{ca_share:>7.3f}{q_ca:>9}\n"
        )
        if name not in ("static file", "/Q/ scan"):
            checks.append(
                (f"{name} cached ≥ {TARGET_CACHED:g} of static", ca_share >= TARGET_CACHED)
            )
            checks.append(
                (f"{name} uncached ≥ {TARGET_UNCACHED:g} of static", un_share >= TARGET_UNCACHED)
            )
    for label, ok in checks:
        write(f"target {label}: {'OK' if ok else 'MISSED'}\n")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
