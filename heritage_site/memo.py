"""Lookups every visitor page repeats, kept in each process until visitor content changes.

Which site a host names, which page a URL path names, the district's settings and the header's
links change only when staff publish, move, unpublish or delete something, or save the
district's settings: what bumps the page cache's generation (heritage_site/page_cache.py). A
visitor's request keeps them here under that generation, so the next visitor's page does not
ask the database again, with or without the page cache; a process forgets them all when it
sees a new generation (at most `PAGE_CACHE_GENERATION_CHECK_SECONDS` late, as the page cache).

Only visitor requests use it (`remembered` builds afresh elsewhere, e.g. in the task worker
that serialises the feeds), and what is kept is shared between requests: callers must not
change it, and must check anything a stale entry could get wrong (a URL path's page is loaded
by its key and its path compared).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.signals import request_finished, request_started

from heritage_site.page_cache import (
    current_generation,
    forget_seen,
    generation_seen,
    stored_generation,
)

T = TypeVar("T")
MAX_ENTRIES = 4096  # a flood of distinct hosts or paths empties the memo instead of growing it

_state: dict = {"generation": None, "values": {}}
_request = threading.local()  # the generation a visitor's GET read, while it runs


def _start_request(sender=None, environ=None, **_kwargs) -> None:
    method = (environ or {}).get("REQUEST_METHOD")
    _request.active = method in ("GET", "HEAD")
    _request.generation = None
    forget_seen()


def _end_request(sender=None, **_kwargs) -> None:
    _request.active = False
    _request.generation = None
    forget_seen()


def connect_request_memo() -> None:
    """Called from the project's AppConfig.ready()."""
    request_started.connect(_start_request, dispatch_uid="heritage_site.memo.start")
    request_finished.connect(_end_request, dispatch_uid="heritage_site.memo.end")


def generation_now() -> int:
    """The generation as the database holds it: read once in a visitor's request (whoever
    reads it first), afresh everywhere else."""
    if getattr(_request, "active", False):
        seen = generation_seen()
        if seen is not None:
            return seen
    return stored_generation()


def remembered(key: Hashable, build: Callable[[], T]) -> T:
    """``build()``'s value, kept under ``key`` until the generation changes (visitor requests
    only; elsewhere it is built each time)."""
    if not getattr(_request, "active", False):
        return build()
    generation = _request.generation
    if generation is None:
        # A number read afresh in this request already (the feeds read one) serves as well.
        seen = generation_seen()
        generation = _request.generation = current_generation() if seen is None else seen
    if _state["generation"] != generation:
        _state.update(generation=generation, values={})
    values = _state["values"]
    try:
        return values[key]
    except KeyError:
        pass
    value = build()
    if len(values) >= MAX_ENTRIES:
        values.clear()
    values[key] = value
    return value


def forget() -> None:
    """Drop everything (a test starting: its rolled-back database may reuse a generation
    number; in a running process a new number is enough)."""
    _state.update(generation=None, values={})


def visitor_site(request):
    """Wagtail's ``Site.find_for_request``, remembered per host and port."""
    from wagtail.models import Site

    if not hasattr(request, "_wagtail_site"):
        key = ("site", request._get_raw_host(), request.get_port())
        request._wagtail_site = remembered(key, lambda: Site._find_for_request(request))
    return request._wagtail_site


class RememberedSiteSetting:
    """Mixed into a Wagtail site setting read on every visitor page: a visitor's request takes
    it from the memo (a copy, so the request's own attributes stay its own); the admin's edit
    view reads and saves it through ``for_site`` as before, and a save bumps the generation."""

    @classmethod
    def for_request(cls, request):
        attr = cls.get_cache_attr_name()
        if hasattr(request, attr):
            return getattr(request, attr)
        site = visitor_site(request)
        if site is None:
            return super().for_request(request)
        kept = remembered(("setting", cls._meta.label, site.pk), lambda: cls.for_site(site))
        setting = copy.copy(kept)
        setting._request = request
        setattr(request, attr, setting)
        return setting
