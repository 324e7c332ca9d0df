"""Encodings of text spreadsheets: detected (or chosen) and always stored as NFC."""

import io
import unicodedata

import pytest

from content.inventory import EncodingError, encode_tcvn3, sniff_stream, sniff_text
from tests.content.inventory_factories import encode_cp1258

TEXT = (
    "Mã di tích,Số kiểm kê,Tên hiện vật,Niên đại\n"
    "DT001,HV-001,Bia đá hậu thần,thế kỷ XVIII\n"
    "DT001,HV-002,Chuông đồng,thời Nguyễn\n"
    "DT002,HV-001,Hoành phi sơn son thếp vàng,cuối thế kỷ XIX\n"
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (encode_cp1258(TEXT), "cp1258"),
        (encode_tcvn3(TEXT), "tcvn3"),
    ],
)
def test_detects_encoding_and_decodes(data: bytes, expected: str) -> None:
    text, name = sniff_text(data)
    assert name == expected
    assert text == TEXT


def test_windows_1258_combining_marks_become_nfc() -> None:
    data = encode_cp1258("Nguyễn Hữu Cảnh")
    assert "\u0303".encode("cp1258") in data  # the tilde travels as its own byte
    text, _ = sniff_text(data)
    assert text == "Nguyễn Hữu Cảnh"
    assert unicodedata.is_normalized("NFC", text)


def test_nfd_utf8_is_normalized() -> None:
    text, _ = sniff_text(unicodedata.normalize("NFD", TEXT).encode("utf-8"))
    assert text == TEXT


def test_explicit_choice_overrides_detection() -> None:
    data = encode_tcvn3("Đình làng")
    assert sniff_text(data, "tcvn3")[0] == "Đình làng"
    assert sniff_text(data, "Windows-1258")[0] != "Đình làng"


def test_wrong_explicit_choice_is_a_vietnamese_message() -> None:
    with pytest.raises(EncodingError, match="không đọc được bằng bảng mã UTF-8"):
        sniff_text(encode_cp1258("Chùa Một Cột"), "utf-8")
    with pytest.raises(EncodingError, match="không được hỗ trợ"):
        sniff_text(b"abc", "koi8-r")


def test_stream_checks_utf8_past_the_sample() -> None:
    # Valid UTF-8 for the first megabyte, then one Windows-1258 byte: not UTF-8 after all.
    data = ("Đình Đông Khê\n" * 80_000).encode() + encode_cp1258("Chùa Một Cột\n")
    stream = io.BytesIO(data)
    assert sniff_stream(stream) != "utf-8"
    assert stream.tell() == 0
