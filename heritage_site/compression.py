"""Brotli or gzip for HTML, JSON and GeoJSON answered by the application, never with a secret.

The server in front may compress too (nginx's `gzip on`): a response that already has a
Content-Encoding is left alone, and static files come precompressed from WhiteNoise.

BREACH: compressing a page that reflects a visitor's input next to a secret lets an attacker
who can watch the sizes guess the secret. The only secret in a visitor's page is the CSRF
token of a form, so a response that carries one (a form page, or one that sets the CSRF cookie)
and everything under `/admin/` is sent uncompressed. Pages without a token hold nothing per
visitor to guess.
"""

from __future__ import annotations

import gzip

import brotli
from django.utils.cache import patch_vary_headers

from heritage_site.page_cache import carries_csrf_token

MIN_LENGTH = 200
BROTLI_QUALITY = 5  # a page in about a millisecond, ~20 % smaller than gzip -6
GZIP_LEVEL = 6


def compressible(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return (
        kind.startswith("text/")
        or kind.endswith(("json", "+xml", "javascript"))
        or kind in ("application/xml", "image/svg+xml")
    )


def chosen_encoding(accept_encoding: str) -> str | None:
    """ "br" or "gzip" when the client accepts it (q > 0), brotli first."""
    accepted: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _sep, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        accepted[name.strip()] = quality
    for name in ("br", "gzip"):
        if accepted.get(name, accepted.get("*", 0.0)) > 0:
            return name
    return None


def compress(data: bytes, encoding: str) -> bytes:
    """``data`` encoded as "br" or "gzip" (what ``chosen_encoding`` picked)."""
    if encoding == "br":
        return brotli.compress(data, quality=BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


class CompressionMiddleware:
    """Compresses text answers (pages, JSON, GeoJSON) with brotli or gzip; see the module doc."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or not compressible(response.get("Content-Type", ""))
            or len(response.content) < MIN_LENGTH
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if request.path.startswith("/admin/") or carries_csrf_token(request, response):
            return response
        encoding = chosen_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if encoding is None:
            return response
        body = compress(response.content, encoding)
        if len(body) >= len(response.content):
            return response
        response.content = body
        response["Content-Length"] = str(len(body))
        response["Content-Encoding"] = encoding
        etag = response.get("ETag")
        if etag and not etag.startswith("W/"):
            response["ETag"] = "W/" + etag
        return response
