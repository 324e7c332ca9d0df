"""Print-ready QR plaques: the layout of media_pipeline.qr.plaque_layout drawn as vector SVG, as a
PDF with one plaque per page (DejaVu subsets embedded), or as a ZIP of SVGs; written atomically.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from content.text import vietnamese_slugify
from media_pipeline.qr.plaque_layout import (
    A5,
    A6,
    ACCENT,
    MIN_MODULE_MM,
    QR_INK,
    SIZES,
    BOARD_20x30,
    FontKey,
    PlaqueError,
    PlaqueLayout,
    PlaqueSize,
    PlaqueSpec,
    Progress,
    QrMatrix,
    STICKER_10x10,
    camera_px_per_mm,
    clean_text,
    dark_runs,
    layout_plaque,
    make_qr_matrix,
    register_fonts,
    text_width,
)

__all__ = [
    "A5",
    "A6",
    "MIN_MODULE_MM",
    "SIZES",
    "BOARD_20x30",
    "PlaqueError",
    "PlaqueSize",
    "PlaqueSpec",
    "QrMatrix",
    "STICKER_10x10",
    "atomic_output",
    "camera_px_per_mm",
    "layout_plaque",
    "make_qr_matrix",
    "pdf_bytes",
    "render_pdf",
    "render_svg",
    "render_svg_zip",
    "svg_filename",
    "text_width",
    "write_pdf",
]


_SVG_FONTS: dict[FontKey, tuple[str, str]] = {
    "regular": ("'DejaVu Sans', 'Noto Sans', Arial, sans-serif", "normal"),
    "bold": ("'DejaVu Sans', 'Noto Sans', Arial, sans-serif", "bold"),
    "mono": ("'DejaVu Sans Mono', 'Noto Sans Mono', 'Courier New', monospace", "bold"),
}


# ---------------------------------------------------------------- SVG


def _n(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def render_svg(spec: PlaqueSpec, size: PlaqueSize) -> bytes:
    """One plaque as a standalone SVG in millimetres: vector QR and text, every string escaped."""
    lay = layout_plaque(spec, size)
    W, H = size.width_mm, size.height_mm
    inset = lay.frame_inset
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{_n(W)}mm" height="{_n(H)}mm" viewBox="0 0 {_n(W)} {_n(H)}">\n'
        ),
        f"<title>{escape(lay.title)}</title>\n<desc>{escape(lay.url)}</desc>\n",
        f'<rect width="{_n(W)}" height="{_n(H)}" fill="#ffffff"/>\n',
        (
            f'<rect x="{_n(inset)}" y="{_n(inset)}" width="{_n(W - 2 * inset)}" '
            f'height="{_n(H - 2 * inset)}" rx="{_n(inset)}" fill="none" stroke="{ACCENT}" '
            f'stroke-width="{_n(lay.stroke)}"/>\n'
        ),
    ]
    x1, y1, x2, y2 = lay.rule
    out.append(
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{ACCENT}" '
        f'stroke-width="{_n(lay.stroke)}"/>\n'
    )
    if lay.logo:
        href = "data:image/png;base64," + base64.b64encode(lay.logo.png).decode("ascii")
        out.append(
            f'<image x="{_n(lay.logo.x)}" y="{_n(lay.logo.y)}" width="{_n(lay.logo.width)}" '
            f'height="{_n(lay.logo.height)}" preserveAspectRatio="xMidYMid meet" '
            f'xlink:href="{href}"/>\n'
        )
    for t in lay.texts:
        family, weight = _SVG_FONTS[t.font]
        out.append(
            f'<text x="{_n(t.x)}" y="{_n(t.baseline)}" font-family={quoteattr(family)} '
            f'font-weight="{weight}" font-size="{_n(t.size)}" text-anchor="{t.anchor}" '
            f'fill="{t.color}">{escape(t.text)}</text>\n'
        )
    qr = lay.qr
    qz = qr.matrix.quiet_zone
    d = "".join(f"M{c} {r}h{n}v1h-{n}z" for r, c, n in dark_runs(qr.matrix))
    out.append(
        f'<rect x="{_n(qr.x)}" y="{_n(qr.y)}" width="{_n(qr.side)}" height="{_n(qr.side)}" '
        f'fill="#ffffff"/>\n'
        f'<path transform="translate({_n(qr.x + qz * qr.module)} {_n(qr.y + qz * qr.module)}) '
        f'scale({_n(qr.module)})" fill="{QR_INK}" d="{d}"/>\n'
    )
    out.append("</svg>\n")
    return "".join(out).encode("utf-8")


# ---------------------------------------------------------------- PDF

_PT_PER_MM = 72 / 25.4


def _draw_pdf_page(canvas, lay: PlaqueLayout, fonts: dict[FontKey, str]) -> None:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.utils import ImageReader

    k = _PT_PER_MM
    H = lay.size.height_mm
    inset = lay.frame_inset
    canvas.setLineWidth(lay.stroke * k)
    canvas.setStrokeColor(HexColor(ACCENT))
    canvas.roundRect(
        inset * k,
        inset * k,
        (lay.size.width_mm - 2 * inset) * k,
        (H - 2 * inset) * k,
        inset * k,
        stroke=1,
        fill=0,
    )
    x1, y1, x2, y2 = lay.rule
    canvas.line(x1 * k, (H - y1) * k, x2 * k, (H - y2) * k)
    if lay.logo:
        # One Form XObject per logo: the image is decoded and stored once per document, however
        # many pages show it (drawImage alone re-decodes it for every page).
        box = lay.logo
        name = "Logo" + hashlib.sha1(box.png).hexdigest()[:16]
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, 0, 1, 1)
            canvas.drawImage(ImageReader(io.BytesIO(box.png)), 0, 0, 1, 1, mask="auto")
            canvas.endForm()
        canvas.saveState()
        canvas.translate(box.x * k, (H - box.y - box.height) * k)
        canvas.scale(box.width * k, box.height * k)
        canvas.doForm(name)
        canvas.restoreState()
    for t in lay.texts:
        canvas.setFillColor(HexColor(t.color))
        canvas.setFont(fonts[t.font], t.size * k)
        draw = canvas.drawCentredString if t.anchor == "middle" else canvas.drawString
        draw(t.x * k, (H - t.baseline) * k, t.text)
    # The symbol in module units, y downwards, one rectangle per run of dark modules: integer
    # operands written directly, as reportlab's per-number formatting dominated the batch time.
    qr = lay.qr
    quiet = qr.matrix.quiet_zone * qr.module
    canvas.saveState()
    canvas.setFillColor(HexColor(QR_INK))
    canvas.translate((qr.x + quiet) * k, (H - qr.y - quiet) * k)
    canvas.scale(qr.module * k, -qr.module * k)
    runs = " ".join(f"{c} {r} {n} 1 re" for r, c, n in dark_runs(qr.matrix))
    canvas.addLiteral(f"{runs} f")
    canvas.restoreState()


def write_pdf(
    specs: Sequence[PlaqueSpec],
    size: PlaqueSize,
    fileobj: BinaryIO,
    progress: Progress | None = None,
) -> None:
    """Write the plaques of `specs` to `fileobj` as one PDF, one plaque per page."""
    from reportlab.pdfgen.canvas import Canvas

    if not specs:
        raise PlaqueError("Không có di tích nào để in biển QR.")
    fonts = register_fonts()
    k = _PT_PER_MM
    canvas = Canvas(
        fileobj,
        pagesize=(size.width_mm * k, size.height_mm * k),
        pageCompression=1,
        initialFontName=fonts["regular"],
    )
    canvas.setTitle(f"Biển QR – {clean_text(specs[0].district)}")
    canvas.setCreator("Di sản số")
    for done, spec in enumerate(specs, start=1):
        _draw_pdf_page(canvas, layout_plaque(spec, size), fonts)
        canvas.showPage()
        if progress:
            progress(done, len(specs))
    canvas.save()


@contextmanager
def atomic_output(out: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that appears at `out` only once it is completely written."""
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def render_pdf(
    specs: Sequence[PlaqueSpec],
    size: PlaqueSize,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
) -> Path:
    """Write a print-ready PDF of `specs` (one plaque per page) atomically to `out`."""
    with atomic_output(out) as fh:
        write_pdf(specs, size, fh, progress)
    return Path(out)


def pdf_bytes(specs: Sequence[PlaqueSpec], size: PlaqueSize) -> bytes:
    """The PDF of `specs` in memory, for a single download."""
    buf = io.BytesIO()
    write_pdf(specs, size, buf)
    return buf.getvalue()


# ---------------------------------------------------------------- ZIP of SVGs


def svg_filename(spec: PlaqueSpec) -> str:
    """`7F3K2-dinh-dong-khe.svg`: the code from the URL, then the relic's name in ASCII."""
    code = re.sub(r"[^A-Za-z0-9]", "", spec.url.rstrip("/").rsplit("/", 1)[-1])[:16]
    slug = vietnamese_slugify(clean_text(spec.name_vi), max_length=40)
    return "-".join(part for part in (code, slug) if part) + ".svg" if code or slug else "bien.svg"


def render_svg_zip(
    specs: Sequence[PlaqueSpec],
    size: PlaqueSize,
    out: str | os.PathLike[str],
    progress: Progress | None = None,
) -> Path:
    """Write a ZIP with one SVG per plaque atomically to `out`."""
    if not specs:
        raise PlaqueError("Không có di tích nào để in biển QR.")
    seen: set[str] = set()
    with atomic_output(out) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
        for done, spec in enumerate(specs, start=1):
            name = svg_filename(spec)
            if name in seen:
                name = f"{name[:-4]}-{done}.svg"
            seen.add(name)
            zf.writestr(name, render_svg(spec, size))
            if progress:
                progress(done, len(specs))
    return Path(out)
