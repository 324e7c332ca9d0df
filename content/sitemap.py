"""``/sitemap.xml`` (every published page in every language it exists in) and ``/robots.txt``.

Wagtail's own sitemap lists the default site's tree only, which here is the Vietnamese one; the
translations live in sibling trees. Each URL carries ``xhtml:link`` alternates for its real
translations and ``x-default`` → the Vietnamese page. Vietnamese pages shown under another
language's prefix (the fallback with a notice) are not listed: they would be duplicates.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from content.languages import bcp47_tag as bcp47


class PageSitemap(Sitemap):
    """Live, public pages whose ancestors are live too, in every configured language."""

    def __init__(self, request) -> None:
        self.request = request

    def _site(self) -> Site:
        return Site.find_for_request(self.request) or Site.objects.get(is_default_site=True)

    def items(self) -> list[Page]:
        languages = {code for code, _name in settings.LANGUAGES}
        roots = self._site().root_page.get_translations(inclusive=True)
        pages = Page.objects.none()
        for root in roots:
            pages |= Page.objects.descendant_of(root, inclusive=True)
        pages = pages.select_related("locale").filter(locale__language_code__in=languages)
        hidden = [p.path for p in pages.filter(live=False)]
        visible = pages.live().public().order_by("path").defer_streamfields().specific()
        return [p for p in visible if not any(p.path.startswith(h) for h in hidden)]

    def location(self, page: Page) -> str:
        # The host the crawler asked (as robots.txt names), not the Site record's hostname.
        return self.request.build_absolute_uri(page.get_url(self.request))

    def lastmod(self, page: Page):
        return page.last_published_at or page.latest_revision_created_at

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        by_key: dict = {}
        for item in items:
            by_key.setdefault(item.translation_key, []).append(item)
        urls = []
        for item in items:
            alternates = [
                {"lang_code": bcp47(t.locale.language_code), "location": self.location(t)}
                for t in by_key[item.translation_key]
            ]
            default = next(
                (a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None
            )
            if default is not None:
                alternates.append({"lang_code": "x-default", "location": default["location"]})
            urls.append(
                {
                    "item": item,
                    "location": self.location(item),
                    "lastmod": self.lastmod(item),
                    "changefreq": None,
                    "priority": None,
                    "alternates": alternates if len(alternates) > 2 else [],
                }
            )
        self.latest_lastmod = max((u["lastmod"] for u in urls if u["lastmod"]), default=None)
        return urls


@require_GET
def sitemap(request):
    response = sitemap_view(request, {"pages": PageSitemap(request)})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def robots_txt(request):
    """Crawlers may read every visitor page; not the admin nor search results (endless)."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/"]
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            lines.append(f"Disallow: /{code}/search/")
    lines += ["", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
