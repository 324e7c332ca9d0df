"""GeoJSON feeds and the IOC statistics feed: read-only, cacheable, CORS for the IOC's hosts."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Locale

from content.public import locale_for_language
from maps import features
from maps.features import FeedParamError, parse_filters
from maps.headers import cors_headers
from maps.iocstats import MAX_DAYS, build_stats
from maps.queries import (
    Context,
    as_params,
    boundary_queryset,
    check_values,
    language_from,
    locale_from,
    place_queryset,
    place_rows,
    relic_queryset,
    relic_rows,
    ward_rows,
)
from maps.snapshots import (
    data_version,
    note_host,
    snapshot_response,
    stored_body,
    stored_response,
)

FEED_MAX_AGE = 60  # seconds: edits show within a minute, repeated polls cost a 304
URL_FIELDS = ("url", "tour_url", "thumbnail")


ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def _error_body(status: int, message: str) -> dict[str, Any]:
    return {"error": message}


def feed_view(
    view: Callable[..., HttpResponse],
    error_body: Callable[[int, str], dict[str, Any]] = _error_body,
) -> Callable[..., HttpResponse]:
    """GET/HEAD/OPTIONS only (405 with ``Allow`` otherwise: read-only, so no CSRF check), CORS
    for IOC_ALLOWED_ORIGINS, a 400 JSON body for bad params."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
        elif request.method not in ("GET", "HEAD"):
            response = JsonResponse(
                error_body(405, "Chỉ hỗ trợ GET."),
                status=405,
                json_dumps_params={"ensure_ascii": False},
            )
            response["Allow"] = ALLOWED_METHODS
        else:
            try:
                response = view(request, *args, **kwargs)
            except FeedParamError as exc:
                response = bad_request(exc)
        for name, value in cors_headers(
            request.headers.get("Origin"), settings.IOC_ALLOWED_ORIGINS
        ).items():
            if name == "Vary":  # added to, not replacing, what the response varies on
                patch_vary_headers(response, [value])
            else:
                response[name] = value
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    return wrapper


def bad_request(exc: FeedParamError) -> JsonResponse:
    return JsonResponse(
        {"error": str(exc), "parameter": exc.parameter},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def conditional(
    request: HttpRequest, locale: Locale, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """ETag and Last-Modified from the content version (a 304 before any feature is read), and
    the body serialised once per version and query (maps/snapshots.py)."""
    return snapshot_response(request, data_version(locale), "geojson", build)


def absolute(request: HttpRequest, item: Mapping[str, Any]) -> dict[str, Any]:
    """Links in a feed are absolute: the IOC and GIS clients read them off our host."""
    root = getattr(request, "_feed_root", None)
    if root is None:
        root = request._feed_root = request.build_absolute_uri("/").rstrip("/")
    out = dict(item)
    for name in URL_FIELDS:
        value = out.get(name)
        if value and value.startswith("/") and not value.startswith("//"):
            out[name] = root + value
    return out


def geojson_response(document: Mapping[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(
        features.dumps(document),
        status=status,
        content_type=f"{features.GEOJSON_CONTENT_TYPE}; charset=utf-8",
    )


def _geojson_feed(request: HttpRequest, layer: str) -> HttpResponse:
    params = as_params(request.GET)
    filters = parse_filters(params)
    if layer != "wards":
        check_values(filters, layer=layer)
    language = language_from(params.get("lang"))
    locale = locale_for_language(language)

    def build() -> HttpResponse:
        note_host(request)  # built again for it after a publish (maps/warm.py)
        ctx = Context.for_language(language, locale)
        if layer == "relics":
            rows = relic_rows(ctx, relic_queryset(ctx, filters))
            feats = [features.relic_feature(absolute(request, r)) for r in rows]
        elif layer == "places":
            rows = place_rows(ctx, place_queryset(ctx, filters))
            feats = [features.place_feature(absolute(request, r)) for r in rows]
        else:
            feats = [
                features.ward_feature(r) for r in ward_rows(ctx, boundary_queryset(ctx, filters))
            ]
        return geojson_response(features.feature_collection(feats))

    return conditional(request, locale, build)


@feed_view
def relics_geojson(request: HttpRequest) -> HttpResponse:
    """Published relics as RFC 7946 GeoJSON; ``ward``, ``ranking``, ``type``, ``bbox``, ``lang``."""
    return _geojson_feed(request, "relics")


@feed_view
def places_geojson(request: HttpRequest) -> HttpResponse:
    """Published tourism places; ``ward``, ``type`` (place kind), ``bbox``, ``lang``."""
    return _geojson_feed(request, "places")


@feed_view
def wards_geojson(request: HttpRequest) -> HttpResponse:
    """Ward boundaries; ``ward``, ``bbox``, ``lang``."""
    return _geojson_feed(request, "wards")


@feed_view
def ioc_stats(request: HttpRequest) -> HttpResponse:
    """Per relic and per ward: scans per day, panoramas, artifacts, inscriptions, state."""
    params = as_params(request.GET)
    locale = locale_from(params.get("lang"))
    raw = params.get("days") or "30"
    try:
        days = int(raw)
    except ValueError:
        raise FeedParamError("days", f"days phải là số nguyên, không phải «{raw}».") from None
    if not 1 <= days <= MAX_DAYS:
        raise FeedParamError("days", f"days phải từ 1 đến {MAX_DAYS}.")
    today = timezone.localdate()
    version = data_version(locale)
    # One body per content version, language, period and day, kept IOC_STATS_SECONDS: a
    # publish makes a new version (shown at once); scans, ratings and drafts lag at most that.
    raw_key = f"{version.fingerprint}|ioc|{locale.language_code}|{days}|{today}"
    key = hashlib.sha1(raw_key.encode()).hexdigest()

    def build() -> HttpResponse:
        stats = build_stats(locale=locale, days=days, today=today)
        stats["refreshed_every_seconds"] = settings.IOC_STATS_SECONDS
        # A poll that changes nothing is a 304: the ETag covers all but the time of generation.
        stable = {k: v for k, v in stats.items() if k != "generated_at"}
        digest = hashlib.sha1(json.dumps(stable, sort_keys=True).encode()).hexdigest()
        response = JsonResponse(stats, json_dumps_params={"ensure_ascii": False})
        response["ETag"] = f'"{digest[:20]}"'
        return response

    accept = request.META.get("HTTP_ACCEPT_ENCODING", "")
    stored, encoding = stored_body(key, build, accept, seconds=settings.IOC_STATS_SECONDS)
    not_modified = get_conditional_response(request, etag=stored["etag"])
    if not_modified is not None:
        return not_modified
    return stored_response(stored, encoding, stored["etag"])
