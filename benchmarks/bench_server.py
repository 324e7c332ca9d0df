"""Geo benchmark, server part: a throwaway SQLite district of relics and places, then the
GeoJSON feed's and the OGC items page's server time (p50/p99) and the embed page's weight.

Run through ``python -m benchmarks.bench_geo`` (or ``make bench-geo``); figures are printed, never
asserted. Requests go through Django's test client: the whole middleware stack, no network.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.geo_district import REPO, TARGET_COMPRESSED, page_weight, synthetic_district


def _setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "heritage_site.settings.test"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    warnings.filterwarnings("ignore", "No directory at")  # whitenoise: no collectstatic here
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def _no_search_indexing():
    """The benchmark times reading; indexing 4,000 new pages would only slow the set-up."""
    import modelsearch.index
    from django.db.models.signals import post_save
    from modelsearch.signal_handlers import post_save_signal_handler

    from content.models import RelicPage, TourismPlacePage

    saved = modelsearch.index.insert_or_update_object
    modelsearch.index.insert_or_update_object = lambda instance: None
    for model in (RelicPage, TourismPlacePage):
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        modelsearch.index.insert_or_update_object = saved
        for model in (RelicPage, TourismPlacePage):
            post_save.connect(post_save_signal_handler, sender=model)


def build_district(relics: int, places: int, images: int, write: Callable[[str], Any]) -> None:
    """Pages through Page.add_child (treebeard), live, as an import of a real inventory would."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Site

    from content.demo import ensure_tree_roots
    from content.models import (
        HomePage,
        RelicIndexPage,
        RelicPage,
        TourismIndexPage,
        TourismPlacePage,
        WardPage,
    )
    from maps.models import WardBoundary

    started = time.perf_counter()
    relic_rows, place_rows, ward_rows = synthetic_district(relics, places)
    now = timezone.now()
    with transaction.atomic(), _no_search_indexing():
        root = ensure_tree_roots()
        home = root.add_child(instance=HomePage(title="Quận Đo", slug="quan-do"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
        index = home.add_child(instance=RelicIndexPage(title="Di tích", slug="di-tich"))
        wards = {}
        for row in ward_rows:
            ward = index.add_child(instance=WardPage(title=row["name"], ward_code=f"P{row['id']}"))
            boundary = WardBoundary(ward=ward)
            boundary.set_geometry(row["geometry"])
            boundary.save()
            wards[row["name"]] = ward
        pictures = [_image(i).pk for i in range(images)]
        common = {"live": True, "first_published_at": now, "last_published_at": now}
        for i, row in enumerate(relic_rows):
            wards[row["ward"]].add_child(
                instance=RelicPage(
                    title=row["name"],
                    relic_code=f"DT{i:05d}",
                    ranking=row["ranking"],
                    relic_type=row["type"],
                    latitude=Decimal(f"{row['lat']:.6f}"),
                    longitude=Decimal(f"{row['lon']:.6f}"),
                    hero_image_id=pictures[i % len(pictures)] if pictures else None,
                    **common,
                )
            )
        directory = home.add_child(instance=TourismIndexPage(title="Du lịch", slug="du-lich"))
        for i, row in enumerate(place_rows):
            directory.add_child(
                instance=TourismPlacePage(
                    title=row["name"],
                    ward=wards[row["ward"]],
                    latitude=Decimal(f"{row['lat']:.6f}"),
                    longitude=Decimal(f"{row['lon']:.6f}"),
                    image_id=pictures[i % len(pictures)] if pictures else None,
                    **common,
                )
            )
    write(
        f"district: {relics:,} relics, {places:,} places, {len(ward_rows)} wards, "
        f"{images} pictures built in {time.perf_counter() - started:.1f} s\n"
    )


def _image(seed: int):
    """A small JPEG in the image library, as the relics' pictures."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    buf = io.BytesIO()
    Image.new("RGB", (96, 64), (seed * 37 % 256, 90, 60)).save(buf, "JPEG")
    image = get_image_model()(title=f"Ảnh {seed}")
    image.file = ImageFile(buf, name=f"bench-{seed}.jpg")
    image.save()
    return image


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def time_requests(client, urls: list[str]) -> tuple[list[float], int]:
    """Server time in milliseconds of each GET, and the size of the last body."""
    times, size = [], 0
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        size = len(response.content)
    return times, size


def run(relics: int, places: int, requests: int, images: int, write: Callable[[str], Any]) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-geo-") as folder:
        _setup_django(Path(folder))
        build_district(relics, places, images, write)
        from django.test import Client

        client = Client()
        rng = random.Random(3)
        pages = max(1, relics // 100)
        cases = {
            "GeoJSON relics feed (all)": ["/api/geo/relics.geojson"] * requests,
            "GeoJSON places feed (all)": ["/api/geo/places.geojson"] * requests,
            "OGC items page (limit=100)": [
                f"/api/ogc/collections/relics/items?limit=100&offset={rng.randrange(pages) * 100}"
                for _ in range(requests)
            ],
            "OGC items, bbox + page": [
                "/api/ogc/collections/relics/items?limit=100&bbox=106.60,20.80,106.70,20.90"
            ]
            * requests,
            "embed page (/map/embed/)": ["/map/embed/"] * max(3, requests // 4),
        }
        for name, urls in cases.items():
            time_requests(client, urls[:2])  # warm-up: imports, first queries
            times, size = time_requests(client, urls)
            p50, p99 = _percentiles(times)
            write(
                f"{name:<30} n={len(times):<4} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
                f"body {size:>10,} B\n"
            )
        page = client.get("/map/embed/").content.decode()
        weights, elsewhere = page_weight(page, REPO / "static")
        total_gzip = sum(w.gzip for w in weights)
        brotli = [w.brotli for w in weights if w.brotli is not None]
        write(
            f"embed page weight, excluding base tiles: raw {sum(w.raw for w in weights):,} B, "
            f"gzip {total_gzip:,} B"
            + (f", brotli {sum(brotli):,} B" if len(brotli) == len(weights) else "")
            + f" (target ≤ {TARGET_COMPRESSED:,} B compressed)\n"
        )
        for weight in weights:
            write(f"  {weight.name:<62} raw {weight.raw:>9,}  gzip {weight.gzip:>8,}\n")
        if elsewhere:
            write(f"links to other hosts: {elsewhere}\n")
        return 0 if total_gzip <= TARGET_COMPRESSED and not elsewhere else 1
