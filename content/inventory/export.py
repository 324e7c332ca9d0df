"""Write inventories out as CSV and XLSX in the import layout, safe to open in a spreadsheet.

Formula injection: a text cell starting with = + - @ tab or CR is written with a leading
apostrophe, so Excel and LibreOffice show it as text instead of running it. Import removes exactly
that apostrophe again (see `formulas.unescape_formula`), so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .columns import (
    DOC_SHEET_LABEL,
    ERROR_COLUMN_LABEL,
    LAYOUTS,
    Column,
    Layout,
    RecordKind,
)
from .dating import Dating
from .formulas import escape_formula

Record = Mapping[str, Any]


def _choice_label(column: Column, key: str) -> str:
    return dict(column.choices).get(key, key)


def export_value(column: Column, value: Any, *, for_xlsx: bool) -> Any:
    """A stored value as the cell the import reads back to the same value."""
    if value is None or value == "" or value == ():
        return None
    match column.type:
        case "date":
            return value if for_xlsx else value.strftime("%d/%m/%Y")
        case "dating":
            text = value.text if isinstance(value, Dating) else str(value)
            return escape_formula(text)
        case "choice":
            return _choice_label(column, value)
        case "images":
            return "; ".join(value) if not isinstance(value, str) else value
        case "float" | "lat" | "lon":
            return value if for_xlsx else repr(value)
        case _:
            return escape_formula(str(value))


def export_row(layout: Layout, record: Record, *, for_xlsx: bool) -> list[Any]:
    return [export_value(c, record.get(c.key), for_xlsx=for_xlsx) for c in layout.columns]


def headers(layout: Layout) -> list[str]:
    return [c.label for c in layout.columns]


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Write to a temporary file beside `path`, then rename it into place: never half a file."""
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_csv(layout: Layout, records: Iterable[Record], out: IO[bytes]) -> int:
    """Stream records as UTF-8 CSV with a BOM (so Excel reads Vietnamese right); returns rows."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(headers(layout))
        count = 0
        for record in records:
            writer.writerow(
                ["" if v is None else v for v in export_row(layout, record, for_xlsx=False)]
            )
            count += 1
        text.flush()
    finally:
        text.detach()  # leave `out` open for the caller
    return count


class _Line:
    """A file-like object that hands back what the csv writer writes (for streaming)."""

    def write(self, text: str) -> str:
        return text


def iter_csv(
    layout: Layout, records: Iterable[Record], *, rows_per_chunk: int = 500
) -> Iterator[bytes]:
    """The same CSV as `write_csv`, as chunks of bytes for a streaming HTTP response."""
    writer = csv.writer(_Line())
    chunk = ["\ufeff", writer.writerow(headers(layout))]
    for record in records:
        row = export_row(layout, record, for_xlsx=False)
        chunk.append(writer.writerow(["" if v is None else v for v in row]))
        if len(chunk) >= rows_per_chunk:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    yield "".join(chunk).encode("utf-8")


def save_csv(path: str | Path, layout: Layout, records: Iterable[Record]) -> int:
    with atomic_path(path) as tmp, tmp.open("wb") as fh:
        return write_csv(layout, records, fh)


def _string_cell(sheet: Any, value: Any) -> Any:
    """A write-only cell; text stays text even when it looks like a formula or a number."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    return cell


def _write_sheet(workbook: Any, layout: Layout, rows: Iterable[list[Any]]) -> int:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(layout.label)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(layout.columns):
        width = 40 if column.key in {"mo_ta", "nguyen_van", "phien_am", "dich_nghia"} else 18
        sheet.column_dimensions[_column_letter(index)].width = width
    header_cells = []
    for label in headers(layout):
        cell = _string_cell(sheet, label)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for values in rows:
        sheet.append([_string_cell(sheet, v) for v in values])
        count += 1
    return count


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def save_xlsx(
    path: str | Path, sheets: Iterable[tuple[RecordKind, Iterable[Record]]]
) -> dict[RecordKind, int]:
    """Stream each kind's records into its own sheet (openpyxl write-only); returns counts."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    counts: dict[RecordKind, int] = {}
    for kind, records in sheets:
        layout = LAYOUTS[kind]
        rows = (export_row(layout, r, for_xlsx=True) for r in records)
        counts[kind] = _write_sheet(workbook, layout, rows)
    with atomic_path(path) as tmp:
        workbook.save(tmp)
    return counts


def example_record(layout: Layout) -> dict[str, Any]:
    """The template's example row, as typed values."""
    from .validate import convert

    return {c.key: convert(c, c.example or None) for c in layout.columns}


def save_template(path: str | Path) -> None:
    """The downloadable template: one sheet per kind with an example row, and a column guide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    for layout in LAYOUTS.values():
        _write_sheet(
            workbook,
            layout,
            [export_row(layout, example_record(layout), for_xlsx=True)],
        )
    guide = workbook.create_sheet(DOC_SHEET_LABEL)
    for letter, width in zip("ABCDEF", (12, 22, 10, 34, 60, 26), strict=True):
        guide.column_dimensions[letter].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    titles = ["Trang", "Cột", "Bắt buộc", "Tên cột khác được nhận", "Cách ghi", "Ví dụ"]
    header = [_string_cell(guide, t) for t in titles]
    for cell in header:
        cell.font = bold
    guide.append(header)
    for layout in LAYOUTS.values():
        for column in layout.columns:
            values = [
                layout.label,
                column.label,
                "Có" if column.required else "",
                ", ".join((column.key, *column.aliases)),
                column.help,
                column.example,
            ]
            cells = [_string_cell(guide, escape_formula(v)) for v in values]
            for cell in cells:
                cell.alignment = wrap
            guide.append(cells)
    guide.append([])
    for note in GUIDE_NOTES:
        guide.append([_string_cell(guide, note)])
    with atomic_path(path) as tmp:
        workbook.save(tmp)


GUIDE_NOTES = (
    "Dòng đầu mỗi trang là tên cột; có thể thêm vài dòng tiêu đề phía trên, cột STT được bỏ qua.",
    "Nhập lại cùng một tệp không thay đổi gì: di tích nhận theo Mã di tích, hiện vật và văn bia "
    "theo Mã di tích + Số kiểm kê.",
    "Tệp CSV: UTF-8 (có hoặc không BOM), UTF-16 (Excel “Unicode Text”, cách nhau bằng Tab), "
    "Windows-1258 hoặc TCVN3 (ABC); dấu phân cách là phẩy, chấm phẩy hoặc Tab.",
    "Chữ gõ bằng phông .VnTime (TCVN3) trong tệp .xlsx được tự nhận ra và chuyển sang Unicode.",
    "Ô công thức (trong .csv: giá trị bắt đầu bằng =) bị từ chối: hãy dán giá trị. Muốn ghi chữ "
    "bắt đầu bằng =, +, - hoặc @ hãy gõ dấu ' ở đầu.",
    "Nhận tệp .xlsx, .xls (Excel 97–2003) và .csv; lớn nhất 25 MB.",
)


def save_rejects(
    path: str | Path,
    rows: Iterable[tuple[RecordKind, Mapping[str, Any], list[str]]],
    *,
    as_csv: bool = False,
) -> int:
    """The rows that were not imported, as typed, with a "Lỗi" column: fix and import again.

    `rows` yields (kind, raw values by column key, error messages); a CSV holds one kind only.
    """
    by_kind: dict[RecordKind, list[list[Any]]] = {}
    for kind, raw, errors in rows:
        layout = LAYOUTS[kind]
        values = [_raw_cell(raw.get(c.key)) for c in layout.columns]
        by_kind.setdefault(kind, []).append([*values, " ".join(errors)])
    if as_csv:
        if len(by_kind) > 1:
            raise ValueError("a CSV file of rejected rows holds one kind of record")
        kind, rejected = next(iter(by_kind.items()), (RecordKind.ARTIFACT, []))
        with atomic_path(path) as tmp, tmp.open("wb") as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
            writer = csv.writer(text)
            writer.writerow([*headers(LAYOUTS[kind]), ERROR_COLUMN_LABEL])
            writer.writerows([["" if v is None else v for v in row] for row in rejected])
            text.flush()
            text.detach()
        return len(rejected)
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for kind, rejected in by_kind.items():
        layout = LAYOUTS[kind]
        sheet = workbook.create_sheet(layout.label)
        sheet.append([_string_cell(sheet, h) for h in (*headers(layout), ERROR_COLUMN_LABEL)])
        for row in rejected:
            sheet.append([_string_cell(sheet, v) for v in row])
    with atomic_path(path) as tmp:
        workbook.save(tmp)
    return sum(len(r) for r in by_kind.values())


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _raw_cell(value: Any) -> Any:
    """A raw cell written back for correction: text guarded, numbers and dates as they were."""
    return escape_formula(value) if isinstance(value, str) else value
