"""The heritage map pages: /map/ on the site, /map/embed/ for the district portal's iframe."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from content.choices import Ranking, RelicType
from heritage_site.security_headers import permissions_policy, visitor_policy
from maps.features import FeedFilters, FeedParamError, parse_filters
from maps.foliummap import MapParts, build_map_parts, with_nonce
from maps.queries import Context, as_params, check_values


def feed_urls(language: str, params: Mapping[str, str], layers: Iterable[str]) -> dict[str, str]:
    """Each point layer's GeoJSON feed with the page's filters, in one spelling per filter set
    (sorted, empty ones left out) so visitors share the feeds' stored snapshots."""
    wanted = {
        "relics": ("bbox", "ranking", "type", "ward"),
        "places": ("bbox", "ward"),
        "wards": ("bbox", "ward"),
    }
    urls = {}
    for layer, names in wanted.items():
        if layer in layers:
            query = {n: params[n] for n in names if params.get(n)} | {"lang": language}
            urls[layer] = f"{reverse(f'geo_{layer}')}?{urlencode(sorted(query.items()))}"
    return urls


def build_parts(
    ctx: Context, filters: FeedFilters, params: Mapping[str, str], *, embed: bool, nonce: str
) -> MapParts:
    """The map frame; relics, places (ranking and type filter relics; ward and bbox every
    layer) and ward outlines come from their feeds after the first paint, so the frame depends
    on the settings and the query alone and is rendered once per process for each."""
    feeds = feed_urls(ctx.language or ctx.locale.language_code, params, filters.layers)
    frame = _map_frame(
        embed,
        filters.layers,
        tuple(sorted(feeds.items())),
        settings.MAP_TILES_URL or None,
        settings.MAP_TILES_ATTRIBUTION,
        tuple(settings.MAP_DEFAULT_CENTER),
        settings.MAP_DEFAULT_ZOOM,
        settings.STATIC_URL,
        _("Chỉ có tiếng Việt"),
    )
    return with_nonce(frame, nonce)


@functools.lru_cache(maxsize=128)
def _map_frame(
    embed: bool,
    layers: tuple[str, ...],
    feeds: tuple[tuple[str, str], ...],
    tiles_url: str | None,
    attribution: str,
    center: tuple[float, float],
    zoom: int,
    static_url: str,  # part of the key: static() depends on it
    untranslated_label: str,  # part of the key: it is in the visitor's language
) -> MapParts:
    return build_map_parts(
        [],
        [],
        [],
        tiles_url=tiles_url,
        attribution=attribution,
        static_url=static,
        embed=embed,
        layers=layers,
        center=center,
        zoom=zoom,
        feeds=dict(feeds),
        untranslated_label=untranslated_label,
    )


def _render(
    request: HttpRequest, template: str, *, embed: bool, ancestors: Iterable[str] | None
) -> HttpResponse:
    nonce = secrets.token_urlsafe(16)
    # Every relic in the visitor's language, the untranslated ones in Vietnamese (marked).
    ctx = Context.for_language(get_language())
    context = {
        "nonce": nonce,
        "page_title": _("Bản đồ di sản"),
        "wards": sorted(ctx.wards.values(), key=lambda w: w.name),
        "rankings": Ranking.choices,
        "relic_types": RelicType.choices,
        # Plain strings: a key missing from a QueryDict costs the template a dir() of it.
        "query": {key: request.GET.get(key, "") for key in ("ward", "ranking", "type")},
    }
    status = 200
    try:
        params = as_params(request.GET)
        filters = parse_filters(params)
        check_values(filters, layer="relics")
        ctx.wards_matching(filters.ward)  # an unknown ward is this page's 400, not the feeds'
        context["map"] = build_parts(ctx, filters, params, embed=embed, nonce=nonce)
    except FeedParamError as exc:
        context["error"] = str(exc)
        status = 400
    response = render(request, template, context, status=status)
    response["Content-Security-Policy"] = visitor_policy(frame_ancestors=ancestors, nonce=nonce)
    # Inside the portal's iframe the map asks for nothing; on our site, as every visitor page.
    response["Permissions-Policy"] = permissions_policy(geolocation=not embed)
    return response


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    """The district map in the site's frame; like every visitor page, never framed."""
    return _render(request, "maps/map_page.html", embed=False, ancestors=None)


@require_safe
@xframe_options_exempt
def embed_page(request: HttpRequest) -> HttpResponse:
    """The bare map for the portal's iframe: ``ward``, ``ranking``, ``type``, ``layers``."""
    ancestors = settings.MAP_EMBED_ALLOWED_ORIGINS
    return _render(request, "maps/embed.html", embed=True, ancestors=ancestors)
