"""Visitors' photos: checked by their bytes, size and pixel count before being decoded, then
re-encoded in their own format, which leaves EXIF (GPS position, phone serial) behind.

Pure functions over file objects; the form calls `clean_photo` and stores what it returns.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

# Magic bytes → (Pillow format, extension). Phones send JPEG; PNG and WebP for screenshots.
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "PNG", "png"),
)
TOO_MANY_PIXELS = _("Ảnh quá lớn về số điểm ảnh; hãy chụp lại ở cỡ nhỏ hơn.")
LONGEST_SIDE = 2048  # enough to see a broken plaque; keeps stored photos small


class PhotoRejected(ValueError):
    """A photo we will not keep; the message is for the visitor, in their language."""


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    extension: str
    width: int
    height: int


def sniff(head: bytes) -> tuple[str, str] | None:
    """(Pillow format, extension) from a file's first bytes, or None for anything else."""
    for magic, fmt, ext in _SIGNATURES:
        if head.startswith(magic):
            return fmt, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP", "webp"
    return None


def clean_photo(fh: BinaryIO, size: int, max_bytes: int, max_pixels: int) -> CleanPhoto:
    """The photo re-encoded without metadata, or PhotoRejected saying why."""
    if size > max_bytes:
        raise PhotoRejected(
            _("Ảnh nặng quá: tối đa %(mb)d MB.") % {"mb": max(1, max_bytes // (1024 * 1024))}
        )
    fh.seek(0)
    kind = sniff(fh.read(16))
    if kind is None:
        raise PhotoRejected(_("Tệp này không phải ảnh JPEG, PNG hoặc WebP."))
    fmt, ext = kind
    fh.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fh, formats=[fmt]) as img:
                width, height = img.size  # from the header: nothing decoded yet
                if width * height > max_pixels or width <= 0 or height <= 0:
                    raise PhotoRejected(TOO_MANY_PIXELS)
                if fmt == "JPEG":
                    img.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # decode at a reduced scale
                img.load()
                picture = ImageOps.exif_transpose(img)  # keep it upright once EXIF is gone
                picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
                return _encode(picture, fmt, ext)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own limit, met while opening: the header claims far too many pixels.
        raise PhotoRejected(TOO_MANY_PIXELS) from exc
    except (OSError, SyntaxError, ValueError, Warning) as exc:
        raise PhotoRejected(_("Không đọc được ảnh; tệp có thể bị hỏng.")) from exc


def _encode(picture: Image.Image, fmt: str, ext: str) -> CleanPhoto:
    if fmt == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    if fmt != "JPEG" and picture.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        picture = picture.convert("RGBA")
    out = io.BytesIO()
    # No exif=, no pnginfo=, no icc_profile=: Pillow writes none of the original's metadata.
    options = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}.get(fmt, {})
    picture.save(out, fmt, **options)
    return CleanPhoto(out.getvalue(), ext, picture.width, picture.height)
