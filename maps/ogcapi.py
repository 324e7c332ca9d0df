"""OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) and Part 3 queryables, as plain dicts.

Every link is absolute: GDAL's OAPIF driver follows ``next`` links as given. ``base_url`` is the
API root, e.g. ``https://host/api/ogc``; the landing page itself is ``base_url + "/"``.
The OpenAPI definition is built in maps/ogc_openapi.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from maps.features import GEOJSON_CONTENT_TYPE, JSON_CONTENT_TYPE, feature_collection

OPENAPI_CONTENT_TYPE = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA_CONTENT_TYPE = "application/schema+json"
HTML_CONTENT_TYPE = "text/html"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
# No HTML class: every resource is JSON (GeoJSON for features); f=html is refused with a 400.
CONFORMANCE_CLASSES = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
)


@dataclass(frozen=True)
class CollectionInfo:
    """What the API says about one collection (relics, places, wards)."""

    id: str
    title: str
    description: str = ""
    bbox: Sequence[float] | None = None  # (minx, miny, maxx, maxy) in WGS84
    properties: Mapping[str, str] | None = None  # name → JSON type, for the OpenAPI schema
    interval: Sequence[datetime | None] | None = None  # first and last ``updated``
    filters: Mapping[str, Sequence[str]] | None = None  # query parameter → the values it takes
    geometry: str = "point"  # for the queryables' geometry format


def link(href: str, rel: str, media_type: str, title: str = "") -> dict[str, str]:
    out = {"href": href, "rel": rel, "type": media_type}
    if title:
        out["title"] = title
    return out


def _root(base_url: str) -> str:
    return base_url.rstrip("/")


def landing_page(
    base_url: str, *, title: str, description: str = "", html_url: str | None = None
) -> dict[str, Any]:
    """The API root: links to itself, the API definition and its HTML documentation,
    conformance and the collections (/req/core/root-success, /req/oas30/oas-definition-1)."""
    root = _root(base_url)
    links = [
        link(f"{root}/", "self", JSON_CONTENT_TYPE, "Trang này"),
        link(f"{root}/api", "service-desc", OPENAPI_CONTENT_TYPE, "Định nghĩa API (OpenAPI 3.0)"),
        link(f"{root}/docs", "service-doc", HTML_CONTENT_TYPE, "Hướng dẫn dùng API"),
        link(f"{root}/conformance", "conformance", JSON_CONTENT_TYPE, "Các lớp tuân thủ"),
        link(f"{root}/collections", "data", JSON_CONTENT_TYPE, "Các lớp dữ liệu"),
    ]
    if html_url:
        links.append(link(html_url, "related", HTML_CONTENT_TYPE, "Bản đồ di sản"))
    return {"title": title, "description": description, "links": links}


def rfc3339(moment: datetime | None) -> str | None:
    """UTC, to the second, with ``Z``: what ``updated`` and the temporal extent show."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def conformance(base_url: str) -> dict[str, Any]:
    root = _root(base_url)
    return {
        "links": [link(f"{root}/conformance", "self", JSON_CONTENT_TYPE, "Các lớp tuân thủ")],
        "conformsTo": list(CONFORMANCE_CLASSES),
    }


def collection(base_url: str, info: CollectionInfo) -> dict[str, Any]:
    root = _root(base_url)
    here = f"{root}/collections/{info.id}"
    out: dict[str, Any] = {
        "id": info.id,
        "title": info.title,
        "description": info.description,
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            link(here, "self", JSON_CONTENT_TYPE, info.title),
            link(f"{here}/items", "items", GEOJSON_CONTENT_TYPE, info.title),
            link(f"{here}/queryables", QUERYABLES_REL, SCHEMA_CONTENT_TYPE, "Các thuộc tính lọc"),
        ],
    }
    if info.bbox is not None:
        out["extent"] = {"spatial": {"bbox": [list(info.bbox)], "crs": CRS84}}
        if info.interval is not None:
            out["extent"]["temporal"] = {
                "interval": [[rfc3339(moment) for moment in info.interval]],
                "trs": GREGORIAN,
            }
    return out


def queryables(base_url: str, info: CollectionInfo) -> dict[str, Any]:
    """Part 3 queryables: one property per filter the items take as a query parameter."""
    here = f"{_root(base_url)}/collections/{info.id}/queryables"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": here,
        "type": "object",
        "title": info.title,
        "properties": {
            name: {"title": name, "type": "string", "enum": list(values)}
            for name, values in (info.filters or {}).items()
        },
        "additionalProperties": False,
    }


def collections(base_url: str, infos: Iterable[CollectionInfo]) -> dict[str, Any]:
    root = _root(base_url)
    return {
        "links": [link(f"{root}/collections", "self", JSON_CONTENT_TYPE, "Các lớp dữ liệu")],
        "collections": [collection(base_url, info) for info in infos],
    }


def items(
    base_url: str,
    collection_id: str,
    features: Sequence[Mapping[str, Any]],
    *,
    number_matched: int,
    limit: int,
    offset: int,
    query: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """One page of features with ``self``, ``next`` and ``prev`` links that keep the filters."""
    root = _root(base_url)
    here = f"{root}/collections/{collection_id}/items"
    kept = {k: v for k, v in (query or {}).items() if k not in ("limit", "offset") and v}

    def page(at: int) -> str:
        return f"{here}?{urlencode({**kept, 'limit': limit, 'offset': at})}"

    links = [
        link(page(offset), "self", GEOJSON_CONTENT_TYPE, "Trang này"),
        link(f"{root}/collections/{collection_id}", "collection", JSON_CONTENT_TYPE, "Lớp dữ liệu"),
    ]
    if offset + len(features) < number_matched:
        links.append(link(page(offset + limit), "next", GEOJSON_CONTENT_TYPE, "Trang sau"))
    if offset > 0:
        links.append(
            link(page(max(offset - limit, 0)), "prev", GEOJSON_CONTENT_TYPE, "Trang trước")
        )
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return feature_collection(
        features,
        links=links,
        numberMatched=number_matched,
        numberReturned=len(features),
        timeStamp=stamp,
    )


def item(
    base_url: str, collection_id: str, feature: Mapping[str, Any], query: str = ""
) -> dict[str, Any]:
    """One feature with ``self`` (keeping ``lang``) and ``collection`` links."""
    root = _root(base_url)
    out = dict(feature)
    here = f"{root}/collections/{collection_id}/items/{feature.get('id')}"
    out["links"] = [
        link(f"{here}?{query}" if query else here, "self", GEOJSON_CONTENT_TYPE),
        link(f"{root}/collections/{collection_id}", "collection", JSON_CONTENT_TYPE),
    ]
    return out


def exception(status: int, description: str) -> dict[str, Any]:
    """An OGC API error body (``code`` and ``description``); HTTP status set by the view."""
    codes = {
        400: "InvalidParameterValue",
        404: "NotFound",
        405: "MethodNotAllowed",
        406: "NotAcceptable",
    }
    return {"code": codes.get(status, "ServerError"), "description": description}
