"""Which page a visitor's URL names: one query for the page instead of Wagtail's walk.

Wagtail walks the tree from the site's root, a query for each level and another for each
page's own type: nine for a relic, on every request. A live page's path under the root of the
visitor's language is its ``url_path``, so the site, that root's path, the key and type of the
page a path names and the page's parent are remembered until visitor content changes
(heritage_site/memo.py); the page itself is loaded each time, by key, with its type's fields,
and used only if it is still live at that path. Anything else (no page at that path, a page
type with its own ``route()``) takes Wagtail's walk, which answers as before.
"""

from __future__ import annotations

import functools

from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from wagtail.models import Locale, Page, get_page_models
from wagtail.url_routing import RouteResult

from heritage_site.memo import remembered, visitor_site


@functools.cache
def _pages_route_themselves() -> bool:
    """A page type overrides ``route()`` (sub-URLs of its own): Wagtail's walk is needed."""
    return any(model.route is not Page.route for model in get_page_models())


def locale_by_id(pk: int) -> Locale:
    return remembered(("locale", pk), lambda: Locale.objects.get(pk=pk))


def _parent(page: Page) -> Page | None:
    path = page.path[: -Page.steplen]
    if not path:
        return None
    return remembered(("page-at", path), lambda: Page.objects.get(path=path).specific)


def fast_route(request, path: str) -> RouteResult | None:
    """The live page ``path`` names on the request's site in the active language, or None
    when Wagtail's own walk must decide (it then gives the same page, or a 404)."""
    if _pages_route_themselves():
        return None
    site = visitor_site(request)
    if site is None:
        return None
    language = translation.get_language()
    root_path = remembered(("root", site.pk, language), lambda: site.root_page.localized.url_path)
    wanted = root_path + "".join(f"{part}/" for part in path.split("/") if part)
    found = remembered(
        ("route", wanted),
        lambda: Page.objects.filter(url_path=wanted).values_list("pk", "content_type_id").first(),
    )
    if found is None:
        return None
    pk, content_type_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    page = model._default_manager.filter(pk=pk).first()
    if page is None or not page.live or page.url_path != wanted:
        return None  # changed since it was remembered: Wagtail's walk decides
    page.locale = locale_by_id(page.locale_id)
    page._cached_parent_obj = _parent(page)  # as Wagtail's walk leaves it (treebeard reads it)
    return RouteResult(page)
