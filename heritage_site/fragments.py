"""Rendered parts of a visitor page, kept until visitor content changes (fragment cache).

A relic page's article (text, panoramas, a page of each list, nearby places), its structured
data and Open Graph image are the same for every visitor reading it in one language at the same
list pages. They are rendered once per content generation (the number
heritage_site/page_cache.py keeps, bumped by every change a visitor could see) and kept in the
page cache's backend for ``FRAGMENT_CACHE_SECONDS``, keyed by page, language, host, path and
list pages. While they are there the page's view skips the queries that built them; the rest of
the page (routing, the public-page checks, header, language links, footer, response headers) is
done on every request. The page cache keeps whole responses by URL on top of this;
``FRAGMENT_CACHE_SECONDS=0`` turns fragments off (``make bench-pages`` measures both ways).

Only an anonymous visitor's GET or HEAD uses fragments: never a preview, a signed-in staff
member (a session cookie) or a request with an ``Authorization`` header.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from heritage_site.page_cache import current_generation


class Fragments:
    """The named parts of one page view: all found (``hit``), or rendered now and stored."""

    def __init__(self, key: str, names: Iterable[str], found: dict[str, str]) -> None:
        self.key = key
        self.found = found if all(name in found for name in names) else None

    @property
    def hit(self) -> bool:
        return self.found is not None

    def render(self, name: str, render) -> str:
        """The part ``name``: as kept, or ``render()`` now and kept."""
        if self.found is not None:
            return mark_safe(self.found.get(name, ""))
        html = render()
        caches[settings.PAGE_CACHE_ALIAS].set(
            f"{self.key}:{name}", str(html), settings.FRAGMENT_CACHE_SECONDS
        )
        return html


def _may_share(request) -> bool:
    if settings.FRAGMENT_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "is_preview", False) or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def page_fragments(request, page, names: Iterable[str], variant: str = "") -> Fragments | None:
    """The kept parts of ``page`` for this request, or None where they must not be shared.
    ``variant`` names what else the parts depend on (e.g. the list pages asked for)."""
    if not _may_share(request):
        return None
    where = hashlib.sha256(f"{request.get_host()}{request.path}?{variant}".encode()).hexdigest()
    key = f"fragments.{current_generation()}.{page.pk}.{get_language()}.{where[:32]}"
    names = tuple(names)  # read twice: the keys asked for, then whether all were found
    found = caches[settings.PAGE_CACHE_ALIAS].get_many([f"{key}:{name}" for name in names])
    return Fragments(key, names, {k.rsplit(":", 1)[1]: v for k, v in found.items()})
