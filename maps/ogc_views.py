"""OGC API – Features (Part 1 Core, GeoJSON, OpenAPI 3.0; Part 3 queryables) for relics,
places and ward boundaries, at /api/ogc/ (``/api/ogc`` redirects there).

The documents are built by maps.ogcapi and maps.ogc_openapi; these views check the request
(method, parameters, Accept), read the database and page through it. GDAL's OAPIF driver and
OWSLib read this API (tests/maps/test_ogc_live.py); tests/maps/test_ogc_conformance.py walks
the standard's requirements one by one.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from wagtail.models import Locale

from content.choices import PlaceKind, Ranking, RelicType
from content.public import locale_for_language
from maps import features, ogc_openapi, ogcapi, ogcparams
from maps.features import FeedParamError, parse_filters, parse_paging
from maps.feeds import absolute, feed_view, geojson_response
from maps.queries import (
    BOUNDARY_STAMP,
    PAGE_STAMP,
    Context,
    as_params,
    boundary_extent,
    boundary_queryset,
    check_values,
    extent,
    feed_languages,
    language_from,
    place_queryset,
    place_rows,
    relic_queryset,
    relic_rows,
    updated_within,
    ward_keys,
    ward_rows,
)
from maps.snapshots import data_version, snapshot_response, stored_value

TITLE = "Di sản số — bản đồ di sản"
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
_POINT = {
    **{"code": "string", "name": "string", "type": "string", "ward": "string", "url": "string"},
    "translated": "boolean",  # false: a Vietnamese page not yet in the requested language
}
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
# Query parameters of the items, beside the collection's filters (ward, ranking, type).
ITEMS_PARAMETERS = ("f", "lang", "limit", "offset", "bbox", "datetime")
# What each collection accepts in Accept; ``f=json`` overrides the header.
JSON_TYPES = (features.JSON_CONTENT_TYPE,)
FEATURE_TYPES = (features.GEOJSON_CONTENT_TYPE, features.JSON_CONTENT_TYPE)


_read_only = functools.partial(feed_view, error_body=ogcapi.exception)


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        ogcapi.exception(status, message), status=status, json_dumps_params={"ensure_ascii": False}
    )


def ogc_view(
    parameters: Callable[..., Iterable[str]] | Iterable[str],
    media_types: Iterable[str] = JSON_TYPES,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A read-only API view: 406 unless Accept takes one of ``media_types`` (or ``f=json``),
    400 for a parameter not in ``parameters`` (a list, or a function of the view's kwargs),
    OGC exception documents for errors."""
    media_types = tuple(media_types)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            fmt = request.GET.get("f")
            if fmt != "json" and not any(request.accepts(t) for t in media_types):
                return _error(406, f"Chỉ có {', '.join(media_types)}; Accept không nhận.")
            known = parameters(**kwargs) if callable(parameters) else parameters
            try:
                ogcparams.check_known(request.GET, known)
                ogcparams.check_format(fmt)
                return view(request, *args, **kwargs)
            except FeedParamError as exc:
                message = str(exc)
                named = message.startswith(exc.parameter) or message.startswith("Tham số")
                return _error(400, message if named else f"{exc.parameter}: {message}")
            except LookupError as exc:
                return _error(404, str(exc))

        return _read_only(inner)

    return decorate


def _collection_filters(ward_keys: list[str], collection_id: str) -> dict[str, list[str]]:
    """The filters a collection takes, each with the values it accepts."""
    if collection_id == "relics":
        return {"ward": ward_keys, "ranking": Ranking.values, "type": RelicType.values}
    if collection_id == "places":
        return {"ward": ward_keys, "type": PlaceKind.values}
    return {"ward": ward_keys}


def _infos(ctx: Context, *, with_extent: bool = True) -> list[ogcapi.CollectionInfo]:
    none = parse_filters({})
    extents = {}
    if with_extent:
        extents = {
            "relics": extent(relic_queryset(ctx, none)),
            "places": extent(place_queryset(ctx, none)),
            "wards": boundary_extent(boundary_queryset(ctx, none)),
        }
    infos, wards = [], ward_keys()
    for cid, (title, description, props) in COLLECTIONS.items():
        box = extents.get(cid)
        infos.append(
            ogcapi.CollectionInfo(
                cid,
                title,
                description,
                bbox=box.bbox if box else None,
                properties=props,
                interval=box.interval if box else None,
                filters=_collection_filters(wards, cid),
                geometry="polygon" if cid == "wards" else "point",
            )
        )
    return infos


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("ogc_landing")).rstrip("/")


def _json(document: dict[str, Any], content_type: str = features.JSON_CONTENT_TYPE) -> HttpResponse:
    return HttpResponse(features.dumps(document), content_type=f"{content_type}; charset=utf-8")


def _ctx(request: HttpRequest) -> Context:
    return Context.for_language(language_from(request.GET.get("lang")))


def _info(ctx: Context, collection_id: str, **kwargs: Any) -> ogcapi.CollectionInfo:
    for info in _infos(ctx, **kwargs):
        if info.id == collection_id:
            return info
    raise LookupError(f"Không có lớp dữ liệu «{collection_id}»; có: {', '.join(COLLECTIONS)}.")


@_read_only
def landing_redirect(request: HttpRequest) -> HttpResponse:
    """One landing URL: ``/api/ogc`` → ``/api/ogc/`` (query kept)."""
    query = request.META.get("QUERY_STRING", "")
    target = reverse("ogc_landing") + (f"?{query}" if query else "")
    return HttpResponsePermanentRedirect(target)


@ogc_view(["f"])
def landing(request: HttpRequest) -> HttpResponse:
    map_url = request.build_absolute_uri(reverse("heritage_map"))
    return _json(ogcapi.landing_page(_base(request), title=TITLE, html_url=map_url))


@ogc_view(["f"])
def conformance(request: HttpRequest) -> HttpResponse:
    return _json(ogcapi.conformance(_base(request)))


def _openapi(request: HttpRequest) -> dict[str, Any]:
    return ogc_openapi.openapi(
        _base(request),
        _infos(Context.for_locale(Locale.get_default()), with_extent=False),
        title=TITLE,
        languages=feed_languages(),
        max_limit=MAX_LIMIT,
        default_limit=DEFAULT_LIMIT,
    )


@ogc_view(["f"], (ogcapi.OPENAPI_CONTENT_TYPE, features.JSON_CONTENT_TYPE))
def api_definition(request: HttpRequest) -> HttpResponse:
    return _json(_openapi(request), ogcapi.OPENAPI_CONTENT_TYPE)


@_read_only
def service_doc(request: HttpRequest) -> HttpResponse:
    """The ``service-doc``: the same definition as a page a person reads."""
    document = _openapi(request)
    base = _base(request)
    items = {path: op["get"] for path, op in document["paths"].items() if path.endswith("/items")}
    context = {
        "title": TITLE,
        "base": base,
        "collections": [(info, f"{base}/collections/{info.id}") for info in _infos(_ctx(request))],
        "parameters": document["components"]["parameters"],
        "items": items,
        "max_limit": MAX_LIMIT,
        "conformance": ogcapi.CONFORMANCE_CLASSES,
    }
    return render(request, "maps/ogc_service_doc.html", context)


@ogc_view(["f", "lang"])
def collections(request: HttpRequest) -> HttpResponse:
    return _json(ogcapi.collections(_base(request), _infos(_ctx(request))))


@ogc_view(["f", "lang"])
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    return _json(ogcapi.collection(_base(request), _info(_ctx(request), collection_id)))


@ogc_view(["f"], (ogcapi.SCHEMA_CONTENT_TYPE, features.JSON_CONTENT_TYPE))
def queryables(request: HttpRequest, collection_id: str) -> HttpResponse:
    ctx = Context.for_locale(Locale.get_default())
    info = _info(ctx, collection_id, with_extent=False)
    return _json(ogcapi.queryables(_base(request), info), ogcapi.SCHEMA_CONTENT_TYPE)


def _source(ctx: Context, collection_id: str, filters) -> tuple[Any, Callable, Callable, str]:
    """(queryset, row reader, feature builder, time stamp column) of one collection."""
    if collection_id == "wards":
        return boundary_queryset(ctx, filters), ward_rows, features.ward_feature, BOUNDARY_STAMP
    if collection_id == "relics":
        check_values(filters, layer="relics")
        return relic_queryset(ctx, filters), relic_rows, features.relic_feature, PAGE_STAMP
    if collection_id == "places":
        check_values(filters, layer="places")
        return place_queryset(ctx, filters), place_rows, features.place_feature, PAGE_STAMP
    raise LookupError(f"Không có lớp dữ liệu «{collection_id}»; có: {', '.join(COLLECTIONS)}.")


def _features(request: HttpRequest, ctx: Context, rows: Callable, build: Callable, qs) -> list:
    out = []
    for row in rows(ctx, qs):
        feature = build(absolute(request, row))
        feature["properties"]["updated"] = ogcapi.rfc3339(row.get("updated"))
        out.append(feature)
    return out


def _items_parameters(collection_id: str) -> list[str]:
    filters = {"relics": ["ward", "ranking", "type"], "places": ["ward", "type"]}
    return [*ITEMS_PARAMETERS, *filters.get(collection_id, ["ward"])]


@ogc_view(_items_parameters, FEATURE_TYPES)
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    """One page of features: ``limit``, ``offset``, ``bbox``, ``datetime`` and the filters."""
    if collection_id not in COLLECTIONS:
        raise LookupError(f"Không có lớp dữ liệu «{collection_id}»; có: {', '.join(COLLECTIONS)}.")
    params = as_params(request.GET)
    limit, offset = parse_paging(
        params.get("limit"), params.get("offset"), default=DEFAULT_LIMIT, maximum=MAX_LIMIT
    )
    filters = parse_filters(params)
    when = ogcparams.parse_datetime(params.get("datetime"))
    language = language_from(params.get("lang"))
    locale = locale_for_language(language)

    def every_feature() -> list[str]:
        """Each feature as its JSON text: a stored list of strings is read back quickly and
        makes no garbage for the collector to walk, as thousands of dicts would."""
        ctx = Context.for_language(language, locale)
        qs, rows, build_feature, stamp = _source(ctx, collection_id, filters)
        qs = updated_within(qs, when, stamp)
        return [features.dumps(f) for f in _features(request, ctx, rows, build_feature, qs)]

    version = data_version(locale)

    def build() -> HttpResponse:
        # All the query's features are read and built once per content version (paging left
        # out of the key); a page is a slice of them, so any offset costs only its features.
        query = {k: v for k, v in params.items() if k not in ("limit", "offset", "f") and v}
        raw = f"{version.fingerprint}|ogc|{collection_id}|{sorted(query.items())}|"
        raw += f"{request.scheme}://{request.get_host()}"
        key = hashlib.sha1(raw.encode()).hexdigest()
        feats = stored_value(key, every_feature)
        page = feats[offset : offset + limit]
        document = ogcapi.items(
            _base(request),
            collection_id,
            [0] * len(page),  # stand-ins, replaced by the stored JSON of the features below
            number_matched=len(feats),
            limit=limit,
            offset=offset,
            query=params,
        )
        # "features" is the document's second member (after "type"): its first occurrence.
        body = features.dumps(document).replace(
            '"features":[' + ",".join("0" * len(page)) + "]",
            '"features":[' + ",".join(page) + "]",
            1,
        )
        return HttpResponse(body, content_type=f"{features.GEOJSON_CONTENT_TYPE}; charset=utf-8")

    return snapshot_response(request, version, "geojson", build)


@ogc_view(["f", "lang"], FEATURE_TYPES)
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    ctx = _ctx(request)
    qs, rows, build_feature, _ = _source(ctx, collection_id, parse_filters({}))
    key = ogcparams.feature_id(feature_id)
    if key is None:
        raise LookupError(f"Không có đối tượng «{feature_id}».")
    qs = qs.filter(**{"ward_id" if collection_id == "wards" else "id": key})
    feats = _features(request, ctx, rows, build_feature, qs)
    if not feats:
        raise LookupError(f"Không có đối tượng «{feature_id}» trong lớp «{collection_id}».")
    kept = urlencode({k: v for k, v in as_params(request.GET).items() if v})
    return geojson_response(ogcapi.item(_base(request), collection_id, feats[0], kept))
