"""TCVN3 ("ABC", TCVN 5712:1993 VN3) legacy Vietnamese font encoding → Unicode.

Text typed with the .VnTime fonts reaches us either as raw bytes (a CSV saved by old software) or
as Windows-1252 mojibake in an XLSX cell (Excel stored what the ANSI font showed, e.g. "Hµ Néi").
"""

from __future__ import annotations

import codecs
import unicodedata

from .vietnamese import vietnamese_score

# VN3 puts 67 lower-case letters and the seven base capitals Ă Â Ê Ô Ơ Ư Đ into 0xA1–0xFE. Capitals
# with tone marks do not exist in VN3: they were typed with the same bytes in a capitals-only font
# (.VnTimeH), so they decode to lower case (see `restore_capitals`). The slots agree with the
# lower-case half of TCVN 5712 VN1 (checked against the X.Org table and UniKey's converter).
_VN3_LETTERS: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ",
    0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è",
    0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip


def _windows_1252_char(byte: int) -> str:
    """What an ANSI (Windows-1252) font shows for a byte; undefined slots stay Latin-1."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


# Bytes VN3 leaves free keep their Windows meaning: smart quotes, dashes, "…", "°" in "30°".
DECODING_TABLE: str = "".join(_VN3_LETTERS.get(b, _windows_1252_char(b)) for b in range(256))

# Mojibake character (as Excel stored it from the ANSI font) → the Vietnamese letter it stands for.
_MOJIBAKE_FIX: dict[int, str] = {
    ord(_windows_1252_char(b)): letter for b, letter in _VN3_LETTERS.items()
}
MOJIBAKE_CHARS: frozenset[str] = frozenset(chr(c) for c in _MOJIBAKE_FIX)

# Every character the table can produce, back to its byte (letters win over Latin-1 look-alikes).
_ENCODING_MAP: dict[str, int] = {c: b for b, c in enumerate(DECODING_TABLE)}


# Characters above Latin-1 that a Windows-1252 font still shows: they may sit in mojibake.
_CP1252_EXTRA = frozenset(_windows_1252_char(b) for b in range(0x80, 0xA0)) - {
    chr(b) for b in range(0x80, 0xA0)
}


def could_be_mojibake(text: str) -> bool:
    """True if the text holds TCVN3 bytes shown as Windows-1252 and no real Vietnamese letter."""
    has_marker = False
    for ch in text:
        if ord(ch) > 0xFF and ch not in _CP1252_EXTRA:
            return False  # "ạ", "ố", "Đ": this cell is already Unicode
        has_marker = has_marker or ch in MOJIBAKE_CHARS
    return has_marker


def decode_tcvn3_bytes(data: bytes) -> str:
    """Decode TCVN3 (ABC) bytes to Unicode NFC."""
    return unicodedata.normalize("NFC", data.decode("tcvn3"))


def encode_tcvn3(text: str) -> bytes:
    """Encode Vietnamese text as TCVN3 bytes, capitals with tone marks as their lower-case byte.

    Used to make test files and to let staff hand back data to legacy software; raises
    UnicodeEncodeError for characters TCVN3 cannot hold.
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        byte = _ENCODING_MAP.get(ch)
        if byte is None and ch != ch.lower():
            byte = _ENCODING_MAP.get(ch.lower())  # what typing in .VnTimeH produced
        if byte is None:
            raise UnicodeEncodeError("tcvn3", text, 0, len(text), f"cannot encode {ch!r}")
        out.append(byte)
    return bytes(out)


def fix_tcvn3_text(text: str) -> str:
    """Turn TCVN3 mojibake ("Hµ Néi") into Unicode ("Hà Nội").

    Text that already holds Vietnamese letters beyond Latin-1 ("Chùa Một Cột") is Unicode and
    comes back unchanged (in NFC).
    """
    if not could_be_mojibake(text):
        return unicodedata.normalize("NFC", text)
    fixed = restore_capitals(text.translate(_MOJIBAKE_FIX), text)
    return unicodedata.normalize("NFC", fixed)


def restore_capitals(decoded: str, original: str) -> str:
    """Upper-case a cell typed in a capitals font (.VnTimeH): all its plain letters are capitals.

    "Hµ NéI" → "HÀ NỘI". Needs at least two ASCII letters to tell a heading from a name.
    """
    ascii_letters = [c for c in original if c.isascii() and c.isalpha()]
    if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters) and decoded != original:
        return decoded.upper()
    return decoded


def _net(text: str) -> int:
    valid, invalid = vietnamese_score(text)
    return valid - invalid


def fix_cell(text: str) -> str:
    """Fix one cell of a sheet known to be TCVN3, unless the fix makes it less Vietnamese."""
    if not could_be_mojibake(text):
        return text
    fixed = fix_tcvn3_text(text)
    return fixed if _net(fixed) >= _net(text) else text


def _is_unicode(text: str) -> bool:
    """A character TCVN3 shown as Windows-1252 never produces ("ạ", "đ", Hán Nôm)."""
    return any(ord(ch) > 0xFF and ch not in _CP1252_EXTRA for ch in text)


def sample_is_mojibake(texts: list[str]) -> bool:
    """Decide for a whole sheet from a sample of its cells: does fixing them make Vietnamese?

    A sheet whose cells are mostly Unicode already is Unicode: a stray "×" in "120 × 80 cm"
    must not turn it into "120 ì 80 cm".
    """
    candidates = [t for t in texts if could_be_mojibake(t)]
    if not candidates or sum(map(_is_unicode, texts)) >= len(candidates):
        return False
    before = sum(_net(t) for t in candidates)
    after = sum(_net(fix_tcvn3_text(t)) for t in candidates)
    return after > max(before, 0) + 1


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") not in {"tcvn3", "tcvn3_abc", "abc"}:
        return None

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        return codecs.charmap_decode(data, errors, DECODING_TABLE)

    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return encode_tcvn3(text), len(text)

    class IncrementalDecoder(codecs.IncrementalDecoder):
        def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
            return codecs.charmap_decode(data, self.errors, DECODING_TABLE)[0]

    class IncrementalEncoder(codecs.IncrementalEncoder):
        def encode(self, text: str, final: bool = False) -> bytes:  # type: ignore[override]
            return encode_tcvn3(text)

    return codecs.CodecInfo(
        name="tcvn3",
        encode=encode,
        decode=decode,
        incrementaldecoder=IncrementalDecoder,
        incrementalencoder=IncrementalEncoder,
    )


# A codec name lets io.TextIOWrapper stream TCVN3 files like any other encoding.
codecs.register(_search)
