"""Benchmark: the district's batch of plaques (125 relics) as one PDF and as a ZIP of SVGs.

Run `python -m benchmarks.bench_plaques [--count 125] [--size board-20x30] [--out DIR]`.
Prints seconds, file sizes and peak memory per size; the target is the PDF batch in ≤ 10 s.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

from media_pipeline.qr.codes import new_code, plaque_url
from media_pipeline.qr.plaques import SIZES, PlaqueSize, PlaqueSpec, register_fonts

TARGET_SECONDS = 10.0

_KINDS = [
    ("Đình", "Communal House"),
    ("Chùa", "Pagoda"),
    ("Đền", "Temple"),
    ("Miếu", "Shrine"),
    ("Nhà thờ họ Nguyễn", "Nguyen Family Ancestral Hall"),
]
_PLACES = [
    ("Đông Khê", "Dong Khe"),
    ("Lạc Viên", "Lac Vien"),
    ("Cầu Đất", "Cau Dat"),
    ("Gia Thụy", "Gia Thuy"),
    ("Bồ Đề", "Bo De"),
    ("Ngọc Lâm", "Ngoc Lam"),
    ("Phúc Đồng", "Phuc Dong"),
    ("Thượng Thanh", "Thuong Thanh"),
    ("Cự Khối", "Cu Khoi"),
    ("Bát Tràng", "Bat Trang"),
    ("Phù Đổng", "Phu Dong"),
    ("Kiêu Kỵ", "Kieu Ky"),
    ("Đa Tốn", "Da Ton"),
    ("Yên Viên", "Yen Vien"),
    ("Ninh Hiệp", "Ninh Hiep"),
    ("Dương Xá", "Duong Xa"),
    ("Văn Đức", "Van Duc"),
    ("Đặng Xá", "Dang Xa"),
    ("Lệ Chi", "Le Chi"),
    ("Kim Sơn", "Kim Son"),
    ("Trâu Quỳ", "Trau Quy"),
    ("Đình Xuyên", "Dinh Xuyen"),
    ("Yên Thường", "Yen Thuong"),
    ("Ngọc Thụy", "Ngoc Thuy"),
    ("Thạch Bàn", "Thach Ban"),
]
_RANKINGS = [
    "Di tích lịch sử – văn hóa cấp quốc gia",
    "Di tích kiến trúc nghệ thuật cấp quốc gia đặc biệt",
    "Di tích lịch sử cấp thành phố",
    "Di tích đã kiểm kê",
]


def sample_logo() -> bytes:
    """A 1024 px district emblem, so logo handling is part of what is measured."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (1024, 1024), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((0, 0, 1023, 1023), fill="#c8102e")
    draw.regular_polygon((512, 512, 330), 5, fill="#ffcd00")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def sample_specs(
    count: int = 125, base_url: str = "https://disan.example.gov.vn"
) -> list[PlaqueSpec]:
    """`count` relics with Vietnamese and English names, rankings and unique codes."""
    import random

    rng = random.Random(2024)
    logo = sample_logo()
    codes: set[str] = set()
    specs: list[PlaqueSpec] = []
    for i in range(count):
        (kind_vi, kind_en), (place_vi, place_en) = _KINDS[i % 5], _PLACES[(i // 5) % 25]
        code = new_code(rng=rng)
        while code in codes:
            code = new_code(rng=rng)
        codes.add(code)
        specs.append(
            PlaqueSpec(
                name_vi=f"{kind_vi} {place_vi}",
                name_en=f"{place_en} {kind_en}",
                ranking=_RANKINGS[i % len(_RANKINGS)],
                district="Huyện Gia Lâm, Thành phố Hà Nội",
                url=plaque_url(base_url, code),
                logo=logo,
            )
        )
    return specs


def _measure(run: Callable[[], Path], heap: bool = True) -> tuple[float, float, Path]:
    """Seconds of one run, then Python heap peak (MB) of a second run under tracemalloc."""
    start = time.perf_counter()
    out = run()
    seconds = time.perf_counter() - start
    if not heap:
        return seconds, 0.0, out
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def bench(count: int, sizes: list[PlaqueSize], out_dir: Path) -> bool:
    from media_pipeline.qr.plaques import render_pdf, render_svg_zip

    write = sys.stdout.write
    start = time.perf_counter()
    register_fonts()
    specs = sample_specs(count)
    write(f"setup (fonts, {count} specs): {time.perf_counter() - start:.2f} s\n")
    write(f"{count} plaques, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    write(f"{'size':<15}{'PDF s':>8}{'PDF MB':>8}{'PDF heap MB':>13}{'ZIP s':>8}{'ZIP MB':>8}\n")
    ok = True
    for size in sizes:
        pdf_s, pdf_heap, pdf = _measure(
            partial(render_pdf, specs, size, out_dir / f"plaques-{size.key}.pdf")
        )
        zip_s, _, zipped = _measure(
            partial(render_svg_zip, specs, size, out_dir / f"plaques-{size.key}.zip"), heap=False
        )
        write(
            f"{size.key:<15}{pdf_s:>8.2f}{pdf.stat().st_size / 2**20:>8.2f}"
            f"{pdf_heap:>13.1f}{zip_s:>8.2f}{zipped.stat().st_size / 2**20:>8.2f}\n"
        )
        ok = ok and pdf_s <= TARGET_SECONDS
    write(f"process peak RSS: {_rss_mb():.0f} MB\n")
    write(f"target: PDF batch ≤ {TARGET_SECONDS:g} s for every size → {'OK' if ok else 'MISSED'}\n")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=125)
    parser.add_argument("--size", choices=sorted(SIZES), action="append")
    parser.add_argument("--out", type=Path, help="keep the files here (default: a temp dir)")
    args = parser.parse_args(argv)
    sizes = [SIZES[key] for key in args.size] if args.size else list(SIZES.values())
    if args.out:
        return 0 if bench(args.count, sizes, args.out) else 1
    with tempfile.TemporaryDirectory() as tmp:
        return 0 if bench(args.count, sizes, Path(tmp)) else 1


if __name__ == "__main__":
    sys.exit(main())
