"""The visitor pages' Content-Security-Policy and Permissions-Policy, built in this one place.

SecurityHeadersMiddleware gives every visitor page the strict default. A view that the district
portal may frame, or that carries inline scripts, only configures the policy (its frame
ancestors, a nonce) and sets it on its response; the middleware then leaves that response alone.
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
    if frame_ancestors is None:
        ancestors = ["'none'"]
    else:
        ancestors = ["'self'", *check_origins(frame_ancestors, "frame-ancestors")]
    directives = [
        ("default-src", ["'self'"]),
        ("img-src", ["'self'", "data:", "blob:", *img_sources]),
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


def permissions_policy(*, geolocation: bool) -> str:
    """No camera or microphone; geolocation for our own pages ("near me"), or for none."""
    return f"camera=(), microphone=(), geolocation=({'self' if geolocation else ''})"
