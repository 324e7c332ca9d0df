"""The heritage map pages: /map/ on the site, /map/embed/ for the district portal's iframe."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from content.choices import Ranking, RelicType
from heritage_site.security_headers import permissions_policy, visitor_policy
from maps.features import FeedFilters, FeedParamError, parse_filters
from maps.foliummap import MapParts, build_map_parts
from maps.queries import (
    Context,
    as_params,
    boundary_queryset,
    check_values,
    place_queryset,
    place_rows,
    relic_queryset,
    relic_rows,
    ward_rows,
)


def build_parts(ctx: Context, filters: FeedFilters, *, embed: bool, nonce: str) -> MapParts:
    """Read the wanted layers (ranking and type filter relics; ward and bbox every layer)."""
    layers = filters.layers
    around = FeedFilters(ward=filters.ward, bbox=filters.bbox)
    relics = relic_rows(ctx, relic_queryset(ctx, filters)) if "relics" in layers else []
    places = place_rows(ctx, place_queryset(ctx, around)) if "places" in layers else []
    wards = ward_rows(ctx, boundary_queryset(ctx, around)) if "wards" in layers else []
    return build_map_parts(
        relics,
        places,
        wards,
        tiles_url=settings.MAP_TILES_URL or None,
        attribution=settings.MAP_TILES_ATTRIBUTION,
        static_url=static,
        embed=embed,
        layers=layers,
        center=settings.MAP_DEFAULT_CENTER,
        zoom=settings.MAP_DEFAULT_ZOOM,
        nonce=nonce,
        untranslated_label=_("Chỉ có tiếng Việt"),
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
        "query": request.GET,
    }
    status = 200
    try:
        filters = parse_filters(as_params(request.GET))
        check_values(filters, layer="relics")
        context["map"] = build_parts(ctx, filters, embed=embed, nonce=nonce)
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
