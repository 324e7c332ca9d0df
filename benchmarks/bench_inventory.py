"""Benchmark inventory import: 287 relics and 20,000 artifacts, read, checked and written.

    python -m benchmarks.bench_inventory [--artifacts 20000] [--out bench-out/inventory]

Generates the XLSX and CSV files (with our own exporter), then measures each case in a fresh
process: wall seconds and peak memory (VmHWM) against the process's baseline. The `db-*` cases
run the whole import path (`content.inventory.service.import_file`) into a throwaway SQLite
database holding a demo-like tree of 287 live relics under 20 wards (built once, then copied).
"""

from __future__ import annotations

import argparse
import json
import os
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
WARDS = 20
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
            "phuong_xa": f"Phường {rng.randint(1, WARDS)}",
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


def _measure(case: str, path: Path, relic_count: int, db: Path | None) -> dict[str, Any]:
    """Run one case in this (fresh) process."""
    from content.inventory import check_rows, open_inventory, preview_import, run_import

    if db is not None:
        from benchmarks.inventory_tree import setup_django

        setup_django(db)
        from content.inventory.service import import_file
    baseline = _peak_rss_mb()
    start = time.perf_counter()
    rows = errors = written = 0
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
    elif case in ("db-import", "db-reimport"):  # the whole path, database writes included
        outcome = import_file(path)
        rows = len(outcome.preview.items)
        errors = outcome.preview.counts.get("error", 0)
        written = sum(outcome.result.written.values())
        seconds = time.perf_counter() - start
        peak = _peak_rss_mb()
        tasks = _drain_task_queue()
        return {"rows": rows, "errors": errors, "written": written, "seconds": seconds,
                "baseline_mb": baseline, "peak_mb": peak, **tasks}  # fmt: skip
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
        "written": written,
        "seconds": seconds,
        "baseline_mb": baseline,
        "peak_mb": peak,
    }


def _drain_task_queue() -> dict[str, Any]:
    """Run the search and reference index tasks the import queued, as the worker would."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.ready().count()
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, stdout=sink
        )
    return {"tasks": queued, "task_seconds": time.perf_counter() - start}


def measure_in_subprocess(module: str, *args: str) -> dict[str, Any]:
    """`python -m module --measure ARGS` in a fresh process: the JSON it prints last."""
    cmd = [sys.executable, "-m", module, "--measure", *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        return {"failed": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _run_case(case: str, path: Path, relic_count: int, db: Path | None = None) -> dict[str, Any]:
    extra = ["--relics", str(relic_count)] + (["--db", str(db)] if db is not None else [])
    return measure_in_subprocess("benchmarks.bench_inventory", case, str(path), *extra)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relics", type=int, default=287)
    parser.add_argument("--artifacts", type=int, nargs="+", default=[20_000, 60_000])
    parser.add_argument("--out", type=Path, default=Path("bench-out/inventory"))
    parser.add_argument(
        "--db-cases",
        type=int,
        default=1,
        help="for how many of the --artifacts counts to run the database cases (default 1)",
    )
    parser.add_argument("--measure", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build-tree", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    write = sys.stdout.write
    if args.measure:
        measured = _measure(args.measure[0], Path(args.measure[1]), args.relics, args.db)
        write(json.dumps(measured) + "\n")
        return
    if args.build_tree:
        from benchmarks.inventory_tree import build_tree

        write(f"{build_tree(args.build_tree, list(relics(args.relics))):.1f}\n")
        return
    for number, count in enumerate(args.artifacts):
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
            _report(write, fmt, case, _run_case(case, files[fmt], args.relics))
        if number < args.db_cases:
            _db_cases(write, args.out, files, args.relics)


def _report(write: Any, fmt: str, case: str, r: dict[str, Any]) -> None:
    if "failed" in r:
        write(f"  {fmt:4} {case:14} failed: {r['failed']}\n")
        return
    write(f"  {fmt:4} {case:14} {r['rows']:>7} rows {r['errors']:>3} errors "
          f"{r['seconds']:6.2f} s  peak RSS {r['peak_mb']:6.1f} MB "
          f"(start {r['baseline_mb']:.1f} MB)"
          + (f"  {r['written']} written" if r.get("written") else "") + "\n")  # fmt: skip
    if r.get("tasks"):
        write(f"  {'':4} {'':14} then {r['tasks']} index tasks in the worker: "
              f"{r['task_seconds']:.2f} s\n")  # fmt: skip


def _db_cases(write: Any, out: Path, files: dict[str, Path], relic_count: int) -> None:
    """The whole import path into SQLite: first import, re-import, and the CSV alone."""
    from benchmarks.inventory_tree import copy_db

    template = out / f"tree-{relic_count}.sqlite3"
    cmd = [sys.executable, "-m", "benchmarks.bench_inventory", "--build-tree", str(template)]
    cmd += ["--relics", str(relic_count)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        write(f"  building the tree failed: {done.stderr.strip().splitlines()[-1:]}\n")
        return
    write(f"  database: {relic_count} live relics built in {float(done.stdout):.1f} s "
          "(SQLite, not measured)\n")  # fmt: skip
    db = copy_db(template, out / "import.sqlite3")
    for case in ("db-import", "db-reimport"):
        _report(write, "xlsx", case, _run_case(case, files["xlsx"], relic_count, db))
    db = copy_db(template, out / "import-csv.sqlite3")
    _report(write, "csv", "db-import", _run_case("db-import", files["csv"], relic_count, db))


if __name__ == "__main__":
    main()
