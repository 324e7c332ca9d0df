"""A page cache for visitor pages and the geo feeds, emptied whenever visitor content changes.

Visitor pages (relic, place, listings, home, map, the 360° gallery) and the feeds under
`/api/geo/` and `/api/ogc/` are kept in the cache backend the settings choose (local memory
by default, Redis when `REDIS_URL` is set) for `PAGE_CACHE_SECONDS`, keyed like Django's own
cache: host, path and query, the language, and the headers the response varies on.

Only an anonymous visitor's GET (and HEAD) is answered from the cache, and only a plain 200 is
stored: never a response to a request that carries a session or an `Authorization` header,
never one that sets a cookie, varies on cookies, says `private`/`no-cache`/`no-store` or holds
a CSRF token (a page with a form). Staff previews and the admin are never cached; neither is
`/Q/` (the QR resolver answers before this middleware, and the path is refused here too, so
every scan is counted), `/healthz`, `/readyz`, `/sw.js`, the offline manifest, search or the
IOC statistics.

Invalidation is a generation number kept in the database (`PageCacheGeneration`), part of every
key: any change a visitor could see bumps it (see `connect_invalidation`), so every process,
the task worker included, sees the change at its next read of the number — each process reads
it at most every `PAGE_CACHE_GENERATION_CHECK_SECONDS` (1 s by default). When
`WAGTAILFRONTENDCACHE` is configured, a bump also purges the site-wide URLs in the cache in
front (the changed page itself is purged by Wagtail's own frontend-cache handlers).
"""

from __future__ import annotations

import re
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils.cache import get_cache_key, has_vary_header, learn_cache_key
from wagtail.models import Page

from heritage_site.models import PageCacheGeneration

# Paths (after the language prefix, lower case) never answered from or stored in the cache.
NEVER_CACHED = (
    "/admin/",
    "/documents/",
    "/images/",
    "/media/",
    "/static/",
    "/q/",
    "/sw.js",
    "/healthz",
    "/readyz",
    "/search/",
    "/offline/manifest.json",
    "/api/",
)
# Under /api/, only these feeds are cached.
CACHED_FEEDS = ("/api/geo/", "/api/ogc/")
NONCE = re.compile(r"'nonce-([A-Za-z0-9_\-+/=]+)'")

_generation: dict[str, float | int | None] = {"value": None, "read_at": 0.0}
_seen = threading.local()


def current_generation() -> int:
    """The generation number, read from the database at most every few seconds."""
    now = time.monotonic()
    interval = settings.PAGE_CACHE_GENERATION_CHECK_SECONDS
    if _generation["value"] is None or now - float(_generation["read_at"] or 0) >= interval:
        _generation.update(value=stored_generation(), read_at=now)
    return int(_generation["value"] or 0)


def stored_generation() -> int:
    """The generation number as the database holds it now: one primary-key read, for what must
    never lag behind a publish (the geo feeds' serialised snapshots, maps/snapshots.py)."""
    value = PageCacheGeneration.objects.values_list("value", flat=True).filter(pk=1).first()
    _seen.value = int(value or 0)
    return _seen.value


def generation_seen() -> int | None:
    """The number this thread last read from the database since ``forget_seen`` (a visitor's
    request starting): heritage_site/memo.py keys its entries by it rather than read it again."""
    return getattr(_seen, "value", None)


def forget_seen() -> None:
    _seen.value = None


# Sent when a transaction that bumped the generation has committed (at once outside one): the
# maps room builds its feeds again in the background then (maps/tasks.py). Receivers must not
# raise: the change is saved already.
generation_committed = Signal()


def bump_generation(instance=None, **_kwargs) -> None:
    """Make every cached page stale, in every process (signal handlers call this)."""
    if not PageCacheGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        try:
            with transaction.atomic():
                PageCacheGeneration.objects.create(pk=1, value=1)
        except IntegrityError:  # another process created it meanwhile
            PageCacheGeneration.objects.filter(pk=1).update(value=F("value") + 1)
    _generation["value"] = None
    transaction.on_commit(lambda: generation_committed.send(sender=PageCacheGeneration))
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        page_url = instance.get_full_url() if isinstance(instance, Page) else None
        transaction.on_commit(lambda: purge_front_cache(page_url))


def purge_front_cache(page_url: str | None = None) -> None:
    """Purge the changed page and the pages that list everything (homes, map, 360° gallery,
    GeoJSON feeds) in the cache in front, through Wagtail's frontend-cache backends."""
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
    from wagtail.models import Site

    urls = [page_url] if page_url else []
    prefixes = [""] + [f"/{code}" for code, _name in settings.LANGUAGES[1:]]
    for site in Site.objects.all():
        root = site.root_url
        for prefix in prefixes:
            urls += [f"{root}{prefix}/", f"{root}{prefix}/map/", f"{root}{prefix}/360/"]
        urls += [f"{root}/api/geo/{name}.geojson" for name in ("relics", "places", "wards")]
    purge_urls_from_cache(urls)


def _without_language(path: str) -> str:
    parts = path.split("/", 2)
    codes = {code.lower() for code, _name in settings.LANGUAGES}
    if len(parts) > 2 and parts[1].lower() in codes:
        return "/" + parts[2]
    return path


def cacheable_path(path: str) -> bool:
    path = _without_language(path).lower()
    if path.startswith(CACHED_FEEDS):
        return True
    return not path.startswith(NEVER_CACHED)


def cacheable_request(request) -> bool:
    """An anonymous visitor's GET or HEAD of a visitor page or a feed."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return cacheable_path(request.path)


def carries_csrf_token(request, response) -> bool:
    """The response holds a CSRF token (a form): it is per visitor, never cached or compressed."""
    return (
        bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        or settings.CSRF_COOKIE_NAME in response.cookies
        or (not response.streaming and b"csrfmiddlewaretoken" in response.content)
    )


def cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if has_vary_header(response, "Cookie"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-cache", "no-store")):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return not carries_csrf_token(request, response)


def with_fresh_nonce(response):
    """A cached page with a CSP nonce gets a new one, so no two visitors share a nonce."""
    policy = response.get("Content-Security-Policy", "")
    match = NONCE.search(policy)
    if match:
        old, new = match.group(1), secrets.token_urlsafe(16)
        response["Content-Security-Policy"] = policy.replace(f"'nonce-{old}'", f"'nonce-{new}'")
        response.content = response.content.replace(
            f'nonce="{old}"'.encode(), f'nonce="{new}"'.encode()
        )
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
    return response


class PageCacheMiddleware:
    """Answers an anonymous visitor from the cache, and stores what may be shared.

    It sits after LocaleMiddleware (the key carries the active language) and before
    CsrfViewMiddleware (so it sees the CSRF cookie a form sets and refuses to store it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        prefix = f"pages.{current_generation()}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                response = with_fresh_nonce(cached)
                response["X-Page-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if request.method == "GET" and cacheable_response(request, response):
            timeout = settings.PAGE_CACHE_SECONDS
            key = learn_cache_key(request, response, timeout, prefix, cache=cache)
            cache.set(key, response, timeout)
            response["X-Page-Cache"] = "miss"
        return response


def connect_invalidation() -> None:
    """Bump the generation on every change a visitor could see (called from AppConfig.ready)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    uid = "page_cache"
    # A page published (a translation synced by wagtail-localize is published too), unpublished,
    # moved or deleted.
    page_published.connect(bump_generation, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(bump_generation, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(bump_generation, dispatch_uid=f"{uid}.moved")
    post_delete.connect(bump_generation, sender=Page, dispatch_uid=f"{uid}.page_deleted")
    # Rows shown on visitor pages: narrations and ward boundaries from their first save;
    # panoramas (tiles published), plaques (a code re-pointed) and the district's settings
    # (made on the first request) when they change.
    for label, handler in (
        ("content.Narration", bump_generation),
        ("maps.WardBoundary", bump_generation),
        ("media_pipeline.Panorama", _bump_when_changed),
        ("media_pipeline.ShortCode", _bump_when_changed),
        ("content.DistrictSettings", _bump_when_changed),
        ("feedback.FeedbackSettings", _bump_when_changed),
        # A site's host, port or root page (the memo of heritage_site/memo.py keeps sites).
        ("wagtailcore.Site", _bump_when_changed),
        # A password, login or group restriction put on or taken off a page (content.public).
        ("wagtailcore.PageViewRestriction", bump_generation),
        # A rubbing's deep-zoom tiles ready (its zoom button appears); a visitor's comment
        # approved, replied to or hidden (new posts wait for moderation and change nothing).
        ("media_pipeline.IIIFTileSet", _bump_when_changed),
        ("feedback.Rating", _bump_when_changed),
        ("feedback.Report", _bump_when_changed),
    ):
        model = apps.get_model(label)
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}.{label}.save")
        post_delete.connect(bump_generation, sender=model, dispatch_uid=f"{uid}.{label}.delete")
    # An inventory or geodata import, when it is done.
    for label in ("content.InventoryImport", "maps.GeoImport"):
        post_save.connect(
            _bump_when_done, sender=apps.get_model(label), dispatch_uid=f"{uid}.{label}.done"
        )


def _bump_when_changed(sender, instance, created=False, **kwargs) -> None:
    if not created:
        bump_generation()


def _bump_when_done(sender, instance, **kwargs) -> None:
    if instance.status == "done":
        bump_generation()
