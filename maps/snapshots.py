"""Feed bodies serialised once per content version, kept in the cache backend.

A feed's body (and its brotli or gzip encoding, made the first time a client asks for it) is
stored under a key made of the content version and the request (layer, query, host). The
version is read from the database on every request, never from a process's memory:

- the page cache's generation number (heritage_site/page_cache.py), bumped in the same
  transaction as every publish, unpublish, move, deletion, view restriction, panorama or ward
  boundary change, and every finished import;
- the number of live pages of the language and their last publication, and the same for the
  ward boundaries (two aggregates), which also catch a change made without signals.

So the first request after a change builds and stores a new body, and no request can be
answered with one built before the change. Old snapshots are never read again and expire.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from wagtail.models import Locale, Page

from heritage_site.compression import MIN_LENGTH, chosen_encoding, compress
from heritage_site.memo import generation_now
from maps.models import WardBoundary

# Long enough to outlive any quiet spell; a new version makes a new key anyway.
SNAPSHOT_SECONDS = 24 * 3600
KEY_PREFIX = "maps.snapshot"


@dataclass(frozen=True)
class Version:
    """What a feed's content depends on (``fingerprint``) and when it last changed."""

    fingerprint: str
    modified: datetime | None


def data_version(locale: Locale) -> Version:
    """The content version of the feeds in ``locale``: three small queries, no feature read."""
    # Another language's feed lists untranslated Vietnamese pages too: their edits count.
    shown = Q(locale=locale) | Q(locale__language_code=settings.LANGUAGE_CODE)
    pages = Page.objects.live().filter(shown).aggregate(n=Count("id"), t=Max("last_published_at"))
    bounds = WardBoundary.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    stamps = [t for t in (pages["t"], bounds["t"]) if t is not None]
    fingerprint = f"{generation_now()}:{pages['n']}:{pages['t']}:{bounds['n']}:{bounds['t']}"
    return Version(fingerprint, max(stamps) if stamps else None)


def request_key(request: HttpRequest, version: Version, name: str) -> str:
    """One key per content version, feed, query and host (links in a feed are absolute)."""
    raw = f"{version.fingerprint}|{name}|{request.get_full_path()}|{request.get_host()}"
    return hashlib.sha1(raw.encode()).hexdigest()


def snapshot_response(
    request: HttpRequest, version: Version, name: str, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """A 304 when the client has this version, else the stored body (built on first use),
    compressed as the client accepts, with ETag and Last-Modified. ``build`` makes a 200 or
    raises (a bad parameter): only a 200 is stored."""
    key = request_key(request, version, name)
    etag = f'"{key[:20]}"'
    # Whole seconds, as Last-Modified and If-Modified-Since carry them.
    stamp = int(version.modified.timestamp()) if version.modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=stamp)
    if not_modified is not None:
        return not_modified
    stored, encoding = stored_body(key, build, request.META.get("HTTP_ACCEPT_ENCODING", ""))
    response = stored_response(stored, encoding, etag)
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    return response


HOSTS_KEY = f"{KEY_PREFIX}.hosts"
MAX_HOSTS = 8


def note_host(request: HttpRequest) -> None:
    """Remember the scheme and host a feed was built for (links in feeds are absolute), so
    that the feeds can be built again for them after a publish (maps/warm.py)."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    hosts: list[str] = cache.get(HOSTS_KEY) or []
    origin = f"{request.scheme}://{request.get_host()}"
    if origin not in hosts:
        cache.set(HOSTS_KEY, [origin, *hosts][:MAX_HOSTS], None)


def known_hosts() -> list[str]:
    """The origins (``scheme://host``) feeds were built for, the latest first."""
    return list(caches[settings.PAGE_CACHE_ALIAS].get(HOSTS_KEY) or [])


def stored_response(stored: dict[str, Any], encoding: str | None, etag: str) -> HttpResponse:
    """A stored body (see ``stored_body``) as a 200 in ``encoding``, with its strong ``etag``
    (weak once compressed)."""
    body = stored[encoding or "identity"]
    response = HttpResponse(body, content_type=stored["type"])
    patch_vary_headers(response, ("Accept-Encoding",))
    if encoding:
        response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(body))
    response["ETag"] = f"W/{etag}" if encoding else etag
    return response


def stored_body(
    key: str,
    build: Callable[[], HttpResponse],
    accept: str,
    seconds: float = SNAPSHOT_SECONDS,
) -> tuple[dict[str, Any], str | None]:
    """The snapshot under ``key`` (content type, body, the ETag ``build`` gave if any,
    encodings made so far) and the encoding to answer with (None: the body as it is); made and
    stored for ``seconds`` when missing."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    cache_key = f"{KEY_PREFIX}.{key}"
    stored: dict[str, Any] = cache.get(cache_key) or {}
    changed = False
    if "identity" not in stored:
        response = build()
        if response.status_code != 200:
            raise ValueError(f"a feed snapshot is a 200, not {response.status_code}")
        stored = {"type": response["Content-Type"], "identity": response.content}
        stored["etag"] = response.get("ETag")
        changed = True
    body = stored["identity"]
    encoding = chosen_encoding(accept) if len(body) >= MIN_LENGTH else None
    if encoding and encoding not in stored:
        stored[encoding], changed = compress(body, encoding), True
    if changed:
        cache.set(cache_key, stored, seconds)
    if encoding and len(stored[encoding]) < len(body):
        return stored, encoding
    return stored, None


def stored_value(key: str, build: Callable[[], Any], seconds: float = SNAPSHOT_SECONDS) -> Any:
    """Any picklable value under ``key``, built and stored for ``seconds`` when missing (the
    OGC items' full feature list of a query, which pages are sliced from)."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    cache_key = f"{KEY_PREFIX}.value.{key}"
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, seconds)
    return value
