"""Benchmark: tile generated panoramas of known content, ours beside Pannellum's generate.py.

    python -m benchmarks.bench_tiles [--sizes 16384,32768] [--anchor-sizes 16384] [--out bench-out]
                                     [--runs 3] [--generate-py PATH/TO/generate.py]

For each size a panorama is generated from an analytic function of the view direction (a fine
3-D checker of sines on the luminance, smooth colour waves), so the exact colour of any cube
pixel is known. Each method runs in its own process, started and waited for by this one; the
table gives its wall seconds (process start to exit), CPU seconds and peak resident memory
(the process and the processes it waited for, e.g. Hugin's nona, from wait4), and the PSNR of
its top-level JPEG tiles against the exact rendering, on the pixel grid Pannellum draws. Ours
runs ``--runs`` times (3 by default) and its row gives the median wall and CPU seconds (every
run's wall seconds are printed beneath) and the largest peak: on a shared virtual machine a
burst of the host's other work spoils one run, not the figure. The anchor, at over a minute,
runs once.

The anchor is Pannellum's own ``utils/multires/generate.py`` (npm package, node_modules) with
Hugin's ``nona`` (Debian hugin-tools), at the same JPEG quality. Its npm copy calls
``Image.ANTIALIAS``, which Pillow 10 removed: it runs under ``benchmarks.pannellum_anchor``,
which sets ``Image.ANTIALIAS = Image.LANCZOS`` and runs the unchanged file with runpy.

Targets (the command exits 1 when one is missed): for 16384×8192, under 3 s, a peak below the
anchor's (509 MB, the figure recorded in issue 12, when the anchor is not installed) and top-level
tiles of at least 41.7 dB; for 32768×16384, a peak under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from media_pipeline.panoramas.cubemap import FACE_LETTERS, face_directions

QUALITY = 80
TILE = 512
STRIP = 256
GENERATE_PY = Path("node_modules/pannellum/utils/multires/generate.py")
ANCHOR_RECORDED_MB = 509  # generate.py + nona on 16384×8192, issue 12
TARGET_SECONDS = 3.0
TARGET_PSNR = 41.7
TARGET_LARGE_MB = 2048


def analytic_colour(x: np.ndarray, y: np.ndarray, z: np.ndarray, width: int) -> np.ndarray:
    """BGR values in 0..255 (float32) of unit directions; detail scales with ``width``."""
    k = np.float32(width / 10.0)  # finest luminance wavelength about 10 / sqrt(3) pixels
    x, y, z = (np.asarray(a, np.float32) for a in (x, y, z))
    fine = np.sin(k * x) * np.sin(k * y) * np.sin(k * z) * np.float32(0.22)
    out = np.empty((*x.shape, 3), np.float32)
    out[..., 2] = 0.5 + fine + 0.2 * np.sin(3 * x + 1) * np.cos(2 * y)
    out[..., 1] = 0.5 + fine + 0.2 * np.cos(5 * z + 0.5 * y)
    out[..., 0] = 0.5 + fine + 0.2 * np.sin(2 * x - 3 * z)
    out *= 255.0
    return out


def _equirect_directions(width: int, r0: int, r1: int) -> tuple[np.ndarray, ...]:
    height = width // 2
    u = ((np.arange(width) + 0.5) / width - 0.5) * 2 * math.pi
    v = (0.5 - (np.arange(r0, r1) + 0.5) / height) * math.pi
    cos_v = np.cos(v)[:, None]
    return (
        cos_v * np.sin(u)[None, :],
        np.broadcast_to(np.sin(v)[:, None], (r1 - r0, width)),
        (cos_v * np.cos(u)[None, :]),
    )


def generate_source(width: int, folder: Path) -> Path:
    """The analytic panorama as a JPEG (quality 95, no chroma subsampling), cached."""
    import cv2

    path = folder / f"analytic-{width}x{width // 2}.jpg"
    if path.exists():
        return path
    image = np.empty((width // 2, width, 3), np.uint8)
    for r0 in range(0, width // 2, STRIP):
        r1 = min(width // 2, r0 + STRIP)
        colour = analytic_colour(*_equirect_directions(width, r0, r1), width)
        image[r0:r1] = np.clip(np.rint(colour), 0, 255)
    params = [cv2.IMWRITE_JPEG_QUALITY, 95, cv2.IMWRITE_JPEG_SAMPLING_FACTOR, 0x111111]
    tmp = path.with_suffix(".tmp.jpg")
    cv2.imwrite(str(tmp), image, params)
    tmp.replace(path)
    return path


def _squared_error(image: np.ndarray, truth: np.ndarray) -> tuple[float, int]:
    diff = image.astype(np.float32) - np.rint(truth)
    return float(np.sum(diff * diff, dtype=np.float64)), diff.size


def _psnr(errors: list[tuple[float, int]]) -> float:
    total = sum(e for e, _ in errors)
    count = sum(n for _, n in errors)
    return 10 * math.log10(255.0**2 * count / total) if total else float("inf")


def tiles_psnr(folder: Path, cube: int, width: int, every: int = 1) -> float:
    """PSNR of the top-level tiles against the exact rendering on Pannellum's pixel grid.

    ``every``: only every so many rows of tiles (the exact rendering is slow to compute).
    """
    import cv2

    level = math.ceil(math.log2(cube / TILE)) + 1
    errors = []
    for index, letter in enumerate(FACE_LETTERS):
        for band in range(0, math.ceil(cube / TILE), every):
            r0, r1 = band * TILE, min(cube, (band + 1) * TILE)
            truth = analytic_colour(*face_directions(index, cube, (r0, r1)), width)
            row = np.concatenate(
                [
                    cv2.imread(str(folder / str(level) / f"{letter}{band}_{x}.jpg"))
                    for x in range(math.ceil(cube / TILE))
                ],
                axis=1,
            )
            errors.append(_squared_error(row, truth))
    return _psnr(errors)


def source_psnr(src: Path, width: int) -> float:
    import cv2

    image = cv2.imread(str(src))
    errors = []
    for r0 in range(0, width // 2, STRIP):
        r1 = min(width // 2, r0 + STRIP)
        truth = analytic_colour(*_equirect_directions(width, r0, r1), width)
        errors.append(_squared_error(image[r0:r1], truth))
    return _psnr(errors)


# Started from a small launcher: the kernel keeps the resident peak of the process that exec'd a
# command as a floor of that command's own peak, and this process holds whole panoramas by then.
LAUNCHER = """
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[2:], stdout=sys.stdout, stderr=subprocess.STDOUT)
_pid, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime,
               "peak_kb": usage.ru_maxrss}, out)
"""


def _measure(command: list[str], log: Path) -> dict[str, float]:
    """Run a command; its wall seconds, CPU seconds and peak memory (with its children)."""
    figures = log.with_suffix(".usage.json")
    started = time.perf_counter()
    with log.open("w") as out:
        subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(figures), *command],
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    wall = time.perf_counter() - started
    usage = json.loads(figures.read_text()) if figures.exists() else {"code": -1}
    if usage["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed ({usage['code']}); see {log}")
    return {"wall": wall, "cpu": usage["cpu"], "peak_mb": usage["peak_kb"] / 1024}


def _run_ours(src: Path, out: Path) -> None:
    from media_pipeline.panoramas.limits import HARD_MAX_PANORAMA_PIXELS
    from media_pipeline.panoramas.tiling import build_tile_pyramid

    build_tile_pyramid(src, out, quality=QUALITY, force=True, max_pixels=HARD_MAX_PANORAMA_PIXELS)


def anchor_missing(generate_py: Path) -> str | None:
    """Why the anchor cannot run here, or None."""
    if not generate_py.is_file():
        return f"{generate_py} is missing (npm ci)"
    if not shutil.which("nona"):
        return "Hugin's nona is missing (Debian package hugin-tools)"
    return None


def _row(cells: list[str], widths: list[int]) -> str:
    pairs = enumerate(zip(cells, widths, strict=True))
    return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="16384,32768", help="panorama widths, comma-separated")
    parser.add_argument(
        "--anchor-sizes", default="16384", help="widths to run Pannellum's generate.py on too"
    )
    parser.add_argument("--out", default="bench-out", help="folder for sources and tiles")
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of ours per size; the median counts"
    )
    parser.add_argument(
        "--generate-py", type=Path, default=GENERATE_PY, help="Pannellum's generate.py to run"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)
    parser.add_argument("--dest", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    if args.child:
        _run_ours(Path(args.src), Path(args.dest))
        return

    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    widths = [int(s) for s in args.sizes.split(",") if s.strip()]
    anchor_widths = {int(s) for s in args.anchor_sizes.split(",") if s.strip()}
    missing = anchor_missing(args.generate_py)
    write(f"CPU cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}\n")
    if missing:
        write(f"anchor not run: {missing}; `make bench-tiles` installs it\n")
    header = ["panorama", "method", "wall s", "CPU s", "peak MB", "tiles", "PSNR tiles"]
    col = [11, 24, 7, 6, 8, 6, 10]
    lines = [_row(header, col)]
    misses: list[str] = []
    for width in widths:
        write(f"generating {width}×{width // 2} analytic panorama…\n")
        src = generate_source(width, folder)
        cube = min(8 * int(width / math.pi / 8), 8192)
        runs: dict[str, dict[str, float]] = {}
        methods = ["ours"] + (["anchor"] if width in anchor_widths and not missing else [])
        for method in methods:
            out = folder / f"{method}-{width}"
            write(f"  running {method}…\n")
            if method == "ours":
                command = [sys.executable, "-m", "benchmarks.bench_tiles", "--child", "ours"]
                command += ["--src", str(src), "--dest", str(out)]
            else:
                command = [sys.executable, "-m", "benchmarks.pannellum_anchor"]
                command += [str(args.generate_py)]
                command += [str(src), "-o", str(out), "-q", str(QUALITY)]
                command += ["-n", str(shutil.which("nona"))]
            repeats = max(1, args.runs) if method == "ours" else 1
            measured = []
            for _ in range(repeats):
                shutil.rmtree(out, ignore_errors=True)
                measured.append(_measure(command, folder / f"{method}-{width}.log"))
            result = runs[method] = {
                "wall": statistics.median(m["wall"] for m in measured),
                "cpu": statistics.median(m["cpu"] for m in measured),
                "peak_mb": max(m["peak_mb"] for m in measured),
            }
            level = math.ceil(math.log2(cube / TILE)) + 1
            result["tiles"] = sum(1 for _ in (out / str(level)).glob("*.jpg"))
            result["psnr"] = tiles_psnr(out, cube, width, 1 if width <= 16384 else 4)
            name = "ours" if method == "ours" else "anchor (generate.py+nona)"
            lines.append(
                _row(
                    [
                        f"{width}×{width // 2}",
                        name,
                        f"{result['wall']:.2f}",
                        f"{result['cpu']:.1f}",
                        f"{result['peak_mb']:.0f}",
                        f"{result['tiles']:.0f}",
                        f"{result['psnr']:.2f}",
                    ],
                    col,
                )
            )
            if repeats > 1:
                walls = ", ".join(f"{m['wall']:.2f}" for m in measured)
                lines.append(f"{'':11}  {name}: median of {repeats} runs, wall s {walls}")
        if width <= 16384:
            lines.append(
                f"{'':11}  source JPEG (q95, 4:4:4) against the exact panorama: "
                f"{source_psnr(src, width):.2f} dB"
            )
        else:
            lines.append(f"{'':11}  PSNR from every 4th row of tiles (the rest takes minutes)")
        ours = runs["ours"]
        if width == 16384:
            anchor_mb = runs["anchor"]["peak_mb"] if "anchor" in runs else ANCHOR_RECORDED_MB
            if ours["wall"] >= TARGET_SECONDS:
                misses.append(f"16384×8192 took {ours['wall']:.2f} s (target < {TARGET_SECONDS} s)")
            if ours["peak_mb"] >= anchor_mb:
                misses.append(
                    f"16384×8192 peaked at {ours['peak_mb']:.0f} MB "
                    f"(target < the anchor's {anchor_mb:.0f} MB)"
                )
            if ours["psnr"] < TARGET_PSNR:
                misses.append(f"16384×8192 tiles at {ours['psnr']:.2f} dB (target ≥ {TARGET_PSNR})")
        if width == 32768 and ours["peak_mb"] >= TARGET_LARGE_MB:
            misses.append(
                f"32768×16384 peaked at {ours['peak_mb']:.0f} MB (target < {TARGET_LARGE_MB} MB)"
            )
    write("\n" + "\n".join(lines) + "\n")
    write(
        f"\nload average at end: {os.getloadavg()[0]:.2f} (other work on the machine slows "
        "every wall figure; CPU s is less affected)\n"
        "wall s: process start to exit; CPU s and peak MB (maximum resident set): the process "
        "and the processes it waited for (nona for the anchor); ours: the median wall and CPU s "
        "of its runs and the largest peak.\n"
        "PSNR tiles: top-level JPEG tiles against the exact rendering on the grid Pannellum "
        "draws.\n"
        f"Targets: 16384×8192 under {TARGET_SECONDS:.0f} s, below the anchor's peak memory, "
        f"tiles ≥ {TARGET_PSNR} dB; 32768×16384 under {TARGET_LARGE_MB} MB.\n"
    )
    if misses:
        write("MISSED: " + "; ".join(misses) + "\n")
        raise SystemExit(1)
    write("all targets met\n")


if __name__ == "__main__":
    main()
