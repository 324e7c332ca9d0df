"""Response headers for the IOC feeds: who may fetch them from a browser (CORS).

Allowed origins come from settings, checked at start-up so a typo fails there, not in a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from heritage_site.security_headers import check_origins


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
