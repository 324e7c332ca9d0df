"""The QR image of a page for the share button's desktop fallback: drawn here, as SVG.

Only paths of this site are encoded, on the host the visitor is on: the endpoint cannot be used
to make a QR code pointing elsewhere. Nothing about the request is stored.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from media_pipeline.qr.plaque_layout import PlaqueError, dark_runs, make_qr_matrix

MAX_PATH = 400
MODULE_PX = 4
QR_INK = "#000000"


def qr_svg(text: str, module_px: int = MODULE_PX) -> str:
    """`text` as a standalone SVG QR symbol with its quiet zone, one path of dark runs."""
    matrix = make_qr_matrix(text)
    side = matrix.side_modules
    qz = matrix.quiet_zone
    d = "".join(f"M{c + qz} {r + qz}h{n}v1h-{n}z" for r, c, n in dark_runs(matrix))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side * module_px}" '
        f'height="{side * module_px}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges">'
        f"<title>{escape(text)}</title>"
        f'<rect width="{side}" height="{side}" fill="#ffffff"/>'
        f'<path fill="{QR_INK}" d="{d}"/></svg>\n'
    )


def clean_path(raw: str | None) -> str | None:
    """A path of this site (`/di-tich/…`), or None for anything else: another host (`//x`), a
    scheme, a backslash, control characters, an over-long or unknown path."""
    if not raw or len(raw) > MAX_PATH or not raw.startswith("/") or raw.startswith("//"):
        return None
    if "\\" in raw or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
        return None
    path = raw.split("#", 1)[0].split("?", 1)[0]
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


@require_safe
def share_qr(request):
    """`/share/qr.svg?path=/di-tich/dong-khe/dinh-dong-khe/`: that page's address as a QR code."""
    path = clean_path(request.GET.get("path"))
    if path is None:
        return HttpResponseBadRequest(
            _("Không tạo được mã QR: địa chỉ không phải một trang của trang web này."),
            content_type="text/plain; charset=utf-8",
        )
    try:
        svg = qr_svg(request.build_absolute_uri(path))
    except PlaqueError:
        return HttpResponseBadRequest(
            _("Không tạo được mã QR: địa chỉ quá dài."), content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
