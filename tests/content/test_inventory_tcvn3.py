"""TCVN3 (ABC): legacy .VnTime text comes out as proper Unicode."""

import unicodedata

import pytest

from content.inventory import decode_tcvn3_bytes, encode_tcvn3, fix_tcvn3_text

# Byte strings as the .VnTime fonts store them (cross-checked with published converters).
KNOWN = [
    (b"H\xb5 N\xe9i", "Hà Nội"),
    (b"\xa7\xd7nh", "Đình"),
    (b"H\xb6i Ph\xdfng", "Hải Phòng"),
    (b"Nguy\xd4n", "Nguyễn"),
    (b"th\xd5 k\xfb", "thế kỷ"),
    (b"M\xad\xeang Kh\xad\xacng", "Mường Khương"),
    (b"B\xb6o Th\xbeng", "Bảo Thắng"),
]


@pytest.mark.parametrize(("data", "text"), KNOWN)
def test_known_words_decode(data: bytes, text: str) -> None:
    assert decode_tcvn3_bytes(data) == text


@pytest.mark.parametrize(("data", "text"), KNOWN)
def test_excel_mojibake_is_fixed(data: bytes, text: str) -> None:
    # Excel keeps what the ANSI font showed: the bytes read as Windows-1252.
    assert fix_tcvn3_text(data.decode("cp1252")) == text


def test_every_vietnamese_lowercase_letter_round_trips() -> None:
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    assert decode_tcvn3_bytes(encode_tcvn3(letters)) == letters
    assert len(set(encode_tcvn3(letters))) == len(letters)


def test_output_is_nfc() -> None:
    text = decode_tcvn3_bytes(encode_tcvn3("Đền thờ Trần Hưng Đạo"))
    assert text == unicodedata.normalize("NFC", text) == "Đền thờ Trần Hưng Đạo"


def test_capitals_font_heading_is_upper_cased() -> None:
    # Typed with .VnTimeH: the accented letters are stored as lower-case bytes.
    assert fix_tcvn3_text("§×NH §¤NG KH£") == "ĐÌNH ĐÔNG KHÊ"
    assert fix_tcvn3_text("Hµ NéI") == "HÀ NỘI"


def test_unicode_text_is_left_alone() -> None:
    assert fix_tcvn3_text("Chùa Một Cột") == "Chùa Một Cột"


def test_smart_quotes_and_degree_sign_survive() -> None:
    data = "“Bia” 30°".encode("cp1252")
    assert decode_tcvn3_bytes(data) == "“Bia” 30°"


def test_unicode_sheet_with_a_stray_latin1_sign_is_left_alone() -> None:
    from content.inventory.tcvn3 import sample_is_mojibake

    texts = ["Trùng tu đình bi ký", "120 × 80 cm", "Thánh cung vạn tuế", "聖躬萬歲"]
    assert not sample_is_mojibake(texts)
    assert sample_is_mojibake(["Hµ Néi", "§×nh §«ng Kh£", "120 cm"])
