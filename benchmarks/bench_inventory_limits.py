"""Benchmark the inventory limits on the issue's hostile files: time and memory to refusal.

    python -m benchmarks.bench_inventory_limits [--rows 1000000] [--out bench-out/inventory]

Writes a 1,000,000-row XLSX (about 6 MB, as in issue 11) and small XLSX files holding one
300 MiB (past the inflated-size limit) or 150 MiB (within it) shared string, then in a fresh
process for each: the upload request's glance (`identify_file`: first bytes and zip directory)
and the background preview's read (`open_inventory` and its rows) until the file is refused,
with the default limits. Prints wall seconds and peak memory (VmHWM) against the process's
baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from benchmarks.bench_inventory import _peak_rss_mb, measure_in_subprocess
from benchmarks.xlsx_files import MILLION_SHARED, huge_string, million_rows, write_raw_xlsx


def _measure(case: str, path: Path) -> dict:
    from content.inventory import InventoryFileError, Limits, open_inventory
    from content.inventory.readers import identify_file

    baseline = _peak_rss_mb()
    start = time.perf_counter()
    outcome, rows = "accepted", 0
    try:
        if case == "glance":
            identify_file(path, Limits())
        else:
            with open_inventory(path, limits=Limits()) as inventory:
                rows = sum(1 for table in inventory.tables for _ in table.rows())
    except InventoryFileError as exc:
        outcome = f"refused: {exc.message[:70]}…"
    return {
        "seconds": time.perf_counter() - start,
        "peak_mb": _peak_rss_mb(),
        "baseline_mb": baseline,
        "outcome": outcome,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--string-mib", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("bench-out/inventory"))
    parser.add_argument("--measure", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    write = sys.stdout.write
    if args.measure:
        write(json.dumps(_measure(args.measure[0], Path(args.measure[1]))) + "\n")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    files = {}
    start = time.perf_counter()
    files[f"{args.rows:,} rows"] = write_raw_xlsx(
        args.out / "million.xlsx", million_rows(args.rows), shared=MILLION_SHARED
    )
    for mib in (args.string_mib, 150):  # refused from the zip directory; while streaming
        files[f"one {mib} MiB shared string"] = write_raw_xlsx(
            args.out / f"string-{mib}.xlsx",
            [["Mã di tích", "Số kiểm kê", "Tên hiện vật"], ["DT0001", "HV-1", 0]],
            shared=[huge_string(mib * 1024 * 1024)],
        )
    write(f"files written in {time.perf_counter() - start:.1f} s\n")
    for name, path in files.items():
        write(f"{name} ({path.stat().st_size / 1e6:.1f} MB XLSX):\n")
        for case in ("glance", "read"):
            r = measure_in_subprocess("benchmarks.bench_inventory_limits", case, str(path))
            if "failed" in r:
                write(f"  {case:7} failed: {r['failed']}\n")
                continue
            write(
                f"  {case:7} {r['seconds']:6.2f} s  peak RSS {r['peak_mb']:6.1f} MB "
                f"(start {r['baseline_mb']:.1f} MB)  {r['outcome']}\n"
            )


if __name__ == "__main__":
    main()
