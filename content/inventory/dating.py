"""Read the "niên đại" of a relic, artifact or inscription into a year range.

Inventories write dates every which way: `12/3/1890`, `năm 1890`, `thế kỷ XVIII`, `cuối thế kỷ
XIX`, `thời Lê`, `Cảnh Hưng năm thứ 5`. We keep the text as written and add the years it covers
when we can read them; text we cannot read keeps no years and is never an error.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

from content.text import fold

from .vietnamese import clean_text

Precision = Literal[
    "day",
    "month",
    "year",
    "range",
    "part_century",
    "century",
    "reign",
    "dynasty",
    "unknown",
]


@dataclass(frozen=True)
class Dating:
    text: str
    year_from: int | None = None
    year_to: int | None = None
    precision: Precision = "unknown"
    date: dt.date | None = None  # only for a full day/month/year

    @property
    def known(self) -> bool:
        return self.year_from is not None


# Dynasties by the names inventories use, folded; ranges as in the brief and common reference.
DYNASTIES: dict[str, tuple[int, int]] = {
    "ngo": (939, 965),
    "dinh": (968, 980),
    "tien le": (980, 1009),
    "ly": (1009, 1225),
    "tran": (1225, 1400),
    "ho": (1400, 1407),
    "hau tran": (1407, 1414),
    "le so": (1428, 1527),
    "mac": (1527, 1592),
    "le trung hung": (1533, 1789),
    "hau le": (1428, 1789),
    "le": (1428, 1789),
    "tay son": (1778, 1802),
    "nguyen": (1802, 1945),
    "phap thuoc": (1858, 1945),
}
# Reign names (niên hiệu) whose first year is year one; the list grows as inventories need it.
REIGNS: dict[str, tuple[int, int]] = {
    "thuan thien": (1428, 1433),
    "quang thuan": (1460, 1469),
    "hong duc": (1470, 1497),
    "canh thong": (1498, 1504),
    "hoang dinh": (1601, 1619),
    "vinh to": (1619, 1629),
    "duc long": (1629, 1635),
    "duong hoa": (1635, 1643),
    "phuc thai": (1643, 1649),
    "canh tri": (1663, 1671),
    "chinh hoa": (1680, 1705),
    "vinh thinh": (1705, 1720),
    "bao thai": (1720, 1729),
    "vinh huu": (1735, 1740),
    "canh hung": (1740, 1786),
    "chieu thong": (1787, 1789),
    "thai duc": (1778, 1793),
    "quang trung": (1788, 1792),
    "canh thinh": (1793, 1801),
    "gia long": (1802, 1819),
    "minh menh": (1820, 1840),
    "minh mang": (1820, 1840),
    "thieu tri": (1841, 1847),
    "tu duc": (1848, 1883),
    "dong khanh": (1886, 1888),
    "thanh thai": (1889, 1907),
    "duy tan": (1907, 1916),
    "khai dinh": (1916, 1925),
    "bao dai": (1926, 1945),
}
# Part of a century or dynasty: (start, end) as fractions of its span.
PARTS: dict[str, tuple[float, float]] = {
    "nua dau": (0.0, 0.5),
    "nua sau": (0.5, 1.0),
    "nua cuoi": (0.5, 1.0),
    "dau": (0.0, 0.3),
    "giua": (0.3, 0.7),
    "cuoi": (0.7, 1.0),
}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_PREFIX = r"(?:khoang|vao|tu|thuoc|niên dai|nien dai|co|ca|c\.|~)?\s*"
_BC = r"(?:\s*(?P<bc>tcn|truoc cong nguyen|bc|b\.c\.?))?"
_PART = r"(?:(?P<part>" + "|".join(sorted(PARTS, key=len, reverse=True)) + r")\s+)?"
_CENTURY_WORD = r"(?:the ky|the ki|tk\.?)\s*(?:thu\s+)?"
_CENTURY_NUM = r"(?:[ivxlc]+|\d{1,2})"

_DAY = re.compile(
    r"(?:ngay\s+)?(\d{1,2})\s*(?:[/.-]|\s+thang\s+)(\d{1,2})\s*(?:[/.-]|\s+nam\s+)(\d{3,4})"
)
_MONTH = re.compile(r"(?:thang\s+)?(\d{1,2})\s*(?:/|\s+nam\s+)(\d{3,4})")
_YEAR = re.compile(_PREFIX + r"(?:nam\s+)?(?P<y>\d{1,4})" + _BC)
_YEAR_RANGE = re.compile(
    _PREFIX + r"(?:nam\s+)?(?P<a>\d{1,4})\s*(?:-|–|—|den|toi)\s*(?:nam\s+)?(?P<b>\d{1,4})" + _BC
)
_CENTURY = re.compile(
    _PREFIX
    + _PART
    + _CENTURY_WORD
    + r"(?P<c1>"
    + _CENTURY_NUM
    + r")(?:\s*(?:-|–|—|den)\s*(?:"
    + _CENTURY_WORD
    + r")?(?P<c2>"
    + _CENTURY_NUM
    + r"))?"
    + _BC
)
_DYNASTY = re.compile(
    _PREFIX
    + _PART
    + r"(?:thoi|nha|trieu|thoi ky|doi)?\s*(?P<name>"
    + "|".join(sorted(DYNASTIES, key=len, reverse=True))
    + r")"
)
_REIGN = re.compile(
    r"(?:nien hieu\s+)?(?P<name>"
    + "|".join(sorted(REIGNS, key=len, reverse=True))
    + r")(?:\s+(?:nam\s+)?(?:thu\s+)?(?P<n>\d{1,2}|nhat|nguyen))?(?:\s*\(.*\))?"
)


def _roman(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    total, prev = 0, 0
    for ch in reversed(text):
        value = _ROMAN.get(ch)
        if value is None:
            return None
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total or None


def _part_of(start: int, end: int, part: str | None) -> tuple[int, int]:
    if not part:
        return start, end
    lo, hi = PARTS[part]
    span = end - start + 1
    return start + round(span * lo), start + round(span * hi) - 1


def _century_years(n: int, bc: bool) -> tuple[int, int]:
    if bc:  # thế kỷ III TCN = 300–201 BC, written as negative years
        return -100 * n, -100 * (n - 1) - 1
    return 100 * (n - 1) + 1, 100 * n


def parse_dating(text: str | None) -> Dating:
    """Parse a Vietnamese dating; unknown text comes back with no years, never an error."""
    return _parse_cached(text or "")


@functools.lru_cache(maxsize=4096)  # an inventory repeats a few dozen datings thousands of times
def _parse_cached(text: str) -> Dating:
    original = clean_text(text)
    folded = fold(original).rstrip(" .")
    if not folded:
        return Dating(original)
    for parse in (_parse_day, _parse_range, _parse_month, _parse_year, _parse_century,
                  _parse_reign, _parse_dynasty):  # fmt: skip
        found = parse(folded, original)
        if found is not None:
            return found
    return Dating(original)


def _parse_day(folded: str, original: str) -> Dating | None:
    m = _DAY.fullmatch(folded)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None  # "31/2/1890" stays text rather than guessing
    return Dating(original, year, year, "day", date)


def _parse_month(folded: str, original: str) -> Dating | None:
    m = _MONTH.fullmatch(folded)
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    year = int(m.group(2))
    return Dating(original, year, year, "month")


def _parse_year(folded: str, original: str) -> Dating | None:
    m = _YEAR.fullmatch(folded)
    if not m:
        return None
    year = int(m.group("y"))
    if m.group("bc"):
        year = -year
    elif year < 100 and not folded.startswith("nam"):
        return None  # a bare "12" is more likely a quantity than a year
    return Dating(original, year, year, "year")


def _parse_range(folded: str, original: str) -> Dating | None:
    m = _YEAR_RANGE.fullmatch(folded)
    if not m:
        return None
    a, b = int(m.group("a")), int(m.group("b"))
    if m.group("bc"):
        a, b = -a, -b
    if b < a and not m.group("bc") and len(m.group("b")) < len(m.group("a")):
        b = int(m.group("a")[: -len(m.group("b"))] + m.group("b"))  # "1890-95"
    lo, hi = sorted((a, b))
    return Dating(original, lo, hi, "range")


def _parse_century(folded: str, original: str) -> Dating | None:
    m = _CENTURY.fullmatch(folded)
    if not m:
        return None
    first = _roman(m.group("c1"))
    last = _roman(m.group("c2")) if m.group("c2") else first
    if not first or not last or first > 21 or last > 21:
        return None
    bc = bool(m.group("bc"))
    start = _century_years(first, bc)
    end = _century_years(last, bc)
    lo, hi = min(start[0], end[0]), max(start[1], end[1])
    part = m.group("part")
    if part and not m.group("c2"):
        lo, hi = _part_of(lo, hi, part)
        return Dating(original, lo, hi, "part_century")
    return Dating(original, lo, hi, "century")


def _parse_reign(folded: str, original: str) -> Dating | None:
    m = _REIGN.fullmatch(folded)
    if not m:
        return None
    first, last = REIGNS[m.group("name")]
    n = m.group("n")
    if n:
        year = first + (1 if n in {"nhat", "nguyen"} else int(n)) - 1
        if year <= last + 1:
            return Dating(original, year, year, "year")
        return Dating(original, first, last, "reign")
    return Dating(original, first, last, "reign")


def _parse_dynasty(folded: str, original: str) -> Dating | None:
    m = _DYNASTY.fullmatch(folded)
    if not m:
        return None
    lo, hi = _part_of(*DYNASTIES[m.group("name")], m.group("part"))
    return Dating(original, lo, hi, "dynasty")
