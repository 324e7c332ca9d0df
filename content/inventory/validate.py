"""Check and type each row of an inventory table; every problem is a Vietnamese sentence.

Decisions: a cell holding a formula (`=SUM(...)`, or a CSV value starting with `=`) is an error
for its row, because the value we would store is unknown (openpyxl does not compute formulas and
a cached result may be stale); a literal text starting with `=` is written `'=...`, as our own
export does. Coordinates are decimal degrees WGS84; VN-2000 metres are refused with a hint.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import Any

from content.text import fold

from .columns import Column, Layout, RecordKind
from .dating import Dating, parse_dating
from .readers import RawRow, Table
from .vietnamese import clean_text

# Mainland, islands and the Hoàng Sa / Trường Sa archipelagos, generously.
VIETNAM_BOUNDS = (7.0, 24.5, 101.5, 118.0)  # lat min, lat max, lon min, lon max


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is for staff."""


@dataclass
class CheckedRow:
    """A row after checking: typed values of the columns the file has, and what is wrong."""

    number: int
    kind: RecordKind
    raw: dict[str, Any]
    data: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def key(self, layout: Layout) -> tuple[str, ...]:
        return tuple(str(self.data.get(k) or "") for k in layout.key)


def _display(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_text(value: Any) -> str:
    """A cell as text: Excel's 12.0 for "12" comes back as "12", a date as dd/mm/yyyy.

    Strings arrive cleaned by the reader (and unescaped, so they may start with a tab on purpose).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return clean_text(_display(value))


_DMS = re.compile(
    r"(?P<d>\d+(?:[.,]\d+)?)\s*°\s*(?:(?P<m>\d+(?:[.,]\d+)?)\s*['′]\s*)?"
    r"(?:(?P<s>\d+(?:[.,]\d+)?)\s*(?:\"|″|'')\s*)?(?P<h>[NSEWB])?",
    re.IGNORECASE,
)


def to_float(column: Column, value: Any) -> float | None:
    """Decimal number; "20,8561" (decimal comma) and 20°51'22"N are accepted too."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(" ", "")
    if re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    m = _DMS.fullmatch(str(value).strip())
    if m:
        degrees = float(m["d"].replace(",", "."))
        degrees += float((m["m"] or "0").replace(",", ".")) / 60
        degrees += float((m["s"] or "0").replace(",", ".")) / 3600
        return -degrees if (m["h"] or "").upper() in {"S", "W"} else degrees
    raise CellError(f"{column.label} “{value}” không phải số (ví dụ đúng: {column.example}).")


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def to_date(column: Column, value: Any) -> dt.date | None:
    """Day/month/year as written in Vietnam (12/3/2019 is 12 March), or an Excel date cell."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(
        f"{column.label} “{text}” không đúng dạng ngày/tháng/năm (ví dụ {column.example})."
    )


def to_dating(value: Any) -> Dating | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_dating(_display(value))  # a year typed as a number
    return parse_dating(to_text(value))


def to_choice(column: Column, value: Any) -> str | None:
    if value is None:
        return None
    wanted = fold(to_text(value))
    for key, label in column.choices:
        if wanted in (fold(label), fold(key.replace("_", " "))):
            return key
    for alias, key in column.choice_aliases:
        if wanted == fold(alias):
            return key
    labels = "; ".join(label for _, label in column.choices)
    raise CellError(f"{column.label} “{to_text(value)}” không hợp lệ; chọn một trong: {labels}.")


def to_images(value: Any) -> tuple[str, ...]:
    """Image file names, separated by ";", "," or line breaks."""
    text = to_text(value)
    return tuple(p.strip() for p in re.split(r"[;,\n]", text) if p.strip())


def convert(column: Column, value: Any) -> Any:
    """A raw cell as the Python value its column stores; raises CellError."""
    match column.type:
        case "lat" | "lon":
            degrees = to_float(column, value)
            # Stored with 6 decimals (about 11 cm): round now so a re-import finds no change.
            return None if degrees is None else round(degrees, 6)
        case "float":
            return to_float(column, value)
        case "date":
            return to_date(column, value)
        case "dating":
            return to_dating(value)
        case "choice":
            return to_choice(column, value)
        case "images":
            return to_images(value)
        case _:
            return to_text(value)


def _length_error(column: Column, value: Any) -> str | None:
    text = value.text if isinstance(value, Dating) else value
    if column.max_length and isinstance(text, str) and len(text) > column.max_length:
        return f"{column.label} dài {len(text)} ký tự, tối đa {column.max_length}."
    return None


class RowChecker:
    """Checks rows of one table in order; remembers keys to catch duplicates."""

    def __init__(
        self,
        table: Table,
        known_relic_codes: Container[str] | None = None,
        failed_relic_codes: Container[str] = frozenset(),
    ) -> None:
        self.table = table
        self.layout = table.layout
        self.known_relic_codes = known_relic_codes
        self.failed_relic_codes = failed_relic_codes  # relics of this file that have errors
        self.first_seen: dict[tuple[str, ...], int] = {}
        self.duplicates: dict[int, int] = {}  # first row → a later row with the same key

    def check(self, row: RawRow) -> CheckedRow:
        layout = self.layout
        checked = CheckedRow(row.number, layout.kind, row.values, {})
        for key, value in row.values.items():
            column = layout.column(key)
            if key in row.formulas:
                checked.errors.append(
                    f"Ô “{column.label}” chứa công thức ({value}); hãy dán giá trị (Dán đặc biệt → "
                    "Giá trị), hoặc gõ dấu ' ở đầu nếu đó là chữ."
                )
                continue
            try:
                checked.data[key] = convert(column, value)
            except CellError as exc:
                checked.errors.append(str(exc))
                continue
            too_long = _length_error(column, checked.data[key])
            if too_long:
                checked.errors.append(too_long)
        for column in layout.columns:
            if column.key in checked.data and checked.data[column.key] in (
                None,
                "",
                (),
            ):
                if column.required:
                    checked.errors.append(f"Thiếu {column.label}.")
        if layout.kind == RecordKind.RELIC:
            self._check_coordinates(checked)
        else:
            self._check_relic_code(checked)
        self._check_duplicate(checked)
        return checked

    def _check_relic_code(self, checked: CheckedRow) -> None:
        code = checked.data.get("ma_di_tich")
        if not code or self.known_relic_codes is None or code in self.known_relic_codes:
            return
        if code in self.failed_relic_codes:
            checked.errors.append(
                f"Di tích “{code}” ở trang Di tích của tệp này có lỗi, nên dòng này chưa nhập được."
            )
        else:
            checked.errors.append(
                f"Mã di tích “{code}” chưa có trong hệ thống, cũng không có ở trang Di tích của "
                "tệp này."
            )

    def _check_coordinates(self, checked: CheckedRow) -> None:
        lat, lon = checked.data.get("vi_do"), checked.data.get("kinh_do")
        if lat is None and lon is None:
            return
        if lat is None or lon is None:
            checked.errors.append("Cần ghi cả vĩ độ và kinh độ, hoặc để trống cả hai.")
            return
        lat_min, lat_max, lon_min, lon_max = VIETNAM_BOUNDS
        if abs(lat) > 1000 or abs(lon) > 1000:
            checked.errors.append(
                f"Toạ độ ({lat}, {lon}) có vẻ là mét (VN-2000); cần độ thập phân WGS84, "
                "ví dụ 20.8561, 106.6933."
            )
        elif lon_min <= lat <= lon_max and lat_min <= lon <= lat_max:
            checked.errors.append(
                f"Vĩ độ {lat} và kinh độ {lon} có lẽ bị đảo chỗ (ở Việt Nam vĩ độ khoảng 8–24, "
                "kinh độ khoảng 102–118)."
            )
        elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
            checked.errors.append(
                f"Toạ độ ({lat}, {lon}) không hợp lệ: vĩ độ trong −90…90, kinh độ trong −180…180."
            )
        elif not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
            checked.warnings.append(f"Toạ độ ({lat}, {lon}) nằm ngoài lãnh thổ Việt Nam.")

    def duplicate_keys(self) -> set[tuple[str, ...]]:
        """Keys that appear on more than one row (known once the table is read)."""
        return {key for key, row in self.first_seen.items() if row in self.duplicates}

    def _check_duplicate(self, checked: CheckedRow) -> None:
        if any(k not in checked.data or not checked.data[k] for k in self.layout.key):
            return
        key = checked.key(self.layout)
        first = self.first_seen.setdefault(key, checked.number)
        if first != checked.number:
            self.duplicates.setdefault(first, checked.number)
            checked.errors.append(duplicate_message(self.layout, key, first))


def duplicate_message(layout: Layout, key: tuple[str, ...], other_row: int) -> str:
    if layout.kind == RecordKind.RELIC:
        return f"Mã di tích “{key[0]}” trùng với dòng {other_row}."
    return f"Số kiểm kê “{key[1]}” của di tích {key[0]} trùng với dòng {other_row}."


def check_rows(
    table: Table, known_relic_codes: Container[str] | None = None
) -> Iterator[CheckedRow]:
    """Check a table's rows as they stream; duplicates name the earlier row."""
    checker = RowChecker(table, known_relic_codes)
    for row in table.rows():
        yield checker.check(row)
