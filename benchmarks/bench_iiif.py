"""IIIF tiling of rubbings: seconds, tiles and peak memory for generated 16 and 64 megapixel images.

Each case runs in a child process so that its peak resident memory is its own. Figures, not a
test: ``make bench-iiif``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = [(4000, 4000, "L"), (8000, 8000, "L"), (8000, 8000, "RGB")]


def _make(path: Path, width: int, height: int, mode: str) -> None:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(15)
    y, x = np.ogrid[0:height, 0:width]
    grey = (40 + 150 * ((x % 97 < 6) | (y % 131 < 5))).astype(np.uint8)
    grey = grey + rng.integers(0, 30, (height, width), np.uint8)
    image = Image.fromarray(grey, "L")
    (image if mode == "L" else image.convert("RGB")).save(path, "JPEG", quality=90)


def _child(src: str, out: str) -> None:
    from media_pipeline.iiif.tiling import build_iiif_tiles

    started = time.perf_counter()
    info = build_iiif_tiles(src, out, "https://example.invalid/iiif/1/v", 512, max_pixels=10**9)
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    reused = build_iiif_tiles(src, out, "https://example.invalid/iiif/1/v", 512, max_pixels=10**9)
    sys.stdout.write(
        json.dumps(
            {
                "seconds": seconds,
                "reuse_seconds": time.perf_counter() - again,
                "reused": reused.reused,
                "tiles": info.tile_count,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
        + "\n"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return
    if args.make:
        path, width, height, mode = args.make
        _make(Path(path), int(width), int(height), mode)
        return
    with tempfile.TemporaryDirectory(prefix="bench-iiif-") as tmp:
        head = f"{'image':>16} {'MB':>6} {'tiles':>6} {'seconds':>8} {'re-run s':>8} {'peak MB':>8}"
        sys.stdout.write(head + "\n")
        for width, height, mode in CASES:
            src = Path(tmp) / f"{width}x{height}-{mode}.jpg"
            # Linux keeps a process's peak memory across exec: generate in a process of its own
            # so that the tiling child does not inherit the generator's peak.
            me = [sys.executable, "-m", "benchmarks.bench_iiif"]
            subprocess.run([*me, "--make", str(src), str(width), str(height), mode], check=True)
            out = Path(tmp) / f"out-{width}-{mode}"
            result = subprocess.run(
                [*me, "--child", str(src), str(out)],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(result.stdout.strip().splitlines()[-1])
            sys.stdout.write(
                f"{width}×{height} {mode:>3} {src.stat().st_size / 1e6:6.1f} {r['tiles']:6d} "
                f"{r['seconds']:8.1f} {r['reuse_seconds']:8.2f} {r['peak_mb']:8.0f}\n"
            )


if __name__ == "__main__":
    main()
