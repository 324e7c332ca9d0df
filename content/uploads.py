"""What an upload is, read from its bytes, and the name it is stored under.

Every stored upload gets a generated name whose extension comes from its content, never from
what the uploader called it: a JPEG named `polyglot.html` is stored as `….jpg`, so the web
server in front (which picks the Content-Type from the extension) never serves it as a page.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from typing import IO

# Magic numbers of the kinds we keep, as the extension each is stored with.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tif"),
    (b"MM\x00*", "tif"),
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"OggS", "ogg"),
    (b"ID3", "mp3"),
)
# Text that a browser would run or render as a document: never stored as text.
_MARKUP = (b"<", b"\xef\xbb\xbf<")
HEAD_BYTES = 4096
# Media a browser may show inline from our origin; everything else is sent as an attachment.
INLINE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "audio/")


def sniff_bytes(head: bytes) -> str | None:
    """The extension for content starting with ``head``, or None (empty, markup, unknown)."""
    if not head:
        return None
    for magic, ext in _MAGIC:
        if head.startswith(magic):
            return ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "m4a"
    if len(head) > 1 and head[0] == 0xFF and head[1] >= 0xE0:
        return "mp3"  # an MPEG audio frame without an ID3 tag
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if b"\x00" in head:
        return None  # binary of a kind we do not keep
    stripped = head.lstrip()
    if stripped.startswith(_MARKUP):
        return None  # HTML, SVG or XML: script on our origin if a browser rendered it
    if stripped[:1] in (b"{", b"["):
        return "json"
    return "txt"


def sniff(fileobj: IO[bytes]) -> str | None:
    """Like ``sniff_bytes`` for an open file (read from the start; the position is restored).

    A ZIP holding an Excel workbook is "xlsx".
    """
    start = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        fileobj.seek(0)
        kind = sniff_bytes(fileobj.read(HEAD_BYTES))
        if kind == "zip":
            fileobj.seek(0)
            try:
                with zipfile.ZipFile(fileobj) as archive:
                    if "xl/workbook.xml" in archive.namelist():
                        kind = "xlsx"
            except (zipfile.BadZipFile, OSError, ValueError):
                pass  # a broken ZIP is still stored as .zip; its reader says what is wrong
        return kind
    finally:
        fileobj.seek(start)


def stored_name(ext: str | None, *, stem: str = "") -> str:
    """A name nobody can guess or choose: ``<stem->``random``.ext`` (``bin`` when unknown)."""
    token = secrets.token_hex(10)
    return f"{stem}-{token}.{ext or 'bin'}" if stem else f"{token}.{ext or 'bin'}"


def rename_upload(upload, *, allowed: dict[str, str] | None = None, stem: str = "") -> str | None:
    """Give an upload (Django's UploadedFile) a generated name from its content, in place.

    ``allowed`` maps sniffed kinds to the extension to store (e.g. ``{"txt": "csv"}``); a kind
    outside it is stored as ``.bin``. Returns the sniffed kind.
    """
    kind = sniff(upload.file if hasattr(upload, "file") else upload)
    ext = kind if allowed is None else allowed.get(kind or "")
    upload.name = stored_name(ext, stem=stem)
    return kind


def served_inline(content_type: str | None) -> bool:
    """Whether a file of this type may be shown by the browser rather than downloaded."""
    return bool(content_type) and content_type.startswith(INLINE_TYPES)


def bytes_name(data: bytes) -> str:
    """A generated name for in-memory content (images taken out of a ZIP, say)."""
    return stored_name(sniff(io.BytesIO(data)))
