"""Geo benchmark: server time of the feeds and the embed page's weight (bytes, compressed).

Run: ``python -m benchmarks.bench_geo [--relics 2000] [--places 2000] [--requests 200]``
(``make bench-geo``): builds a throwaway SQLite district and measures through Django
(benchmarks.bench_server).
``--pure`` weighs a page built from synthetic data alone, without Django or a database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.geo_district import REPO, TARGET_COMPRESSED, page_weight, synthetic_district


def main(argv: list[str] | None = None, write: Callable[[str], Any] = sys.stdout.write) -> int:
    from maps.foliummap import build_map

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--relics", type=int, default=2000)
    parser.add_argument("--places", type=int, default=2000)
    parser.add_argument("--static-dir", type=Path, default=REPO / "static")
    parser.add_argument(
        "--requests", type=int, default=200, help="timed requests per case (p99 needs ≥ 100)"
    )
    parser.add_argument("--images", type=int, default=200, help="pictures shared by the pages")
    parser.add_argument("--pure", action="store_true", help="page weight only, no Django")
    args = parser.parse_args(argv)
    if not args.pure:
        from benchmarks.bench_server import run

        return run(args.relics, args.places, args.requests, args.images, write)
    relics, places, wards = synthetic_district(args.relics, args.places)
    page = build_map(relics, places, wards, embed=True)
    weights, elsewhere = page_weight(page, args.static_dir)
    for weight in weights:
        br = f"{weight.brotli:>9,}" if weight.brotli is not None else "        -"
        write(f"{weight.name:<60} raw {weight.raw:>10,}  gzip {weight.gzip:>9,}  br {br}\n")
    total_gzip = sum(w.gzip for w in weights)
    write(f"{'TOTAL (excluding base map tiles)':<60} raw {sum(w.raw for w in weights):>10,}  ")
    write(f"gzip {total_gzip:>9,}  target ≤ {TARGET_COMPRESSED:,}\n")
    if elsewhere:
        write(f"links to other hosts: {elsewhere}\n")
    return 0 if total_gzip <= TARGET_COMPRESSED and not elsewhere else 1


if __name__ == "__main__":
    raise SystemExit(main())
