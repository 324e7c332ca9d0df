"""The to-do list as a spreadsheet (XLSX: summary, wards, relics) or CSV (relics), safe to open.

Titles are staff text: a cell a spreadsheet would run as a formula gets the inventory export's
leading apostrophe (content.inventory.formulas).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from content.inventory.formulas import escape_formula
from progress.checklist import (
    GAP_KINDS,
    Gap,
    RelicFacts,
    Totals,
    WardRow,
    gaps,
    report_lines,
)

RANKING_LABELS = {
    "quoc_gia_dac_biet": "Quốc gia đặc biệt",
    "quoc_gia": "Quốc gia",
    "cap_tinh": "Cấp tỉnh / thành phố",
    "kiem_ke": "Đã kiểm kê",
}
RELIC_HEADERS = ["Phường / xã", "Di tích", "Xếp hạng", "Đã số hóa", *[h for _k, h in GAP_KINDS]]


def _text(value: str) -> str:
    return escape_formula(value)


def relic_row(
    relic: RelicFacts, languages: Sequence[tuple[str, str]], link: Callable[[RelicFacts], str]
) -> list:
    """One relic: what it lacks, one cell per kind of gap (a count, languages, or "Thiếu")."""
    by_key: dict[str, list[Gap]] = {}
    for gap in gaps(relic, languages):
        by_key.setdefault(gap.key, []).append(gap)
    counts = {
        "rubbing": relic.inscriptions_without_rubbing,
        "inscription_translation": relic.inscriptions_without_translation,
        "artifact_photo": relic.artifacts_without_photo,
        "artifact_number": relic.artifacts_without_number,
    }
    names = dict(languages)
    row: list = [
        _text(relic.ward),
        _text(relic.title),
        RANKING_LABELS.get(relic.ranking, relic.ranking),
        "Có" if relic.digitised else "Chưa",
    ]
    for key, _heading in GAP_KINDS:
        found = by_key.get(key, [])
        if not found:
            row.append("")
        elif key in counts:
            row.append(counts[key])
        elif found[0].language:
            row.append(", ".join(names[g.language] for g in found))
        else:
            row.append("Thiếu")
    return [*row, link(relic)]


def ward_table(rows: Sequence[WardRow]) -> list[list]:
    header = ["Phường / xã", "Số di tích", "Đã số hóa", *[h for _k, h in GAP_KINDS]]
    body = [
        [_text(r.ward), r.relics, r.digitised, *[r.gaps.get(k, 0) for k, _h in GAP_KINDS]]
        for r in rows
    ]
    return [header, *body]


def write_csv(
    relics: Sequence[RelicFacts],
    languages: Sequence[tuple[str, str]],
    link: Callable[[RelicFacts], str],
) -> bytes:
    """Relic rows, UTF-8 with a BOM so that Excel shows Vietnamese right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*RELIC_HEADERS, "Sửa tại"])
    for relic in relics:
        writer.writerow(relic_row(relic, languages, link))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(
    relics: Sequence[RelicFacts],
    languages: Sequence[tuple[str, str]],
    figures: Totals,
    wards: Sequence[WardRow],
    link: Callable[[RelicFacts], str],
    title: str,
) -> bytes:
    """Three sheets: the report's figures, one row per ward, one row per relic."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    summary.append([_text(title)])
    summary["A1"].font = Font(bold=True, size=14)
    for line in report_lines(figures):
        summary.append([line])
    summary.append([])
    summary.append(["Ngôn ngữ", "Di tích có trang", "Di tích có thuyết minh"])
    for lang in figures.languages:
        summary.append([lang.name, lang.pages, lang.narrations])
    summary.column_dimensions["A"].width = 90

    by_ward = book.create_sheet("Theo phường")
    for row in ward_table(wards):
        by_ward.append(row)
    by_relic = book.create_sheet("Theo di tích")
    by_relic.append([*RELIC_HEADERS, "Sửa tại"])
    for relic in relics:
        row = relic_row(relic, languages, link)
        by_relic.append(row)
        url = row[-1]
        cell = by_relic.cell(row=by_relic.max_row, column=len(row))
        cell.hyperlink = url
    for sheet in (by_ward, by_relic):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "C2" if sheet is by_relic else "B2"
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
