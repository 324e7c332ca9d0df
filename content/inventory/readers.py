"""Stream rows out of inventory spreadsheets (CSV in any supported encoding, XLSX).

`open_inventory(path)` checks the file (size, that it is a spreadsheet at all, an XLSX's
inflated size from its zip directory, then every sheet streamed once against the `Limits`),
finds each table's header row, maps its columns to the documented layout and then yields rows
one at a time, so memory does not grow with the file. Rows, columns and cell lengths are
checked again as rows stream (a CSV's only check), across all tables of the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

from content.text import fold_key

from .charsets import ENCODING_CHOICES, EncodingError, sniff_stream
from .columns import (
    DOC_SHEET_LABEL,
    IMPORT_ORDER,
    LAYOUTS,
    HeaderMap,
    Layout,
    RecordKind,
    guess_kind,
    header_score,
    map_header,
)
from .formulas import unescape_formula
from .issues import InventoryFileError, too_large_message
from .limits import Limits, cell_too_long, too_large_inflated, too_many_columns, too_many_rows
from .tcvn3 import fix_cell, sample_is_mojibake
from .vietnamese import clean_text
from .xlsx import Formula, XlsxBook

# 20,000 artifacts make a 4 MB CSV or a 1.5 MB XLSX; 25 MB leaves room and refuses a 50 MB dump.
MAX_FILE_BYTES = Limits().max_file_bytes
HEADER_SEARCH_ROWS = 20
LEGACY_SAMPLE_ROWS = 200
_CSV_SAMPLE_CHARS = 64 * 1024

Legacy = Literal["auto", "tcvn3", "none"]
FileFormat = Literal["csv", "xlsx", "xls"]

csv.field_size_limit(16 * 1024 * 1024)  # long descriptions; the file-size limit bounds it anyway

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "ảnh PNG"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"GIF8", "ảnh GIF"),
    (b"Rar!", "tệp nén RAR"),
    (b"7z\xbc\xaf", "tệp nén 7-Zip"),
    (b"\x1f\x8b", "tệp nén GZIP"),
)


def _not_spreadsheet(what: str) -> InventoryFileError:
    return InventoryFileError(
        f"Tệp này là {what}, không phải bảng tính. Hãy tải lên tệp .xlsx hoặc .csv "
        "(trong Excel: Tệp → Lưu thành → Sổ làm việc Excel (.xlsx))."
    )


def identify_file(path: Path, limits: Limits | None = None) -> tuple[FileFormat, int]:
    """Tell XLSX, XLS and CSV apart by content, refusing what is too large or not a spreadsheet.

    Cheap enough for the upload request: the first 4 KB and an XLSX's zip directory. Returns the
    format and the bytes a reader will go through (an XLSX inflated, else the file's size).
    """
    limits = limits or Limits()
    size = path.stat().st_size
    if size == 0:
        raise InventoryFileError("Tệp rỗng (0 byte).")
    if size > limits.max_file_bytes:
        raise InventoryFileError(too_large_message(size, limits.max_file_bytes))
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return _identify_zip(path, limits)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls", size  # an OLE2 container: Excel 97–2003, unless calamine finds it is not
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise _not_spreadsheet(what)
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        raise _not_spreadsheet("trang web hoặc XML (thường do “Lưu thành trang web”)")
    return "csv", size


def _identify_zip(path: Path, limits: Limits) -> tuple[FileFormat, int]:
    """The zip directory alone: which package it is, and how large its parts inflate (each
    part's declared size, which Python's zipfile enforces when the part is read)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = {info.filename: info for info in zf.infolist()}
            inflated = sum(info.file_size for info in infos.values())
            mimetype = infos.get("mimetype")
            ods = (
                mimetype is not None
                and mimetype.file_size < 200
                and b"opendocument" in zf.read("mimetype")
            )
    except (zipfile.BadZipFile, OSError) as exc:
        raise InventoryFileError("Tệp .xlsx bị hỏng hoặc tải lên chưa hết.") from exc
    if "xl/workbook.xml" in infos:
        if inflated > limits.max_uncompressed_bytes:
            raise too_large_inflated(inflated, limits)
        return "xlsx", inflated
    if ods:
        raise InventoryFileError(
            "Tệp OpenDocument (.ods) chưa được hỗ trợ. Hãy lưu lại dưới dạng .xlsx hoặc CSV."
        )
    if any(n.startswith("word/") for n in infos):
        raise _not_spreadsheet("văn bản Word (.docx)")
    raise _not_spreadsheet("tệp nén ZIP (ảnh hiện vật tải lên ở ô “Tệp ZIP ảnh”)")


@dataclass(frozen=True)
class RawRow:
    """One data row: cleaned cell values by column key, as the spreadsheet held them."""

    number: int  # as the spreadsheet program shows it (header row counted)
    values: dict[str, Any]
    formulas: frozenset[str] = frozenset()  # keys whose cell holds a formula


@dataclass
class Table:
    """One sheet (or one CSV file) holding one kind of record."""

    name: str
    layout: Layout
    header: HeaderMap
    header_row: int
    legacy_tcvn3: bool
    encoding: str | None = None  # CSV only
    from_csv: bool = False
    notes: list[str] = field(default_factory=list)
    _source: Iterator[tuple[int, Sequence[Any]]] | None = field(default=None, repr=False)
    _budget: RowBudget | None = field(default=None, repr=False)

    @property
    def kind(self) -> RecordKind:
        return self.layout.kind

    @property
    def errors(self) -> list[str]:
        """File-level problems that stop every row of this table."""
        problems = []
        if self.header.missing_required:
            problems.append(
                f"{self._where()}thiếu cột bắt buộc: {', '.join(self.header.missing_required)}."
            )
        if self.header.duplicates:
            problems.append(f"{self._where()}cột bị lặp lại: {', '.join(self.header.duplicates)}.")
        return problems

    def _where(self) -> str:
        return f"Trang “{self.name}”: "

    def rows(self) -> Iterator[RawRow]:
        """Data rows, blank ones skipped; can be iterated once."""
        if self._source is None:
            raise RuntimeError("rows() can be read only once")
        source, self._source = self._source, None
        positions = self.header.positions
        budget = self._budget or RowBudget(Limits())
        try:
            for number, cells in source:
                budget.check(self._where(), number, cells)
                row = _make_row(number, cells, positions, self.legacy_tcvn3, self.from_csv)
                if row is not None:
                    budget.count()
                    yield row
        except UnicodeDecodeError as exc:
            label = ENCODING_CHOICES.get(self.encoding or "", self.encoding)
            raise InventoryFileError(
                f"{self._where()}không đọc được bằng bảng mã {label}. Hãy chọn bảng mã khác."
            ) from exc
        except csv.Error as exc:
            raise InventoryFileError(f"{self._where()}tệp CSV hỏng: {exc}.") from exc


class RowBudget:
    """The file's limits, checked on each row as it streams; rows counted across its tables."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.rows = 0

    def check(self, where: str, number: int, cells: Sequence[Any]) -> None:
        limits = self.limits
        if len(cells) > limits.max_columns:
            extra = [i for i, c in enumerate(cells) if i >= limits.max_columns and _filled(c)]
            if extra:
                raise too_many_columns(where, number, extra[0], limits)
        for cell in cells:
            if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
                raise cell_too_long(where, number, limits)

    def count(self) -> None:
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise too_many_rows(self.limits)


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _make_row(
    number: int,
    cells: Sequence[Any],
    positions: dict[str, int],
    legacy: bool,
    equals_is_formula: bool,
) -> RawRow | None:
    """A row's cells by column key; None for a blank row.

    In a CSV a value starting with "=" is a formula to Excel; in an XLSX only a formula cell is.
    """
    values: dict[str, Any] = {}
    formulas: set[str] = set()
    for key, index in positions.items():
        value = cells[index] if index < len(cells) else None
        if isinstance(value, Formula):
            formulas.add(key)
            value = str(value)
        elif isinstance(value, str):
            value = clean_text(value)
            if legacy:
                value = fix_cell(value)
            value, formula = _unescape(value)
            if formula and equals_is_formula:
                formulas.add(key)
            if value == "":
                value = None
        elif isinstance(value, float) and value.is_integer():
            value = int(value)  # both readers agree: calamine says 1890.0 where openpyxl says 1890
        elif isinstance(value, dt.datetime) and value.time() == dt.time():
            value = value.date()
        values[key] = value
    if all(v is None for v in values.values()):
        return None
    return RawRow(number, values, frozenset(formulas))


def _unescape(value: str) -> tuple[str, bool]:
    """Undo the export's formula guard; tell whether the text reads as a formula. See export."""
    if not value or value[0] not in "'=":
        return value, False
    unescaped = unescape_formula(value)
    if unescaped != value:
        return unescaped, False
    return value, value.startswith("=") and len(value) > 1


class Inventory:
    """An opened inventory file: its tables in import order. Use as a context manager."""

    def __init__(self, path: Path, fmt: FileFormat, limits: Limits | None = None) -> None:
        self.path = path
        self.format = fmt
        self.budget = RowBudget(limits or Limits())
        self.rows_estimate: int | None = None  # XLSX: rows holding a value, from the scan
        self.tables: list[Table] = []
        self.notes: list[str] = []  # sheets skipped and other file-level remarks
        self._closers: list[Any] = []

    @property
    def errors(self) -> list[str]:
        return [e for t in self.tables for e in t.errors]

    def close(self) -> None:
        for closer in self._closers:
            closer.close()
        self._closers.clear()

    def __enter__(self) -> Inventory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_inventory(
    path: str | Path,
    *,
    kind: RecordKind | None = None,
    encoding: str | None = None,
    legacy: Legacy = "auto",
    limits: Limits | None = None,
) -> Inventory:
    """Open a CSV or XLSX inventory; raises InventoryFileError with a Vietnamese message."""
    path = Path(path)
    fmt, _size = identify_file(path, limits)
    inventory = Inventory(path, fmt, limits)
    try:
        if fmt in ("xlsx", "xls"):
            _open_xlsx(inventory, kind, legacy)
        else:
            _open_csv(inventory, kind, encoding, legacy)
    except BaseException:
        inventory.close()
        raise
    if not inventory.tables:
        inventory.close()
        raise InventoryFileError(_no_header_message(kind, inventory.notes))
    inventory.tables.sort(key=lambda t: IMPORT_ORDER.index(t.kind))
    return inventory


def _no_header_message(kind: RecordKind | None, notes: list[str]) -> str:
    layouts = [LAYOUTS[kind]] if kind else list(LAYOUTS.values())
    wanted = "; ".join(
        f"{layout.label}: {', '.join(c.label for c in layout.required)}" for layout in layouts
    )
    extra = (" " + " ".join(notes)) if notes else ""
    return (
        "Không tìm thấy dòng tiêu đề cột trong 20 dòng đầu. Dòng tiêu đề cần có các cột bắt "
        f"buộc ({wanted}); hãy tải tệp mẫu để xem cách ghi.{extra}"
    )


def _find_header(
    rows: Iterator[tuple[int, Sequence[Any]]],
    name: str,
    kind: RecordKind | None,
) -> tuple[list[tuple[int, Sequence[Any]]], int, Layout, bool] | None:
    """Look for the header row among the first rows: (rows read, its index, layout, tcvn3)."""
    seen = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    for index, (_, cells) in enumerate(seen):
        texts = [c if isinstance(c, str) else None for c in cells]
        for legacy, candidate in (
            (False, texts),
            (True, [_fix_or_none(c) for c in texts]),
        ):
            found = kind or guess_kind(name, candidate) or guess_kind(None, candidate)
            if found and header_score(LAYOUTS[found], candidate) >= min(
                2, len(LAYOUTS[found].required)
            ):
                return seen, index, LAYOUTS[found], legacy
    return None


def _fix_or_none(cell: str | None) -> str | None:
    return fix_cell(clean_text(cell)) if cell else cell


def _build_table(
    inventory: Inventory,
    name: str,
    rows: Iterator[tuple[int, Sequence[Any]]],
    kind: RecordKind | None,
    legacy: Legacy,
    encoding: str | None = None,
) -> Table | None:
    found = _find_header(rows, name, kind)
    if found is None:
        inventory.notes.append(f"Trang “{name}” bị bỏ qua: không nhận ra dòng tiêu đề cột.")
        return None
    seen, index, layout, header_is_tcvn3 = found
    number, header_cells = seen[index]
    header_texts = [
        _fix_or_none(c) if header_is_tcvn3 and isinstance(c, str) else c for c in header_cells
    ]
    header = map_header(layout, header_texts)
    after_header = seen[index + 1 :]
    use_tcvn3 = legacy == "tcvn3" or header_is_tcvn3
    if legacy == "auto" and not use_tcvn3:
        sample = after_header + list(itertools.islice(rows, LEGACY_SAMPLE_ROWS))
        after_header = sample
        texts = [
            clean_text(cells[i])
            for _, cells in sample
            for i in header.positions.values()
            if i < len(cells) and isinstance(cells[i], str)
        ]
        use_tcvn3 = sample_is_mojibake(texts)
    if legacy == "none":
        use_tcvn3 = False
    table = Table(
        name=name,
        layout=layout,
        header=header,
        header_row=number,
        legacy_tcvn3=use_tcvn3,
        encoding=encoding,
        from_csv=encoding is not None,
        _source=itertools.chain(after_header, rows),
        _budget=inventory.budget,
    )
    if header.unknown:
        table.notes.append(
            f"Trang “{name}”: bỏ qua các cột không có trong mẫu: {', '.join(header.unknown)}."
        )
    if use_tcvn3:
        table.notes.append(
            f"Trang “{name}”: chữ gõ bằng phông TCVN3 (.VnTime) đã được chuyển sang Unicode."
        )
    return table


def _open_xlsx(inventory: Inventory, kind: RecordKind | None, legacy: Legacy) -> None:
    book = XlsxBook(inventory.path, xls=inventory.format == "xls", limits=inventory.budget.limits)
    inventory._closers.append(book)
    inventory.rows_estimate = book.rows_with_values
    for title in book.titles:
        if fold_key(title) == fold_key(DOC_SHEET_LABEL):
            continue  # the template's column guide
        named = guess_kind(title, [])
        if kind and named and named != kind:
            inventory.notes.append(f"Trang “{title}” bị bỏ qua: không phải {LAYOUTS[kind].label}.")
            continue
        table = _build_table(inventory, title, book.rows(title), kind, legacy)
        if table is not None:
            inventory.tables.append(table)


def _open_csv(
    inventory: Inventory, kind: RecordKind | None, encoding: str | None, legacy: Legacy
) -> None:
    raw = inventory.path.open("rb")
    inventory._closers.append(raw)
    try:
        name = sniff_stream(raw, encoding)
    except EncodingError as exc:
        raise InventoryFileError(str(exc)) from exc
    text = _open_text(raw, name)
    try:
        sample = text.read(_CSV_SAMPLE_CHARS)
    except UnicodeDecodeError as exc:
        label = ENCODING_CHOICES.get(name, name)
        raise InventoryFileError(
            f"Tệp không đọc được bằng bảng mã {label}. Hãy chọn bảng mã khác."
        ) from exc
    _reject_binary(sample)
    delimiter = sniff_delimiter(sample)
    text.seek(0)  # resets the decoder too, so a BOM is skipped again
    inventory._closers.append(text)
    rows = enumerate(csv.reader(text, delimiter=delimiter), start=1)
    if name == "tcvn3":
        legacy = "none"  # the bytes were decoded as TCVN3 already
    table = _build_table(inventory, inventory.path.name, rows, kind, legacy, encoding=name)
    if table is not None:
        inventory.tables.append(table)
        if name not in ("utf-8", "utf-8-sig"):
            table.notes.append(f"Bảng mã: {ENCODING_CHOICES.get(name, name)}.")


def _open_text(raw: BinaryIO, name: str) -> io.TextIOWrapper:
    raw.seek(0)
    codec = "utf-8-sig" if name == "utf-8" else name
    return io.TextIOWrapper(raw, encoding=codec, newline="")  # type: ignore[arg-type]


def _reject_binary(sample: str) -> None:
    if not sample:
        return
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n")
    if "\x00" in sample or controls > len(sample) * 0.01:
        raise _not_spreadsheet("tệp nhị phân")


def sniff_delimiter(sample: str) -> str:
    """Comma, semicolon (Excel in Vietnamese locale) or tab (Excel "Unicode Text")."""
    lines = sample.splitlines()[:30]
    if len(sample) == _CSV_SAMPLE_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut short
    best, best_score = ",", (-1, 0)
    for delimiter in ("\t", ";", ","):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best
