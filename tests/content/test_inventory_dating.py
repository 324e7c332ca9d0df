"""Niên đại: the forms inventories use become year ranges; anything else stays as text."""

import datetime as dt

import pytest

from content.inventory import Dating, parse_dating


@pytest.mark.parametrize(
    ("text", "years", "precision"),
    [
        ("12/3/1890", (1890, 1890), "day"),
        ("ngày 12 tháng 3 năm 1890", (1890, 1890), "day"),
        ("3/1890", (1890, 1890), "month"),
        ("1890", (1890, 1890), "year"),
        ("năm 1890", (1890, 1890), "year"),
        ("khoảng năm 1890", (1890, 1890), "year"),
        ("1890-1900", (1890, 1900), "range"),
        ("1890 – 95", (1890, 1895), "range"),
        ("từ 1890 đến 1900", (1890, 1900), "range"),
        ("thế kỷ XVIII", (1701, 1800), "century"),
        ("Thế kỷ XVIII.", (1701, 1800), "century"),
        ("TK 18", (1701, 1800), "century"),
        ("TK.XIX", (1801, 1900), "century"),
        ("thế kỉ thứ 17", (1601, 1700), "century"),
        ("thế kỷ XVII - XVIII", (1601, 1800), "century"),
        ("thế kỷ III TCN", (-300, -201), "century"),
        ("đầu thế kỷ XIX", (1801, 1830), "part_century"),
        ("giữa thế kỷ XIX", (1831, 1870), "part_century"),
        ("cuối thế kỷ XIX", (1871, 1900), "part_century"),
        ("nửa đầu thế kỷ XX", (1901, 1950), "part_century"),
        ("thời Lý", (1009, 1225), "dynasty"),
        ("Trần", (1225, 1400), "dynasty"),
        ("nhà Hồ", (1400, 1407), "dynasty"),
        ("thời Lê sơ", (1428, 1527), "dynasty"),
        ("Mạc", (1527, 1592), "dynasty"),
        ("thời Lê trung hưng", (1533, 1789), "dynasty"),
        ("thời Lê", (1428, 1789), "dynasty"),
        ("Tây Sơn", (1778, 1802), "dynasty"),
        ("thời Nguyễn", (1802, 1945), "dynasty"),
        ("THỜI NGUYỄN", (1802, 1945), "dynasty"),
        ("niên hiệu Cảnh Hưng", (1740, 1786), "reign"),
        ("Cảnh Hưng năm thứ 5", (1744, 1744), "year"),
        ("Minh Mệnh thứ 3", (1822, 1822), "year"),
    ],
)
def test_readable_datings(text: str, years: tuple[int, int], precision: str) -> None:
    dating = parse_dating(text)
    assert (dating.year_from, dating.year_to) == years
    assert dating.precision == precision
    assert dating.text == text


def test_day_month_order_is_vietnamese() -> None:
    assert parse_dating("12/3/1890").date == dt.date(1890, 3, 12)


@pytest.mark.parametrize("text", ["không rõ", "31/2/1890", "12", "cổ", "thế kỷ XC", ""])
def test_unreadable_text_is_kept_without_years(text: str) -> None:
    dating = parse_dating(text)
    assert dating == Dating(text)
    assert not dating.known


def test_text_is_cleaned_to_nfc() -> None:
    import unicodedata

    dating = parse_dating(unicodedata.normalize("NFD", "  thời Nguyễn "))
    assert dating.text == "thời Nguyễn"
    assert dating.known
