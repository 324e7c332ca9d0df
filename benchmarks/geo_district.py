"""The geo benchmark's synthetic district and page weighing, shared by its two halves."""

from __future__ import annotations

import gzip
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.vocabularies import RANKINGS, RELIC_TYPES

REPO = Path(__file__).resolve().parent.parent
TARGET_COMPRESSED = 300 * 1024
_ASSET = re.compile(r"""(?:src|href)="([^"]+)\"""")
_CSS_URL = re.compile(r"url\(['\"]?([^'\")#]+)['\"]?\)")


@dataclass(frozen=True)
class Weight:
    """Bytes of one resource: raw, gzip -9 and (when the brotli module exists) brotli."""

    name: str
    raw: int
    gzip: int
    brotli: int | None


def _weigh(name: str, data: bytes) -> Weight:
    try:
        import brotli  # optional: whitenoise serves .br files when it is installed
    except ImportError:
        compressed_br = None
    else:
        compressed_br = len(brotli.compress(data, quality=11))
    if name.endswith((".png", ".jpg", ".webp")):  # served as they are: already compressed
        return Weight(name, len(data), len(data), None)
    return Weight(name, len(data), len(gzip.compress(data, compresslevel=9)), compressed_br)


def page_weight(
    page: str, static_dir: Path, static_url: str = "/static/"
) -> tuple[list[Weight], list[str]]:
    """Weigh a page, the static files it links and the images their CSS names (an upper bound:
    a browser fetches a CSS image only when an element uses it); list links to other hosts."""
    weights = [_weigh("page", page.encode())]
    elsewhere = []
    for url in dict.fromkeys(_ASSET.findall(page)):
        if url.startswith(static_url):
            path = static_dir / url[len(static_url) :]
            weights.append(_weigh(url, path.read_bytes()))
            if path.suffix == ".css":
                for image in dict.fromkeys(_CSS_URL.findall(path.read_text(encoding="utf-8"))):
                    if "//" in image or image.startswith("data:"):
                        elsewhere += [] if image.startswith("data:") else [image]
                        continue
                    relative = (path.parent / image).resolve().relative_to(static_dir.resolve())
                    weights.append(
                        _weigh(static_url + relative.as_posix(), (path.parent / image).read_bytes())
                    )
        elif not url.startswith("/"):
            elsewhere.append(url)
    return weights, elsewhere


def synthetic_district(
    relics: int, places: int, wards: int = 20, seed: int = 7
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Relics, places and ward polygons (40 vertices each) spread over a ~20 km district."""
    rng = random.Random(seed)
    west, south, size = 106.55, 20.75, 0.2

    def point(i: int, prefix: str) -> dict[str, Any]:
        slug = f"{prefix}-{i:05d}"
        return {
            "id": i,
            "name": f"{'Đình' if prefix == 'di-tich' else 'Điểm'} Đông Khê số {i}",
            "lon": west + rng.random() * size,
            "lat": south + rng.random() * size,
            "ranking": rng.choice([key for key, _label in RANKINGS]),
            "type": rng.choice([key for key, _label in RELIC_TYPES]),
            "ward": f"Phường {i % wards + 1}",
            "url": f"/{prefix}/{slug}/",
            "tour_url": f"/{prefix}/{slug}/360/" if i % 3 == 0 else None,
            "thumbnail": f"/media/images/{slug}.width-200.jpg",
        }

    side = math.ceil(math.sqrt(wards))
    step = size / side
    ward_rows = []
    for i in range(wards):
        cx = west + (i % side + 0.5) * step
        cy = south + (i // side + 0.5) * step
        ring = [
            [
                cx + 0.5 * step * math.cos(2 * math.pi * k / 40) * (0.9 + 0.1 * rng.random()),
                cy + 0.5 * step * math.sin(2 * math.pi * k / 40) * (0.9 + 0.1 * rng.random()),
            ]
            for k in range(40)
        ]
        ring.append(ring[0])
        ward_rows.append(
            {
                "id": i + 1,
                "name": f"Phường {i + 1}",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    relic_rows = [point(i, "di-tich") for i in range(1, relics + 1)]
    place_rows = [point(i, "du-lich") for i in range(1, places + 1)]
    return relic_rows, place_rows, ward_rows
