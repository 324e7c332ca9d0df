"""OGC API – Features (Part 1 Core, GeoJSON) for relics, places and ward boundaries.

The documents are built by maps.ogcapi; these views read the database and page through it.
GDAL's OAPIF driver and QGIS read this API (tests/maps/test_ogc_live.py runs ogrinfo on it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from maps import features, ogcapi
from maps.features import FeedParamError, parse_filters, parse_paging
from maps.feeds import absolute, conditional, feed_view, geojson_response
from maps.queries import (
    Context,
    as_params,
    boundary_extent,
    boundary_queryset,
    check_values,
    extent,
    locale_from,
    place_queryset,
    place_rows,
    relic_queryset,
    relic_rows,
    ward_rows,
)

TITLE = "Di sản số — bản đồ di sản"
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
_POINT = {"code": "string", "name": "string", "type": "string", "ward": "string", "url": "string"}
COLLECTIONS: dict[str, tuple[str, str, dict[str, str]]] = {
    "relics": (
        "Di tích",
        "Di tích lịch sử – văn hóa đã công bố, xếp hạng và loại hình.",
        {**_POINT, "ranking": "string", "tour_url": "string", "thumbnail": "string"},
    ),
    "places": ("Điểm du lịch", "Nhà hàng, lưu trú, vui chơi, đặc sản (OCOP) và dịch vụ.", _POINT),
    "wards": (
        "Ranh giới phường, xã",
        "Ranh giới hành chính (WGS84).",
        {"code": "string", "name": "string"},
    ),
}


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("ogc_landing")).rstrip("/")


def _json(document: dict[str, Any], content_type: str = features.JSON_CONTENT_TYPE) -> HttpResponse:
    return HttpResponse(features.dumps(document), content_type=f"{content_type}; charset=utf-8")


def ogc_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A feed view whose errors are OGC exception documents."""

    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except FeedParamError as exc:
            return JsonResponse(
                ogcapi.exception(400, str(exc)),
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        except LookupError as exc:
            return JsonResponse(
                ogcapi.exception(404, str(exc)),
                status=404,
                json_dumps_params={"ensure_ascii": False},
            )

    inner.__name__ = view.__name__
    inner.__doc__ = view.__doc__
    return feed_view(inner)


def _infos(ctx: Context) -> list[ogcapi.CollectionInfo]:
    none = parse_filters({})
    boxes = {
        "relics": extent(relic_queryset(ctx, none)),
        "places": extent(place_queryset(ctx, none)),
        "wards": boundary_extent(boundary_queryset(ctx, none)),
    }
    return [
        ogcapi.CollectionInfo(cid, title, description, boxes[cid], props)
        for cid, (title, description, props) in COLLECTIONS.items()
    ]


def _ctx(request: HttpRequest) -> Context:
    return Context.for_locale(locale_from(request.GET.get("lang")))


@ogc_view
def landing(request: HttpRequest) -> HttpResponse:
    map_url = request.build_absolute_uri(reverse("heritage_map"))
    return _json(ogcapi.landing_page(_base(request), title=TITLE, html_url=map_url))


@ogc_view
def conformance(request: HttpRequest) -> HttpResponse:
    return _json(ogcapi.conformance())


@ogc_view
def api_definition(request: HttpRequest) -> HttpResponse:
    document = ogcapi.openapi(
        _base(request),
        _infos(_ctx(request)),
        title=TITLE,
        max_limit=MAX_LIMIT,
        default_limit=DEFAULT_LIMIT,
    )
    return _json(document, ogcapi.OPENAPI_CONTENT_TYPE)


@ogc_view
def collections(request: HttpRequest) -> HttpResponse:
    return _json(ogcapi.collections(_base(request), _infos(_ctx(request))))


def _info(ctx: Context, collection_id: str) -> ogcapi.CollectionInfo:
    for info in _infos(ctx):
        if info.id == collection_id:
            return info
    raise LookupError(f"Không có lớp dữ liệu «{collection_id}»; có: {', '.join(COLLECTIONS)}.")


@ogc_view
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    return _json(ogcapi.collection(_base(request), _info(_ctx(request), collection_id)))


def _source(ctx: Context, collection_id: str, filters) -> tuple[Any, Callable, Callable]:
    """(queryset, row reader, feature builder) of one collection."""
    if collection_id == "wards":
        return boundary_queryset(ctx, filters), ward_rows, features.ward_feature
    if collection_id == "relics":
        check_values(filters, layer="relics")
        return relic_queryset(ctx, filters), relic_rows, features.relic_feature
    if collection_id == "places":
        check_values(filters, layer="places")
        return place_queryset(ctx, filters), place_rows, features.place_feature
    raise LookupError(f"Không có lớp dữ liệu «{collection_id}»; có: {', '.join(COLLECTIONS)}.")


def _features(request: HttpRequest, ctx: Context, rows: Callable, build: Callable, qs) -> list:
    return [build(absolute(request, row)) for row in rows(ctx, qs)]


@ogc_view
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    """One page of features; ``limit``, ``offset``, ``bbox`` plus the GeoJSON feeds' filters."""
    params = as_params(request.GET)
    limit, offset = parse_paging(
        params.get("limit"), params.get("offset"), default=DEFAULT_LIMIT, maximum=MAX_LIMIT
    )
    filters = parse_filters(params)
    ctx = _ctx(request)

    def build() -> HttpResponse:
        qs, rows, build_feature = _source(ctx, collection_id, filters)
        matched = qs.count()
        feats = _features(request, ctx, rows, build_feature, qs[offset : offset + limit])
        document = ogcapi.items(
            _base(request),
            collection_id,
            feats,
            number_matched=matched,
            limit=limit,
            offset=offset,
            query=params,
        )
        return geojson_response(document)

    return conditional(request, ctx.locale, build)


@ogc_view
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    ctx = _ctx(request)
    if not feature_id.isdigit():
        raise LookupError(f"Không có đối tượng «{feature_id}».")
    qs, rows, build_feature = _source(ctx, collection_id, parse_filters({}))
    key = "ward_id" if collection_id == "wards" else "id"
    feats = _features(request, ctx, rows, build_feature, qs.filter(**{key: int(feature_id)}))
    if not feats:
        raise LookupError(f"Không có đối tượng «{feature_id}» trong lớp «{collection_id}».")
    return geojson_response(ogcapi.item(_base(request), collection_id, feats[0]))
