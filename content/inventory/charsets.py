"""Which encoding a text spreadsheet (CSV, Excel "Unicode text") was saved in.

UTF-8 and UTF-16 announce themselves (BOM, or bytes that only UTF-8 allows). Legacy Vietnamese
bytes are either Windows-1258 (tone marks as separate combining characters) or TCVN3 (ABC); both
decode without error, so we decode with each and keep the one that yields more real syllables.
charset-normalizer was tried: it names cp1258 but has never heard of TCVN3, so it is not used.
"""

from __future__ import annotations

import codecs
import unicodedata
from typing import BinaryIO

from . import tcvn3  # noqa: F401  (registers the "tcvn3" codec)
from .vietnamese import vietnamese_score

# Names staff can choose in the upload form and on the command line.
ENCODING_CHOICES: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 có BOM",
    "utf-16": "UTF-16 (Excel “Unicode Text”)",
    "cp1258": "Windows-1258",
    "tcvn3": "TCVN3 (ABC, phông .VnTime)",
}
_ALIASES = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "utf_8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf_8_sig": "utf-8-sig",
    "utf-16": "utf-16",
    "utf16": "utf-16",
    "utf-16le": "utf-16-le",
    "utf-16-le": "utf-16-le",
    "utf-16be": "utf-16-be",
    "utf-16-be": "utf-16-be",
    "unicode": "utf-16",
    "cp1258": "cp1258",
    "windows-1258": "cp1258",
    "windows1258": "cp1258",
    "tcvn3": "tcvn3",
    "tcvn": "tcvn3",
    "abc": "tcvn3",
    "vntime": "tcvn3",
}

SAMPLE_BYTES = 256 * 1024
_CHUNK = 1024 * 1024


class EncodingError(ValueError):
    """The bytes cannot be read in the chosen or detected encoding; message in Vietnamese."""


def canonical_encoding(name: str) -> str:
    """Map a user's encoding name to ours; raise EncodingError with the choices otherwise."""
    key = name.strip().lower().replace(" ", "")
    if key not in _ALIASES:
        choices = ", ".join(ENCODING_CHOICES)
        raise EncodingError(f"Bảng mã “{name}” không được hỗ trợ. Hãy chọn một trong: {choices}.")
    return _ALIASES[key]


def _bom_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text leaves every other byte zero."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _is_utf8(data: bytes, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def choose_legacy(sample: bytes) -> str:
    """Windows-1258 or TCVN3, whichever decodes the sample into more Vietnamese syllables."""
    best, best_score = "tcvn3", None
    for name in ("cp1258", "tcvn3"):
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue  # a byte Windows-1258 leaves undefined: not Windows-1258
        valid, invalid = vietnamese_score(text)
        score = valid - invalid
        if best_score is None or score > best_score:
            best, best_score = name, score
    return best


def detect_encoding(head: bytes, *, whole_is_utf8: bool | None = None) -> str:
    """Detect from the first bytes; `whole_is_utf8` is the result of checking the whole file."""
    found = _bom_encoding(head) or _bomless_utf16(head)
    if found:
        return found
    is_utf8 = whole_is_utf8 if whole_is_utf8 is not None else _is_utf8(head, final=False)
    if is_utf8:
        return "utf-8"
    return choose_legacy(head[:SAMPLE_BYTES])


def sniff_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes to NFC text; returns (text, encoding name). `encoding` overrides detection."""
    name = canonical_encoding(encoding) if encoding else None
    if name is None:
        name = detect_encoding(data, whole_is_utf8=_is_utf8(data, final=True))
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"Tệp không đọc được bằng bảng mã {ENCODING_CHOICES.get(name, name)} "
            f"(byte thứ {exc.start + 1}). Hãy chọn bảng mã khác."
        ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    return unicodedata.normalize("NFC", text), name


def sniff_stream(stream: BinaryIO, encoding: str | None = None) -> str:
    """Detect the encoding of a seekable binary stream without holding it in memory.

    Reads the head, checks UTF-8 validity over the whole stream chunk by chunk, then rewinds.
    """
    start = stream.tell()
    head = stream.read(SAMPLE_BYTES)
    if encoding:
        name = canonical_encoding(encoding)
    elif _bom_encoding(head) or _bomless_utf16(head):
        name = detect_encoding(head)
    else:
        decoder = codecs.getincrementaldecoder("utf-8")()
        whole_is_utf8 = True
        chunk = head
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = stream.read(_CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            whole_is_utf8 = False
        name = detect_encoding(head, whole_is_utf8=whole_is_utf8)
    stream.seek(start)
    return name
