"""Content-Security-Policy and Permissions-Policy of every response, built in this one place.

SecurityHeadersMiddleware gives every visitor page the strict default. A view that the district
portal may frame, or that carries inline scripts, only configures the policy (its frame
ancestors, a nonce) and sets it on its response; the middleware then leaves that response's CSP
alone (it still adds the Permissions-Policy). The Wagtail admin gets `admin_policy`: our own
scripts, and the inline scripts Wagtail wrote into that very page, each given the page's nonce.
The origin helpers are plain functions, so settings check their origins at start-up with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings

_ORIGIN = re.compile(r"^https?://(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$")


def check_origins(origins: Iterable[str], setting: str) -> tuple[str, ...]:
    """Lower-cased origins ('https://congthongtin.example.vn'); ValueError names a bad entry."""
    checked = []
    for origin in origins:
        value = origin.strip().lower().rstrip("/")
        if not _ORIGIN.match(value):
            raise ValueError(
                f"{setting}: «{origin}» is not an origin like https://portal.example.vn "
                "(scheme and host, optional port, no path)"
            )
        checked.append(value)
    return tuple(checked)


def tile_origins(url_template: str | None) -> tuple[str, ...]:
    """The origin a tile URL template loads from, for CSP img-src ('{s}.tile…' → '*.tile…')."""
    if not url_template:
        return ()
    match = re.match(r"^(https?)://([^/?#]+)", url_template.strip())
    if not match:
        raise ValueError(f"MAP_TILES_URL: «{url_template}» is not an http(s) URL template")
    scheme, host = match.groups()
    # Leaflet fills {s} with a subdomain letter; CSP can only say "any subdomain" for that.
    host = re.sub(r"^\{s\}\.", "*.", host.lower())
    if "{" in host:
        raise ValueError(f"MAP_TILES_URL: only {{s}} may vary in the host of «{url_template}»")
    return (f"{scheme}://{host}",)


def content_security_policy(
    *,
    frame_ancestors: Iterable[str] | None = None,
    img_sources: Iterable[str] = (),
    script_sources: Iterable[str] = (),
    connect_sources: Iterable[str] = (),
    nonce: str | None = None,
) -> str:
    """Our own scripts, styles and images, plus the sources and nonce given.

    ``frame_ancestors`` None: no site may frame the page. Otherwise our own pages and those
    origins may; the view must then bypass Django's X-Frame-Options (``xframe_options_exempt``),
    which cannot name other hosts.
    """
    scripts = ["'self'", *script_sources, *([f"'nonce-{nonce}'"] if nonce else [])]
    connect = list(connect_sources)
    media = _media_hosts()
    if frame_ancestors is None:
        ancestors = ["'none'"]
    else:
        ancestors = ["'self'", *check_origins(frame_ancestors, "frame-ancestors")]
    directives = [
        ("default-src", ["'self'"]),
        ("img-src", ["'self'", "data:", "blob:", *media, *img_sources]),
        ("media-src", ["'self'", *media] if media else []),  # else default-src
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("script-src", scripts),
        ("connect-src", ["'self'", *connect] if connect else []),  # else default-src
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ancestors),
    ]
    return "; ".join(" ".join([name, *sources]) for name, sources in directives if sources)


def visitor_policy(
    *, frame_ancestors: Iterable[str] | None = None, nonce: str | None = None
) -> str:
    """content_security_policy() for a visitor page: images also from the base-map tile host."""
    return content_security_policy(
        frame_ancestors=frame_ancestors,
        img_sources=settings.CSP_IMG_HOSTS,
        nonce=nonce,
    )


def _media_hosts() -> list[str]:
    """The bucket or CDN that uploads are served from (MEDIA_STORAGE=s3), else nothing."""
    return list(getattr(settings, "MEDIA_HOSTS", ()))


def permissions_policy(*, geolocation: bool) -> str:
    """No camera, microphone, payment or USB; geolocation for our own pages ("near me"), or for
    none (embeds, the admin)."""
    where = "self" if geolocation else ""
    return f"camera=(), microphone=(), geolocation=({where}), payment=(), usb=()"


_SCRIPT_TAG = re.compile(r"<script(?=[\s>])(?![^>]*\snonce=)", re.I)


def add_script_nonce(html: str, nonce: str) -> str:
    """Give every <script> tag of a page we wrote the page's nonce.

    Wagtail 8's admin writes inline scripts in many places (InlinePanel, choosers, date pickers,
    also inside the templates of InlinePanel's new rows), too many to list by hash. User
    content never reaches a page unescaped, so the tags in our HTML are ours.
    """
    return _SCRIPT_TAG.sub(f'<script nonce="{nonce}"', html)


def admin_policy(nonce: str | None = None) -> str:
    """The Wagtail admin's CSP: everything from our host, inline scripts only with the nonce.

    Wagtail 8 writes inline scripts and many style attributes, so styles keep 'unsafe-inline';
    scripts from other hosts, eval, inline event handlers and javascript: URLs are refused.
    Our own pages may frame the admin (live preview).
    """
    media = _media_hosts()
    directives = [
        ("default-src", ["'self'"]),
        ("img-src", ["'self'", "data:", "blob:", *media]),
        ("media-src", ["'self'", *media] if media else []),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("script-src", ["'self'", *([f"'nonce-{nonce}'"] if nonce else [])]),
        ("font-src", ["'self'", "data:"]),
        ("frame-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["'self'"]),
    ]
    return "; ".join(" ".join([name, *sources]) for name, sources in directives if sources)
