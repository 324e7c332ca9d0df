"""Benchmark the pure part of inventory import: read + check 287 relics and 20,000 artifacts.

    python -m benchmarks.bench_inventory [--artifacts 20000] [--out bench-out/inventory]

Generates the XLSX and CSV files (with our own exporter), then measures each case in a fresh
process: wall seconds and peak memory above the process's baseline. The database write comes later.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from content.inventory import (
    LAYOUTS,
    ImportOptions,
    RecordKind,
    parse_dating,
    save_csv,
    save_xlsx,
)

WORDS = (
    "bát hương gốm men lam chuông đồng đúc bia đá xanh hoành phi câu đối sơn son thếp vàng "
    "long ngai bài vị kiệu bát cống lư hương đỉnh đồng tượng hậu thần sắc phong triều Nguyễn "
    "khám thờ chạm rồng chầu mặt nguyệt hoa văn lá đề mây cuốn"
).split()
MATERIALS = ("Gỗ", "Đồng", "Đá", "Gốm", "Sứ", "Giấy dó", "Vải")
DATINGS = (
    "thế kỷ XVIII",
    "cuối thế kỷ XIX",
    "thời Lê",
    "thời Nguyễn",
    "12/3/1890",
    "năm 1925",
)


def relics(count: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(1)
    for i in range(count):
        yield {
            "ma_di_tich": f"DT{i:04d}",
            "ten": f"Đình {' '.join(rng.sample(WORDS, 2)).title()}",
            "loai_hinh": rng.choice(("dinh", "chua", "den", "mieu")),
            "xep_hang": rng.choice(("quoc_gia", "cap_tinh", "kiem_ke")),
            "phuong_xa": f"Phường {rng.randint(1, 20)}",
            "vi_do": round(20.8 + rng.random() / 10, 6),
            "kinh_do": round(106.6 + rng.random() / 10, 6),
            "nien_dai": parse_dating(rng.choice(DATINGS)),
            "tom_tat": " ".join(rng.choices(WORDS, k=40)),
        }


def artifacts(relic_count: int, count: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(2)
    datings = [parse_dating(d) for d in DATINGS]
    for i in range(count):
        yield {
            "ma_di_tich": f"DT{i % relic_count:04d}",
            "so_kiem_ke": f"HV-{i // relic_count + 1:03d}",
            "ten": " ".join(rng.sample(WORDS, 4)).capitalize(),
            "chat_lieu": rng.choice(MATERIALS),
            "kich_thuoc": f"cao {rng.randint(10, 200)} cm, rộng {rng.randint(10, 120)} cm",
            "nien_dai": rng.choice(datings),
            "tinh_trang": rng.choice(("tot", "kha", "xuong_cap")),
            "mo_ta": " ".join(rng.choices(WORDS, k=25)),
            "anh": (f"HV-{i:05d}.jpg",),
        }


def generate(out: Path, relic_count: int, artifact_count: int) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    xlsx = out / f"kiem-ke-{artifact_count}.xlsx"
    save_xlsx(
        xlsx,
        [
            (RecordKind.RELIC, relics(relic_count)),
            (RecordKind.ARTIFACT, artifacts(relic_count, artifact_count)),
        ],
    )
    csv_path = out / f"hien-vat-{artifact_count}.csv"
    save_csv(csv_path, LAYOUTS[RecordKind.ARTIFACT], artifacts(relic_count, artifact_count))
    return {"xlsx": xlsx, "csv": csv_path}


class _EmptyStore:
    """Every relic known, nothing stored yet: each row is a create; saves are only counted."""

    def __init__(self, codes: set[str]) -> None:
        self.codes = codes
        self.saved = 0

    def relic_codes(self) -> set[str]:
        return self.codes

    def existing(self, kind: RecordKind, key: tuple[str, ...]) -> None:
        return None

    def review(self, *args: object) -> None:
        pass

    def save(self, *args: object) -> None:
        self.saved += 1


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(case: str, path: Path, relic_count: int) -> dict[str, Any]:
    """Run one case in this (fresh) process."""
    from content.inventory import check_rows, open_inventory, preview_import, run_import

    baseline = _peak_rss_mb()
    start = time.perf_counter()
    rows = errors = 0
    if case == "check-openpyxl":
        from content.inventory import xlsx

        xlsx.CALAMINE_MAX_XML = 0  # force the streaming reader
        case = "check"
    if case == "check":
        codes = {f"DT{i:04d}" for i in range(relic_count)}
        with open_inventory(path) as inventory:
            for table in inventory.tables:
                for row in check_rows(table, codes):
                    rows += 1
                    errors += not row.ok
    elif case == "preview":
        codes = {f"DT{i:04d}" for i in range(relic_count)}
        preview = preview_import(path, _EmptyStore(codes), ImportOptions())
        rows, errors = len(preview.items), preview.counts.get("error", 0)
    elif case == "run-import":  # both passes of run_import, the database write left out
        codes = {f"DT{i:04d}" for i in range(relic_count)}
        store = _EmptyStore(codes)
        result = run_import(path, store, ImportOptions())
        rows, errors = store.saved, result.preview.counts.get("error", 0)
    elif case == "openpyxl-raw":
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True)
        for sheet in workbook.worksheets:
            rows += sum(1 for _ in sheet.iter_rows(values_only=True))
        workbook.close()
    elif case == "calamine-raw":
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            rows += sum(1 for _ in workbook.get_sheet_by_name(name).iter_rows())
    seconds = time.perf_counter() - start
    peak = _peak_rss_mb()
    return {
        "rows": rows,
        "errors": errors,
        "seconds": seconds,
        "baseline_mb": baseline,
        "peak_mb": peak,
    }


def _run_case(case: str, path: Path, relic_count: int) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.bench_inventory",
        "--measure",
        case,
        str(path),
    ]
    cmd += ["--relics", str(relic_count)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        return {"failed": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relics", type=int, default=287)
    parser.add_argument("--artifacts", type=int, nargs="+", default=[20_000, 60_000])
    parser.add_argument("--out", type=Path, default=Path("bench-out/inventory"))
    parser.add_argument("--measure", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    write = sys.stdout.write
    if args.measure:
        write(json.dumps(_measure(args.measure[0], Path(args.measure[1]), args.relics)) + "\n")
        return
    for count in args.artifacts:
        start = time.perf_counter()
        files = generate(args.out, args.relics, count)
        sizes = ", ".join(f"{k} {p.stat().st_size / 1e6:.1f} MB" for k, p in files.items())
        write(f"{args.relics} relics, {count} artifacts: generated in "
              f"{time.perf_counter() - start:.1f} s ({sizes})\n")  # fmt: skip
        cases = [("xlsx", "check"), ("xlsx", "check-openpyxl"), ("xlsx", "preview")]
        cases += [("xlsx", "run-import")]
        cases += [("csv", "check"), ("csv", "preview")]
        cases += [("xlsx", "openpyxl-raw"), ("xlsx", "calamine-raw")]
        for fmt, case in cases:
            r = _run_case(case, files[fmt], args.relics)
            if "failed" in r:
                write(f"  {fmt:4} {case:14} failed: {r['failed']}\n")
                continue
            write(f"  {fmt:4} {case:14} {r['rows']:>7} rows {r['errors']:>3} errors "
                  f"{r['seconds']:6.2f} s  peak RSS {r['peak_mb']:6.1f} MB "
                  f"(start {r['baseline_mb']:.1f} MB)\n")  # fmt: skip


if __name__ == "__main__":
    main()
