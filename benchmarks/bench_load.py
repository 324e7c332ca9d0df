"""Benchmark: a scan-and-read mix against `make prod` (nginx → gunicorn → PostgreSQL + Redis),
with 10,000 relics and 200,000 artifacts, beside a static file from the same nginx.

Run `python -m benchmarks.bench_load [--seconds 60] [--connections 64]` (`make bench-load`).
Uses the stack in .prod/ (PROD_DIR; started with `scripts/prod.py start` when it is not running,
PROD_PORT as for make prod). On its PostgreSQL it loads the demo district, then grows it to
--relics relics (rows written in bulk, as the tree's paths are computed here) with
--artifacts artifacts spread over them, QR codes for --scanned relics and two processed 360°
panoramas (the shared example photograph). Then wrk (Debian) with --connections connections for
--seconds seconds, first on a static file served by nginx, then on the mix, in proportions
of what a visit does:
  15 % QR resolve (/Q/<code>, a 302 not followed), 30 % relic page (vi or en),
  45 % panorama tiles (Django checks, nginx sends them), 10 % feeds (GeoJSON of every relic,
  OGC items pages with a bounding box).
Prints a table (requests/s, share of the static file, p50, p99, errors). Target: 0 errors
(non-2xx/3xx answers and socket errors, timeouts included); exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from benchmarks.bench_resolver import PHONE_UA, STATIC_PATH, run_wrk

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PANO = Path(os.environ.get("BENCH_PANO", "/work/shared/data/panoramas/examplepano.jpg"))
MIX = {"resolve": 15, "relic": 30, "tile": 45, "feed": 10}
LANGUAGES = ("vi-VN,vi;q=0.9", "vi", "en-US,en;q=0.9", "ko-KR,ko;q=0.9,en;q=0.5")


def run_dir() -> Path:
    return Path(os.environ.get("PROD_DIR", ROOT / ".prod")).resolve()


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as r:
            return r.status == 200
    except OSError:
        return False


def ensure_stack() -> dict:
    """The running stack's state (ports), starting it first when needed."""
    state_file = run_dir() / "state.json"
    if not (state_file.exists() and ready(json.loads(state_file.read_text())["ports"]["nginx"])):
        subprocess.run([sys.executable, "scripts/prod.py", "start"], cwd=ROOT, check=True)
    return json.loads(state_file.read_text())


def load_env() -> None:
    for line in (run_dir() / "env").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            os.environ[key] = value
    os.environ["LOG_LEVEL"] = "WARNING"  # this process's own lines; the stack keeps its level
    import django

    django.setup()


# --- data --------------------------------------------------------------------------------


def grow_relics(target: int, write) -> None:
    """Live relic pages under the demo wards, up to `target`, inserted in bulk: treebeard paths,
    url_path and the child counts are computed here instead of one add_child per page."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from content.models import RelicPage, WardPage

    have = RelicPage.objects.count()
    if have >= target:
        return
    started = time.perf_counter()
    wards = list(WardPage.objects.filter(locale__language_code="vi").order_by("path"))
    content_type = ContentType.objects.get_for_model(RelicPage)
    now = timezone.now()
    rng = random.Random(14)
    rankings = [value for value, _label in RelicPage._meta.get_field("ranking").choices]
    missing = target - have
    with transaction.atomic():
        for w, ward in enumerate(wards):
            count = missing // len(wards) + (1 if w < missing % len(wards) else 0)
            last = ward.get_last_child()
            step = Page._str2int(last.path[-Page.steplen :]) if last else 0
            pages = []
            for k in range(count):
                slug = f"di-tich-mau-{ward.pk}-{step + k + 1}"
                title = f"Đình làng mẫu {ward.title} số {step + k + 1}"
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type=content_type,
                        live=True,
                        has_unpublished_changes=False,
                        url_path=f"{ward.url_path}{slug}/",
                        first_published_at=now,
                        last_published_at=now,
                        locale_id=ward.locale_id,
                        translation_key=uuid.uuid4(),
                        path=Page._get_path(ward.path, ward.depth + 1, step + k + 1),
                        depth=ward.depth + 1,
                        numchild=0,
                    )
                )
            Page.objects.bulk_create(pages, batch_size=1000)
            relics = []
            for k, page in enumerate(pages):
                relic = RelicPage(
                    page_ptr_id=page.pk,
                    relic_code=f"BL{ward.pk:03d}{step + k + 1:05d}",
                    ranking=rng.choice(rankings),
                    latitude=round(20.80 + rng.random() * 0.1, 6),
                    longitude=round(106.60 + rng.random() * 0.1, 6),
                )
                relics.append(relic)
            fields = list(RelicPage._meta.local_concrete_fields)
            for i in range(0, len(relics), 1000):
                RelicPage.objects._insert(relics[i : i + 1000], fields=fields)
            Page.objects.filter(pk=ward.pk).update(numchild=ward.numchild + count)
    write(
        f"relics: {missing:,} added in bulk ({target:,} in all) in "
        f"{time.perf_counter() - started:.1f} s\n"
    )


def grow_artifacts(target: int, write) -> None:
    from content.models import Artifact, RelicPage

    have = Artifact.objects.count()
    if have >= target:
        return
    started = time.perf_counter()
    relic_ids = list(RelicPage.objects.order_by("pk").values_list("pk", flat=True))
    per_relic = -(-(target - have) // len(relic_ids))
    materials = ["Gỗ sơn son thếp vàng", "Đồng", "Gốm men lam", "Đá", "Giấy dó"]
    batch = []
    made = 0
    for relic_id in relic_ids:
        for k in range(per_relic):
            if made >= target - have:
                break
            batch.append(
                Artifact(
                    relic_id=relic_id,
                    sort_order=k,
                    inventory_number=f"BL-{have + made:07d}",
                    name=f"Bát hương số {k + 1}",
                    material=materials[k % len(materials)],
                    dimensions="Cao 42 cm, đường kính 30 cm",
                    dating="Thời Nguyễn, thế kỷ XIX",
                    description="Hiện vật mẫu cho phép đo tải.",
                    search_key=f"bat huong so {k + 1}",
                )
            )
            made += 1
        if len(batch) >= 5000:
            Artifact.objects.bulk_create(batch)
            batch = []
    Artifact.objects.bulk_create(batch)
    write(
        f"artifacts: {made:,} added in bulk ({Artifact.objects.count():,} in all) in "
        f"{time.perf_counter() - started:.1f} s\n"
    )


def scan_codes(count: int) -> list[str]:
    from content.models import RelicPage
    from media_pipeline.qr.short_codes import assign_code

    relics = RelicPage.objects.live().filter(locale__language_code="vi").order_by("?")[:count]
    return [assign_code(relic).code for relic in relics]


def tile_paths(write) -> list[str]:
    """Two processed panoramas on public relics; every tile URL of their pyramids."""
    from django.core.files import File

    from content.models import RelicPage
    from media_pipeline.models import Panorama
    from media_pipeline.panoramas.processing import process_panorama

    ready_panos = list(Panorama.objects.filter(status=Panorama.Status.READY).order_by("pk")[:2])
    if len(ready_panos) < 2:
        started = time.perf_counter()
        relics = RelicPage.objects.live().filter(locale__language_code="vi").order_by("path")[:2]
        for n, relic in enumerate(relics):
            pano = Panorama.objects.create(title=f"Sân đình đo tải {n + 1}", relic=relic)
            with EXAMPLE_PANO.open("rb") as source:
                pano.original.save("bench-pano.jpg", File(source))
            process_panorama(pano.pk)
        write(f"panoramas: 2 tiled in {time.perf_counter() - started:.1f} s\n")
        ready_panos = list(Panorama.objects.filter(status=Panorama.Status.READY).order_by("pk")[:2])
    paths = []
    for pano in ready_panos:
        folder = pano.tiles_root / pano.tiles_version
        for tile in sorted(folder.rglob("*.jpg")):
            rel = tile.relative_to(pano.tiles_root).as_posix()
            paths.append(f"/media/panoramas/tiles/{pano.pk}/{rel}")
    return paths


def relic_urls(count: int) -> list[str]:
    from content.models import RelicPage

    urls = []
    for relic in RelicPage.objects.live().filter(locale__language_code="vi").order_by("?")[:count]:
        url = relic.get_url()
        urls += [url, f"/en{url}"]
    return urls


def mix_paths(codes, relics, tiles, rng) -> list[str]:
    items = "/api/ogc/collections/relics/items?limit=50&bbox="
    feeds = ["/api/geo/relics.geojson"] * 3 + [
        f"{items}{x:.2f},{y:.2f},{x + 0.02:.2f},{y + 0.02:.2f}"
        for x, y in ((106.60 + 0.02 * i, 20.80 + 0.02 * j) for i in range(4) for j in range(4))
    ]
    kinds = {
        "resolve": [f"/Q/{c}" for c in codes],
        "relic": relics,
        "tile": tiles,
        "feed": feeds,
    }
    paths = []
    for kind, share in MIX.items():
        paths += [rng.choice(kinds[kind]) for _ in range(share * 40)]
    rng.shuffle(paths)
    return paths


# --- load --------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = {%s}
local languages = {%s}
local i = 0
wrk.headers["User-Agent"] = "%s"
request = function()
  i = i + 1
  wrk.headers["Accept-Language"] = languages[(i %% #languages) + 1]
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def wrk(port: int, paths: list[str], seconds: int, connections: int, workdir: Path):
    script = workdir / "mix.lua"
    script.write_text(
        WRK_SCRIPT
        % (
            ", ".join(json.dumps(p) for p in paths),
            ", ".join(json.dumps(x) for x in LANGUAGES),
            PHONE_UA,
        )
    )
    return run_wrk(script, port, seconds, connections, timeout_s=10, socket_errors_are_bad=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--relics", type=int, default=10_000)
    parser.add_argument("--artifacts", type=int, default=200_000)
    parser.add_argument("--scanned", type=int, default=1_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args(argv)
    write = sys.stdout.write
    state = ensure_stack()
    port = state["ports"]["nginx"]
    load_env()
    from django.core.management import call_command

    from content.models import RelicPage

    if not RelicPage.objects.exists():
        call_command("load_demo_district", stdout=open(os.devnull, "w"))
    grow_relics(args.relics, write)
    grow_artifacts(args.artifacts, write)
    from heritage_site.page_cache import bump_generation

    bump_generation()  # the bulk rows sent no signal: pages cached before them are stale
    rng = random.Random(14)
    codes = scan_codes(args.scanned)
    relics = relic_urls(2_000)
    tiles = tile_paths(write)
    paths = mix_paths(codes, relics, tiles, rng)
    from content.models import Artifact

    write(
        f"data: {RelicPage.objects.count():,} relic pages, {Artifact.objects.count():,} artifacts "
        f"(PostgreSQL {state['database']}); mix of {len(paths):,} paths over {len(codes)} QR "
        f"codes, {len(relics)} relic URLs, {len(tiles)} tiles; "
        + ", ".join(f"{k} {v} %" for k, v in MIX.items())
        + "\n"
    )
    write(
        f"stack: nginx :{port} → gunicorn {os.environ.get('PROD_WEB_WORKERS', '2')} × "
        f"{os.environ.get('PROD_WEB_THREADS', '4')} gthread, Redis page cache, 2 db_workers; "
        f"wrk -t2 -c{args.connections} -d{args.seconds}s; {os.cpu_count()} CPUs shared with wrk "
        f"and the machine's other work (load average {os.getloadavg()[0]:.1f})\n"
    )
    workdir = run_dir() / "bench"
    workdir.mkdir(exist_ok=True)
    wrk(port, [STATIC_PATH], 2, args.connections, workdir)  # warm-up
    rows = [
        ("static file (nginx)", wrk(port, [STATIC_PATH], args.seconds, args.connections, workdir))
    ]
    wrk(port, paths, 5, args.connections, workdir)  # warm-up: imports, first queries
    rows.append(("scan-and-read mix", wrk(port, paths, args.seconds, args.connections, workdir)))
    static_rps = rows[0][1].rps
    header = ("requests", "req/s", "share", "p50 ms", "p99 ms", "errors")
    write(f"{'':<22}" + "".join(f"{h:>{10 if h == 'requests' else 9}}" for h in header) + "\n")
    for name, r in rows:
        write(
            f"{name:<22}{r.requests:>10,}{r.rps:>9.0f}{r.rps / static_rps:>9.3f}"
            f"{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.bad:>9}\n"
        )
    errors = sum(r.bad for _, r in rows)
    write(f"target 0 errors: {'OK' if errors == 0 else 'MISSED'} ({errors})\n")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
