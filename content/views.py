"""Visitor views: pages with the Vietnamese fallback, the service worker, offline, search."""

import hashlib
import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe
from wagtail import views as wagtail_views
from wagtail.models import Locale, Site

from content.routing import fast_route
from content.search import MAX_QUERY_LENGTH, load_hits, search_site

RESULTS_PER_PAGE = 20


def serve_page(request, path):
    """Wagtail's page view, falling back to the Vietnamese page where no translation exists.

    /fr/di-tich/… for a relic with no French version serves the Vietnamese page (status 200)
    with the French interface and a notice; the page template shows the notice. The page is
    found by its path in one query where it can be (content/routing.py).
    """
    if not hasattr(request, "_wagtail_route_for_request"):
        route = fast_route(request, path)
        if route is not None:
            request._wagtail_route_for_request = route
    try:
        return wagtail_views.serve(request, path)
    except Http404:
        if get_language() == settings.LANGUAGE_CODE:
            raise
        site = Site.find_for_request(request)
        if site is None:
            raise
        root = site.root_page.specific
        default_root = root.get_translation_or_none(Locale.get_default()) or root
        components = [c for c in path.split("/") if c]
        # Wagtail's serve() reuses a route cached on the request: give it the Vietnamese one.
        request._wagtail_route_for_request = default_root.specific.route(request, components)
        return wagtail_views.serve(request, path)


@require_GET
def service_worker(request):
    """The service worker, from the site root so that it may control every visitor page."""
    source = (settings.BASE_DIR / "static" / "js" / "sw.js").read_text(encoding="utf-8")
    precache = [static("css/site.css"), static("js/site.js"), "/offline/"]
    # The site's languages, the default first: offline, a plaque opens the kept page in the
    # phone's language.
    languages = [settings.LANGUAGE_CODE] + [
        code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    version = hashlib.sha256((source + "".join(precache + languages)).encode()).hexdigest()[:12]
    head = (
        f"const VERSION = {json.dumps(version)};\n"
        f"const STATIC_URL = {json.dumps(settings.STATIC_URL)};\n"
        f"const MEDIA_URL = {json.dumps(settings.MEDIA_URL)};\n"
        f"const PRECACHE = {json.dumps(precache)};\n"
        f"const LANGUAGES = {json.dumps(languages)};\n"
    )
    response = HttpResponse(head + source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_page(request):
    """Shown by the service worker when a page was never kept and there is no network."""
    return render(request, "content/offline.html", {"page_title": _("Không có kết nối mạng")})


@require_GET
def offline_manifest(request):
    """Every live relic page at phone size, with the download size, in the visitor's language."""
    from content.offline import cached_manifest

    response = JsonResponse(cached_manifest(request, get_language()))
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_map(request):
    """The map without network: the saved relics and places as numbered dots over no base map.

    The service worker answers /map/ with it when there is no signal; it works without script.
    """
    from content.offline import cached_manifest, offline_map_points

    manifest = cached_manifest(request, get_language())
    context = {"page_title": _("Bản đồ khi không có mạng"), **offline_map_points(manifest)}
    return render(request, "content/offline_map.html", context)


@require_GET
def nearby(request):
    """Relics and places near the visitor, computed on the phone: no location is sent."""
    return render(request, "content/nearby.html", {"page_title": _("Gần tôi")})


@require_safe
def search(request):
    """Relics, places, inscriptions and artifacts, with or without diacritics, one card each."""
    raw = (request.GET.get("q") or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    hits = search_site(raw, Locale.get_active()) if raw else []
    results = Paginator(hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    load_hits(list(results))
    return render(
        request,
        "content/search.html",
        {"query": raw, "results": results, "page_title": _("Tìm kiếm")},
    )
