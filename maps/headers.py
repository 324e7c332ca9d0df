"""Response headers for the embed page (who may frame it) and the IOC feeds (who may fetch them).

Origins come from settings; they are checked here so a typo fails at start-up, not in a browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

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


def frame_ancestors(origins: Iterable[str]) -> str:
    """CSP value letting our own pages and the listed portal hosts (only) frame the page.

    Django's X-Frame-Options middleware must be bypassed on that view (``xframe_options_exempt``):
    X-Frame-Options cannot name other hosts, and browsers obey CSP frame-ancestors over it.
    """
    hosts = " ".join(check_origins(origins, "frame-ancestors"))
    return f"frame-ancestors 'self' {hosts}".rstrip()


def cors_headers(
    request_origin: str | None, allowed: Iterable[str], *, max_age: int = 600
) -> Mapping[str, str]:
    """CORS headers for a GET feed when the caller's Origin is allowed; {} otherwise."""
    headers = {"Vary": "Origin"}
    if not request_origin:
        return headers
    origin = request_origin.strip().lower().rstrip("/")
    if origin not in check_origins(allowed, "cors"):
        return headers
    return headers | {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Content-Type",
        "Access-Control-Max-Age": str(max_age),
    }


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


def map_policy(nonce: str, img_hosts: Iterable[str], ancestors: str) -> str:
    """The map pages' CSP: our scripts plus the page's nonce'd inline ones, tiles from the
    base-map host, and ``ancestors`` ("frame-ancestors 'none'" or from frame_ancestors())."""
    images = " ".join(["'self'", "data:", "blob:", *img_hosts])
    return (
        f"default-src 'self'; img-src {images}; style-src 'self' 'unsafe-inline'; "
        f"script-src 'self' 'nonce-{nonce}'; object-src 'none'; base-uri 'self'; "
        f"form-action 'self'; {ancestors}"
    )
