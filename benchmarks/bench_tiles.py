"""Benchmark: tile generated panoramas of known content, ours against the naive way.

    python -m benchmarks.bench_tiles [--sizes 8192,16384] [--no-baseline] [--out bench-out]

For each size a panorama is generated from an analytic function of the view direction (a fine
3-D checker of sines on the luminance, smooth colour waves), so the exact colour of any cube
pixel is known. Each method runs in its own process; the table gives its wall seconds, CPU
seconds and peak resident memory, and the PSNR of its cube faces against the exact rendering:
"tiles" from the JPEG tiles a visitor downloads, on the pixel grid Pannellum draws (centres half
a pixel inside the face edges), and "faces" before JPEG, each on its own grid (py360convert puts
its outer pixel centres on the face edges). The naive baseline is py360convert's whole-image
``e2c`` plus Pillow tiling as Pannellum's generate.py does it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from media_pipeline.panoramas.cubemap import FACE_LETTERS, face_directions

QUALITY = 80
TILE = 512
STRIP = 256


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


def _timed(started: float, **figures: float) -> None:
    """Report the timed part at once: the parent's wall clock stops at this line."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures.update(
        seconds=time.perf_counter() - started,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,
    )
    sys.stdout.write(json.dumps(figures) + "\n")
    sys.stdout.flush()


def _run_ours(src: Path, out: Path, interpolation: str) -> None:
    from media_pipeline.panoramas.tiling import build_tile_pyramid

    started = time.perf_counter()
    info = build_tile_pyramid(
        src,
        out,
        quality=QUALITY,
        force=True,
        interpolation=interpolation,  # type: ignore[arg-type]
    )
    _timed(started, tiles=info.tile_count, cube=info.cube_resolution)


def _run_naive(src: Path, out: Path, width: int) -> None:
    """py360convert's e2c on the whole image, then Pillow tiling as generate.py does."""
    import py360convert
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    started = time.perf_counter()
    image = np.asarray(Image.open(src).convert("RGB"))
    cube = 8 * int(width / math.pi / 8)
    levels = math.ceil(math.log2(cube / TILE)) + 1
    faces = py360convert.e2c(image, face_w=cube, mode="bilinear", cube_format="list")
    count = 0
    for letter, array in zip(FACE_LETTERS, faces, strict=True):
        face = Image.fromarray(array)
        size = cube
        for level in range(levels, 0, -1):
            (out / str(level)).mkdir(parents=True, exist_ok=True)
            if level < levels:
                face = face.resize((size, size), Image.LANCZOS)
            for i in range(math.ceil(size / TILE)):
                for j in range(math.ceil(size / TILE)):
                    box = (j * TILE, i * TILE, min(size, (j + 1) * TILE), min(size, (i + 1) * TILE))
                    face.crop(box).save(out / str(level) / f"{letter}{i}_{j}.jpg", quality=QUALITY)
                    count += 1
            size //= 2
        (out / "fallback").mkdir(exist_ok=True)
        fallback = Image.fromarray(array).resize((1024, 1024), Image.LANCZOS)
        fallback.save(out / "fallback" / f"{letter}.jpg", quality=QUALITY)
    _timed(started, tiles=count, cube=cube)
    # Interpolation quality before JPEG, on py360convert's own pixel grid (after the timing).
    errors = []
    for index, array in enumerate(faces):
        for r0 in range(0, cube, STRIP):
            r1 = min(cube, r0 + STRIP)
            grid = face_directions(index, cube, (r0, r1), edge_centred=True)
            truth = analytic_colour(*grid, width)
            errors.append(_squared_error(array[r0:r1, :, ::-1], truth))
    sys.stdout.write(json.dumps({"faces_psnr": _psnr(errors)}) + "\n")


def _squared_error(image: np.ndarray, truth: np.ndarray) -> tuple[float, int]:
    diff = image.astype(np.float32) - np.rint(truth)
    return float(np.sum(diff * diff, dtype=np.float64)), diff.size


def _psnr(errors: list[tuple[float, int]]) -> float:
    total = sum(e for e, _ in errors)
    count = sum(n for _, n in errors)
    return 10 * math.log10(255.0**2 * count / total) if total else float("inf")


def tiles_psnr(folder: Path, cube: int, width: int) -> float:
    """PSNR of the top-level tiles against the exact rendering on Pannellum's pixel grid."""
    import cv2

    level = math.ceil(math.log2(cube / TILE)) + 1
    errors = []
    for index, letter in enumerate(FACE_LETTERS):
        for band in range(math.ceil(cube / TILE)):
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


def ours_faces_psnr(src: Path, cube: int, width: int, interpolation: str) -> float:
    """PSNR of our cube faces before JPEG (same sampling as the tiler)."""
    from media_pipeline.panoramas.cubemap import CubeProjector
    from media_pipeline.panoramas.inspection import inspect_panorama
    from media_pipeline.panoramas.tiling import decode_panorama

    info = inspect_panorama(src)
    image = decode_panorama(info)
    projector = CubeProjector(image, info.fov, cube, interpolation=interpolation)  # type: ignore[arg-type]
    errors = []
    strip = np.empty((STRIP, cube, 3), np.uint8)
    for index in range(6):
        for r0 in range(0, cube, STRIP):
            r1 = min(cube, r0 + STRIP)
            projector.render(index, r0, r1, strip[: r1 - r0])
            truth = analytic_colour(*face_directions(index, cube, (r0, r1)), width)
            errors.append(_squared_error(strip[: r1 - r0], truth))
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


def _measure(method: str, src: Path, out: Path, width: int, interpolation: str) -> dict:
    """Run one method in a fresh process and time it until it reports its figures."""
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "benchmarks.bench_tiles", "--child", method]
    command += ["--src", str(src), "--dest", str(out), "--width", str(width)]
    command += ["--interpolation", interpolation]
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        first = child.stdout.readline()
        wall = time.perf_counter() - started
        rest = child.stdout.read()
    if child.returncode != 0 or not first:
        raise SystemExit(f"{method} failed for {src.name}")
    result = json.loads(first)
    for line in rest.splitlines():
        result.update(json.loads(line))
    result["wall"] = wall
    return result


def _row(cells: list[str], widths: list[int]) -> str:
    pairs = enumerate(zip(cells, widths, strict=True))
    return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8192,16384", help="panorama widths, comma-separated")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive baseline")
    parser.add_argument("--out", default="bench-out", help="folder for sources and tiles")
    parser.add_argument(
        "--interpolation", default="linear", choices=["linear", "cubic"], help="ours: sampling"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)
    parser.add_argument("--dest", help=argparse.SUPPRESS)
    parser.add_argument("--width", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    if args.child:
        src, dest = Path(args.src), Path(args.dest)
        if args.child == "ours":
            _run_ours(src, dest, args.interpolation)
        else:
            _run_naive(src, dest, args.width)
        return

    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    widths = [int(s) for s in args.sizes.split(",") if s.strip()]
    methods = ["ours"] + ([] if args.no_baseline else ["naive"])
    header = ["panorama", "method", "wall s", "build s", "CPU s", "peak MB", "tiles"]
    header += ["PSNR tiles", "PSNR faces"]
    col = [11, 14, 7, 8, 6, 8, 6, 10, 10]
    write(f"CPU cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}\n")
    lines = [_row(header, col)]
    for width in widths:
        write(f"generating {width}×{width // 2} analytic panorama…\n")
        src = generate_source(width, folder)
        for method in methods:
            write(f"  running {method}…\n")
            result = _measure(method, src, folder / f"{method}-{width}", width, args.interpolation)
            tiles = tiles_psnr(folder / f"{method}-{width}", result["cube"], width)
            faces = result.get("faces_psnr") or ours_faces_psnr(
                src, result["cube"], width, args.interpolation
            )
            lines.append(
                _row(
                    [
                        f"{width}×{width // 2}",
                        method if method != "ours" else f"ours ({args.interpolation})",
                        f"{result['wall']:.1f}",
                        f"{result['seconds']:.1f}",
                        f"{result['cpu']:.1f}",
                        f"{result['peak_mb']:.0f}",
                        str(result["tiles"]),
                        f"{tiles:.2f}",
                        f"{faces:.2f}",
                    ],
                    col,
                )
            )
        lines.append(
            f"{'':11}  source JPEG (q95, 4:4:4) against the exact panorama: "
            f"{source_psnr(src, width):.2f} dB"
        )
    write("\n" + "\n".join(lines) + "\n")
    write(
        f"\nload average at end: {os.getloadavg()[0]:.2f}\n"
        "wall s: process start (Python start-up included) to published tiles; build s: inside "
        "the process; CPU s and peak MB (maximum resident set): the process up to then.\n"
        "PSNR tiles: top-level JPEG tiles on the grid Pannellum draws; PSNR faces: before JPEG, "
        "each method on its own grid.\n"
        "Targets for 16384×8192 on 2 cores: ≤ 10 s, ≤ 700 MB, PSNR at least the naive "
        "(bilinear) one.\n"
    )


if __name__ == "__main__":
    main()
