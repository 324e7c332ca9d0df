"""Benchmark: visitor pages, a feed and the QR resolver as a share of a static file, with nothing
kept, the page cache off and on, in one run, on the demo district (SQLite, production settings).

Run `python -m benchmarks.bench_pages [--seconds 2] [--trials 3] [--connections 32] [--workers 2]
[--port N]` (`make bench-pages`; `--port`, or `BENCH_PORT`, puts the three servers on N to N+2,
free ports otherwise). Migrates a fresh SQLite file, loads the demo district, then starts gunicorn
on loopback three times — "cold": `PAGE_CACHE_SECONDS=0` and `FRAGMENT_CACHE_SECONDS=0`, every page
built from the database; "uncached": the page cache off, relic, place and home articles kept as
rendered fragments (heritage_site/fragments.py, the default 300 s); "cached": both on (local memory
in each worker, no Redis) — and loads each path with `wrk` (Debian package; a small Python client
when it is missing) in pairs of loads: a static file, then the path. A path's share is the median
of its three pairs' shares, so that a burst of other work slows both loads of a pair alike and
spoils one pair, not the figure; the static file's requests/s printed is the median of all its
loads in that server run. Queries per request are
counted through Django's test client in this process (a second request, after one that may have
filled the caches), leaving out the generation number's read (once a second per process). Two
relics are added beside the demo's, built alike: one with 600 artifacts and 200 inscriptions, one
with 5 and 3; the big one's first page is also fetched whole (its bytes and <img> count). Targets:
cached pages ≥ 50 % of the static file's requests/s, uncached ≥ 5 % (cold is printed beside them,
with no target); the big relic's queries equal to the small one's (constant in artifacts and
inscriptions), its first load under 80 KB with at most 20 images in its inscription and artifact
lists; `/Q/` is printed for comparison (its target lives in `make bench-plaques`). Exits 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
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
BIG_ARTIFACTS, BIG_INSCRIPTIONS = 600, 200
MAX_FIRST_LOAD_BYTES, MAX_FIRST_LOAD_IMAGES = 80_000, 20


def relic_with_records(title: str, slug: str, artifacts: int, inscriptions: int) -> str:
    """A live relic beside the demo's Đình Đông Khê with that many artifacts and inscriptions
    (bulk inserts, as an inventory import leaves them), all showing the demo's hero image."""
    from content.models import Artifact, Inscription, RelicPage

    demo = RelicPage.objects.get(locale__language_code="vi", slug="dinh-dong-khe")
    relic = RelicPage(
        title=title,
        slug=slug,
        latitude=demo.latitude,
        longitude=demo.longitude,
        summary=f"{title}: kho hiện vật lớn.",
        hero_image=demo.hero_image,
    )
    demo.get_parent().add_child(instance=relic)
    relic.save_revision().publish()
    rows = []
    for n in range(artifacts):
        row = Artifact(
            relic=relic,
            sort_order=n,
            inventory_number=f"HV-{n:04d}",
            name=f"Hiện vật số {n}",
            material="Gỗ sơn son thếp vàng",
            dating="Thời Nguyễn",
            description="Đồ thờ trong hậu cung, tạo tác công phu, còn nguyên vẹn.",
            image=demo.hero_image,
        )
        row.search_key = row.search_text()
        rows.append(row)
    Artifact.objects.bulk_create(rows)
    rows = []
    for n in range(inscriptions):
        row = Inscription(
            relic=relic,
            sort_order=n,
            title=f"Câu đối số {n}",
            original_text="重修亭碑記",
            transliteration="Trùng tu đình bi ký",
            translation="Bia ghi việc trùng tu đình",
            rubbing_image=demo.hero_image,
        )
        row.search_key = row.search_text()
        rows.append(row)
    Inscription.objects.bulk_create(rows)
    return RelicPage.objects.get(pk=relic.pk).url


def first_load(path: str) -> tuple[int, int, int]:
    """Bytes of HTML, <img> elements, and those in the inscription and artifact lists, of a
    page as a phone first gets it (the hero and nearby places come on top of the lists')."""
    from django.test import Client

    response = Client(HTTP_USER_AGENT=PHONE_UA).get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content
    start = html.find(b'id="di-van"')
    end = html.find(b'class="nearby"')
    lists = html[start : end if end > start else len(html)] if start >= 0 else b""
    return len(html), html.count(b"<img"), lists.count(b"<img")


def visitor_paths(code: str) -> dict[str, str]:
    from content.models import RelicPage

    relic = RelicPage.objects.live().filter(locale__language_code="vi", slug="dinh-dong-khe")
    english = RelicPage.objects.live().filter(locale__language_code="en").order_by("path")
    return {
        "relic (vi)": relic.first().url,
        "relic (/en/)": english.first().url,
        "relic 5+3": relic_with_records("Đình Ít Hiện Vật", "dinh-it-hien-vat", 5, 3),
        "relic 600+200": relic_with_records(
            "Đình Nhiều Hiện Vật", "dinh-nhieu-hien-vat", BIG_ARTIFACTS, BIG_INSCRIPTIONS
        ),
        "home": "/",
        "map": "/map/",
        "relics feed": "/api/geo/relics.geojson",
        "/Q/ scan": f"/Q/{code}",
    }


# Three servers: nothing kept ("cold"), the page cache off with fragments kept ("uncached", the
# issue's figure), and both on ("cached"): (PAGE_CACHE_SECONDS, FRAGMENT_CACHE_SECONDS).
MODES = {"cold": ("0", "0"), "uncached": ("0", "300"), "cached": ("300", "300")}


def queries(path: str, mode: str) -> int:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_USER_AGENT=PHONE_UA)
    page_seconds, fragment_seconds = (int(v) for v in MODES[mode])
    with override_settings(
        PAGE_CACHE_SECONDS=page_seconds, FRAGMENT_CACHE_SECONDS=fragment_seconds
    ):
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
    assert response.status_code in (200, 302), (path, response.status_code)
    # The page cache's generation is read at most once a second per process, whichever request
    # comes then: left out, so the count does not depend on timing.
    return sum("pagecachegeneration" not in q["sql"] for q in ctx.captured_queries)


def requests_per_second(port, args, workdir, use_wrk, path, seconds=None) -> float:
    """Requests per second of one load of ``seconds`` (``--seconds`` by default)."""
    seconds = seconds or args.seconds
    if use_wrk:
        run = wrk_load(port, [path], seconds, args.connections, workdir, PHONE_UA, timeout_s=30)
    else:
        run = python_load(port, [path], seconds, args.connections, PHONE_UA)
    if run.bad:
        raise RuntimeError(f"{path}: {run.bad} error responses")
    return run.rps


def paired_loads(load, path: str, trials: int) -> tuple[float, float, list[float]]:
    """``trials`` pairs of loads, the static file then ``path``: the median of the path's
    requests/s, of its share of the static file's in each pair, and the static rates. A burst of
    other work on the machine slows both loads of a pair alike, and spoils one pair at most."""
    rates, shares, statics = [], [], []
    for _ in range(trials):
        static = load(STATIC_PATH)
        rate = load(path)
        statics.append(static)
        rates.append(rate)
        shares.append(rate / static)
    return statistics.median(rates), statistics.median(shares), statics


def warm_up(load, path: str) -> None:
    """Two seconds of load; a slow page may see no answer in time, which is fine here."""
    try:
        load(path, seconds=2)
    except (KeyError, RuntimeError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=2, help="seconds per load")
    parser.add_argument(
        "--trials", type=int, default=3, help="pairs of loads per path; the median counts"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BENCH_PORT", "0")),
        help="the uncached server's port (the cached one: the next); default: free ports",
    )
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
            f"{args.connections} connections, median of {args.trials} pairs of "
            f"{args.seconds} s loads (the static file, then the path) per path; "
            f"{os.cpu_count()} CPUs "
            "shared with the load generator\n"
        )
        counts = {name: {m: queries(path, m) for m in MODES} for name, path in paths.items()}
        big_bytes, big_images, list_images = first_load(paths["relic 600+200"])
        results: dict[str, dict[str, float]] = {}
        shares: dict[str, dict[str, float]] = {}
        for offset, (mode, (page_seconds, fragment_seconds)) in enumerate(MODES.items()):
            port = args.port + offset if args.port else _free_port()
            server = start_server(
                {
                    **env,
                    "PAGE_CACHE_SECONDS": page_seconds,
                    "FRAGMENT_CACHE_SECONDS": fragment_seconds,
                },
                port,
                args.workers,
                args.threads,
            )
            try:
                load = partial(requests_per_second, port, args, workdir, use_wrk)
                warm_up(load, STATIC_PATH)
                results[mode], shares[mode] = {}, {"static file": 1.0}
                statics = []
                for name, path in paths.items():
                    warm_up(load, path)  # with the cache on, fills both workers' caches
                    rate, share, static = paired_loads(load, path, args.trials)
                    results[mode][name], shares[mode][name] = rate, share
                    statics += static
                results[mode]["static file"] = statistics.median(statics)
            finally:
                server.terminate()
                server.wait(timeout=30)

    heads = "".join(f"{m + ' req/s':>15}{'share':>7}{'queries':>9}" for m in MODES)
    write(f"{'':<14}{heads}\n")
    checks = []
    for name in ["static file", *paths]:
        write(
            f"{name:<14}"
            + "".join(
                f"{results[m][name]:>15.0f}{shares[m][name]:>7.3f}"
                f"{counts.get(name, {}).get(m, 0):>9}"
                for m in MODES
            )
            + "\n"
        )
        un_share, ca_share = shares["uncached"][name], shares["cached"][name]
        if name not in ("static file", "/Q/ scan"):
            checks.append(
                (f"{name} cached ≥ {TARGET_CACHED:g} of static", ca_share >= TARGET_CACHED)
            )
            checks.append(
                (f"{name} uncached ≥ {TARGET_UNCACHED:g} of static", un_share >= TARGET_UNCACHED)
            )
    big, small = counts["relic 600+200"]["cold"], counts["relic 5+3"]["cold"]
    checks.append(
        (
            f"queries constant in artifacts and inscriptions ({BIG_ARTIFACTS}+{BIG_INSCRIPTIONS}: "
            f"{big}, 5+3: {small})",
            big == small,
        )
    )
    write(
        f"relic {BIG_ARTIFACTS}+{BIG_INSCRIPTIONS} first load: {big_bytes / 1000:.1f} KB of HTML, "
        f"{big_images} <img> ({list_images} in the inscription and artifact lists)\n"
    )
    limit_kb = MAX_FIRST_LOAD_BYTES // 1000
    checks.append(
        (
            f"relic {BIG_ARTIFACTS}+{BIG_INSCRIPTIONS} first load < {limit_kb} KB"
            f" and ≤ {MAX_FIRST_LOAD_IMAGES} <img> in its lists",
            big_bytes < MAX_FIRST_LOAD_BYTES and list_images <= MAX_FIRST_LOAD_IMAGES,
        )
    )
    for label, ok in checks:
        write(f"target {label}: {'OK' if ok else 'MISSED'}\n")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
