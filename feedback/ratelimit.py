"""Flood protection without keeping who posted: a keyed hash of the client, counted in the
cache for the current window only.

The key is an HMAC (SECRET_KEY) of the address, the user agent and the window's start, so it
changes every window and cannot be turned back into an address; no database row holds it.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache


def client_hash(address: str, user_agent: str, window_start: int, secret: str) -> str:
    message = f"{address}\n{user_agent[:512]}\n{window_start}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def client_address(request) -> str:
    """REMOTE_ADDR, or the header the proxy in front sets (FEEDBACK_CLIENT_IP_HEADER)."""
    header = settings.FEEDBACK_CLIENT_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def allow_post(request, scope: str = "post", now: float | None = None) -> bool:
    """Count this post for its client; False once the client passed the limit in this window."""
    limit, window = settings.FEEDBACK_RATE_LIMIT, settings.FEEDBACK_RATE_WINDOW
    if limit <= 0:
        return True
    now = int(now if now is not None else time.time())
    start = now - now % window
    digest = client_hash(
        client_address(request),
        request.headers.get("User-Agent", ""),
        start,
        settings.SECRET_KEY,
    )
    key = f"feedback-rate:{scope}:{digest}"
    cache.add(key, 0, timeout=start + window - now + 1)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: this is the window's first post
        cache.set(key, 1, timeout=window)
        return True
