"""What a QR plaque shows and where: formats, the QR symbol, text fitting, the page layout.

Fonts: DejaVu Sans from Debian's `fonts-dejavu-core` (covers Vietnamese), looked up in
PLAQUE_FONT_DIR or /usr/share/fonts/truetype/dejavu. Text is measured with their metrics, so the
SVG and the PDF (media_pipeline.qr.plaques) have the same layout.
"""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

Progress = Callable[[int, int], None]
FontKey = Literal["regular", "bold", "mono"]
ErrorLevel = Literal["H", "Q"]


class PlaqueError(ValueError):
    """A plaque that cannot be made as asked; the message is for staff, in Vietnamese."""


@dataclass(frozen=True)
class PlaqueSize:
    """A printable format, portrait, in millimetres."""

    key: str
    label: str
    width_mm: float
    height_mm: float


BOARD_20x30 = PlaqueSize("board-20x30", "Bảng 20×30 cm", 200.0, 300.0)
A5 = PlaqueSize("a5", "Khổ A5 (14,8×21 cm)", 148.0, 210.0)
A6 = PlaqueSize("a6", "Khổ A6 (10,5×14,8 cm)", 105.0, 148.0)
STICKER_10x10 = PlaqueSize("sticker-10x10", "Nhãn dán 10×10 cm", 100.0, 100.0)
SIZES: dict[str, PlaqueSize] = {s.key: s for s in (BOARD_20x30, A5, A6, STICKER_10x10)}


@dataclass(frozen=True)
class PlaqueSpec:
    """What one plaque shows; `logo` is a raster image (PNG, JPEG, GIF, WebP) as bytes or path."""

    name_vi: str
    name_en: str
    ranking: str
    district: str
    url: str
    logo: bytes | Path | None = None


# The reference phone of the issue: a 4000 px wide photo over a 70° horizontal field of view.
# A QR module must cover at least 3 of its pixels at the reading distance to decode reliably.
PHONE_HFOV_DEG = 70.0
PHONE_IMAGE_PX = 4000
READING_DISTANCE_M = 1.0
MIN_PX_PER_MODULE = 3.0
QUIET_ZONE_MODULES = 4


def camera_px_per_mm(
    distance_m: float = READING_DISTANCE_M,
    hfov_deg: float = PHONE_HFOV_DEG,
    image_px: int = PHONE_IMAGE_PX,
) -> float:
    """Pixels per millimetre of a flat target `distance_m` in front of the reference phone."""
    field_mm = 2 * math.tan(math.radians(hfov_deg) / 2) * distance_m * 1000
    return image_px / field_mm


MIN_MODULE_MM = MIN_PX_PER_MODULE / camera_px_per_mm()  # ≈ 1.05 mm


@dataclass(frozen=True)
class QrMatrix:
    """Dark (True) and light modules of a QR symbol, without its quiet zone."""

    rows: tuple[tuple[bool, ...], ...]
    version: int
    error: ErrorLevel
    quiet_zone: int = QUIET_ZONE_MODULES

    @property
    def size(self) -> int:
        return len(self.rows)

    @property
    def side_modules(self) -> int:
        """Modules across, quiet zone included."""
        return self.size + 2 * self.quiet_zone


def _encode(url: str, error: ErrorLevel) -> QrMatrix:
    import qrcode
    from qrcode.exceptions import DataOverflowError

    levels = {
        "H": qrcode.constants.ERROR_CORRECT_H,
        "Q": qrcode.constants.ERROR_CORRECT_Q,
    }
    qr = qrcode.QRCode(error_correction=levels[error], border=0, box_size=1)
    qr.add_data(url)
    try:
        qr.make(fit=True)
    except DataOverflowError as exc:
        raise PlaqueError("Địa chỉ quá dài để mã hoá thành mã QR.") from exc
    rows = tuple(tuple(bool(cell) for cell in row) for row in qr.get_matrix())
    return QrMatrix(rows=rows, version=qr.version, error=error)


def make_qr_matrix(
    url: str, side_mm: float | None = None, min_module_mm: float = MIN_MODULE_MM
) -> QrMatrix:
    """Encode `url` at error correction H, or Q if H's modules would be smaller than scannable.

    `side_mm` is the square the symbol and its 4-module quiet zone must fit in.
    """
    matrix = _encode(url, "H")
    if side_mm is None or side_mm / matrix.side_modules >= min_module_mm:
        return matrix
    matrix = _encode(url, "Q")
    if side_mm / matrix.side_modules >= min_module_mm:
        return matrix
    raise PlaqueError(
        f"Mã QR không đủ lớn để quét được trên khổ này ({side_mm:.0f} mm): "
        "hãy chọn khổ lớn hơn hoặc rút ngắn tên miền."
    )


def dark_runs(matrix: QrMatrix) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    for r, row in enumerate(matrix.rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                yield r, start, c - start
            else:
                c += 1


# ---------------------------------------------------------------- fonts and text


_FONT_FILES: dict[FontKey, str] = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "mono": "DejaVuSansMono-Bold.ttf",
}
_PDF_FONT_NAMES: dict[FontKey, str] = {
    "regular": "PlaqueSans",
    "bold": "PlaqueSans-Bold",
    "mono": "PlaqueMono-Bold",
}


@lru_cache(maxsize=1)
def register_fonts() -> dict[FontKey, str]:
    """Register the DejaVu fonts with reportlab once; return their names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font_dir = Path(os.environ.get("PLAQUE_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
    for key, filename in _FONT_FILES.items():
        path = font_dir / filename
        if not path.is_file():
            raise PlaqueError(
                f"Thiếu phông chữ {path}: cài gói Debian fonts-dejavu-core "
                "hoặc đặt PLAQUE_FONT_DIR."
            )
        pdfmetrics.registerFont(TTFont(_PDF_FONT_NAMES[key], str(path)))
    return dict(_PDF_FONT_NAMES)


def text_width(text: str, font: FontKey, size: float) -> float:
    """Width of `text` set in `font` at `size`, in the unit of `size`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, register_fonts()[font], size)


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str, limit: int = 300) -> str:
    """NFC, no control characters (invalid in XML), single spaces, at most `limit` chars."""
    text = unicodedata.normalize("NFC", str(text))
    text = _CONTROL_RE.sub(" ", text)
    return " ".join(text.split())[:limit]


def _wrap(text: str, font: FontKey, size: float, max_width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", font, size) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _ellipsize(line: str, font: FontKey, size: float, max_width: float) -> str:
    while line and text_width(line + "…", font, size) > max_width:
        line = line[:-1].rstrip()
    return line + "…"


def fit_lines(
    text: str,
    font: FontKey,
    size: float,
    min_size: float,
    max_width: float,
    max_lines: int,
) -> tuple[float, list[str]]:
    """Largest size ≤ `size` at which `text` wraps into `max_lines` lines of `max_width`.

    At `min_size` whatever still overflows is cut with an ellipsis rather than spilling out.
    """
    if not text:
        return size, []
    while True:
        lines = _wrap(text, font, size, max_width)
        fits = len(lines) <= max_lines
        if fits and all(text_width(line, font, size) <= max_width for line in lines):
            return size, lines
        if size * 0.94 < min_size:
            break
        size *= 0.94
    size = min_size
    lines = _wrap(text, font, size, max_width)
    if len(lines) > max_lines:
        lines = [
            *lines[: max_lines - 1],
            _ellipsize(lines[max_lines - 1], font, size, max_width),
        ]
    return size, [
        line
        if text_width(line, font, size) <= max_width
        else _ellipsize(line, font, size, max_width)
        for line in lines
    ]


# ---------------------------------------------------------------- logo


@lru_cache(maxsize=4)
def _logo_png(data: bytes) -> tuple[bytes, float]:
    """The logo as a PNG at most 600 px across, and its width/height ratio."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as original:
            img = original.convert("RGBA")
        img.thumbnail((600, 600))
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        return buf.getvalue(), img.width / img.height
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PlaqueError(
            "Logo của quận/huyện không phải ảnh hợp lệ (PNG, JPEG, GIF hoặc WebP)."
        ) from exc


def _logo_bytes(logo: bytes | Path | None) -> bytes | None:
    if logo is None:
        return None
    if isinstance(logo, bytes):
        return logo
    try:
        return Path(logo).read_bytes()
    except OSError as exc:
        raise PlaqueError(f"Không đọc được tệp logo {logo}.") from exc


# ---------------------------------------------------------------- layout

INK = "#1a1a1a"
QR_INK = "#000000"
ACCENT = "#8b1a1a"
CAPTION = "Quét mã để xem thuyết minh · Scan to explore"


@dataclass(frozen=True)
class TextLine:
    text: str
    x: float
    baseline: float
    size: float
    font: FontKey
    anchor: Literal["start", "middle"] = "middle"
    color: str = INK


@dataclass(frozen=True)
class LogoBox:
    x: float
    y: float
    width: float
    height: float
    png: bytes


@dataclass(frozen=True)
class QrBox:
    """The symbol with its quiet zone: top-left corner and module size, in mm."""

    x: float
    y: float
    module: float
    matrix: QrMatrix

    @property
    def side(self) -> float:
        return self.module * self.matrix.side_modules


@dataclass(frozen=True)
class PlaqueLayout:
    """Everything on one plaque in millimetres, origin top-left, y downwards."""

    size: PlaqueSize
    title: str
    url: str
    texts: tuple[TextLine, ...]
    logo: LogoBox | None
    qr: QrBox
    rule: tuple[float, float, float, float]  # x1, y1, x2, y2
    frame_inset: float
    stroke: float


# Line box of a text line as multiples of its size: Vietnamese capitals carry stacked marks
# (Ể, Ỗ) above the cap height and dots (Ợ) below the baseline.
_ASCENT = 1.05
_DESCENT = 0.3
QR_MIN_SHARE = 0.62  # of the inner width, before text is allowed to shrink further


@dataclass
class _Block:
    lines: list[str]
    font: FontKey
    size: float
    color: str = INK

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * (_ASCENT + _DESCENT) if self.lines else 0.0


MIN_TEXT_MM = 2.2  # about 6 pt: the smallest text still legible on a printed plaque


def _fit(text: str, font: FontKey, start: float, smallest: float, width: float, lines: int):
    return fit_lines(text, font, max(start, MIN_TEXT_MM), max(smallest, MIN_TEXT_MM), width, lines)


def _text_blocks(
    spec: PlaqueSpec, inner: float, u: float, header_text_width: float
) -> tuple[_Block, ...]:
    district = _fit(clean_text(spec.district), "bold", 3.8 * u, 2.6 * u, header_text_width, 2)
    name_vi = _fit(clean_text(spec.name_vi), "bold", 7.0 * u, 4.2 * u, inner, 3)
    name_en = _fit(clean_text(spec.name_en), "regular", 4.4 * u, 3.0 * u, inner, 2)
    ranking = _fit(clean_text(spec.ranking), "regular", 3.8 * u, 2.6 * u, inner, 2)
    # The URL is never wrapped: it shrinks (down to 1.8 mm) to stay on one line.
    url = fit_lines(clean_text(spec.url, 2000), "mono", max(4.4 * u, MIN_TEXT_MM), 1.8, inner, 1)
    caption = _fit(CAPTION, "regular", 3.0 * u, 2.6 * u, inner, 1)
    return (
        _Block(district[1], "bold", district[0]),
        _Block(name_vi[1], "bold", name_vi[0], ACCENT),
        _Block(name_en[1], "regular", name_en[0]),
        _Block(ranking[1], "regular", ranking[0]),
        _Block(url[1], "mono", url[0]),
        _Block(caption[1], "regular", caption[0]),
    )


def _emit(block: _Block, x: float, top: float, anchor: Literal["start", "middle"] = "middle"):
    step = block.size * (_ASCENT + _DESCENT)
    return [
        TextLine(
            line,
            x,
            top + i * step + block.size * _ASCENT,
            block.size,
            block.font,
            anchor,
            block.color,
        )
        for i, line in enumerate(block.lines)
    ]


def layout_plaque(spec: PlaqueSpec, size: PlaqueSize) -> PlaqueLayout:
    """Place header, names, ranking, QR code, URL and caption on one plaque."""
    W, H = size.width_mm, size.height_mm
    margin = max(5.0, 0.06 * min(W, H))
    inner = W - 2 * margin
    logo_data = _logo_bytes(spec.logo)
    logo = _logo_png(logo_data) if logo_data else None

    scale = 1.0
    while True:
        u = min(W, 0.75 * H) / 100 * scale
        logo_h = 11.0 * u if logo else 0.0
        logo_w = min(logo_h * logo[1], 2.5 * logo_h) if logo else 0.0
        gap_logo = 2.5 * u if logo else 0.0
        district, name_vi, name_en, ranking, url, caption = _text_blocks(
            spec, inner, u, inner - logo_w - gap_logo
        )
        header_h = max(logo_h, district.height)
        gap = 2.2 * u
        fixed = (
            header_h
            + 3 * gap  # header, the rule between its gaps, names
            + name_vi.height
            + name_en.height
            + ranking.height
            + 2 * gap
            + url.height
            + caption.height
            + 0.8 * gap
        )
        qr_side = min(inner, H - 2 * margin - fixed)
        if qr_side >= QR_MIN_SHARE * inner or scale < 0.5:
            break
        scale *= 0.9

    matrix = make_qr_matrix(spec.url, side_mm=qr_side)
    module = qr_side / matrix.side_modules
    spare = max(0.0, H - 2 * margin - fixed - qr_side) / 3

    texts: list[TextLine] = []
    y = margin
    logo_box = None
    if logo:
        district_w = max((text_width(s, "bold", district.size) for s in district.lines), default=0)
        x0 = (W - (logo_w + gap_logo + district_w)) / 2
        logo_box = LogoBox(x0, y + (header_h - logo_h) / 2, logo_w, logo_h, logo[0])
        texts += _emit(
            district,
            x0 + logo_w + gap_logo,
            y + (header_h - district.height) / 2,
            "start",
        )
    else:
        texts += _emit(district, W / 2, y)
    y += header_h + gap
    rule = (margin, y, W - margin, y)
    y += gap + spare
    for block in (name_vi, name_en, ranking):
        texts += _emit(block, W / 2, y)
        y += block.height + (gap if block is not ranking else 0)
    y += gap + spare
    qr = QrBox((W - qr_side) / 2, y, module, matrix)
    y += qr_side
    texts += _emit(url, W / 2, y)
    y += url.height + 0.8 * gap
    texts += _emit(caption, W / 2, y)

    return PlaqueLayout(
        size=size,
        title=clean_text(spec.name_vi),
        url=clean_text(spec.url, 2000),
        texts=tuple(texts),
        logo=logo_box,
        qr=qr,
        rule=rule,
        frame_inset=margin * 0.45,
        stroke=max(0.25, 0.3 * u),
    )
