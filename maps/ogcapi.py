"""OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) documents, as plain dicts.

Every link is absolute: GDAL's OAPIF driver follows ``next`` links as given. ``base_url`` is the
API root (the landing page), e.g. ``https://host/api/ogc``, without a trailing slash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from maps.features import GEOJSON_CONTENT_TYPE, JSON_CONTENT_TYPE, feature_collection

OPENAPI_CONTENT_TYPE = "application/vnd.oai.openapi+json;version=3.0"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE_CLASSES = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
)


@dataclass(frozen=True)
class CollectionInfo:
    """What the API says about one collection (relics, places, wards)."""

    id: str
    title: str
    description: str = ""
    bbox: Sequence[float] | None = None  # (minx, miny, maxx, maxy) in WGS84
    properties: Mapping[str, str] | None = None  # name → JSON type, for the OpenAPI schema


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
    """The API root: links to itself, the API definition, conformance and the collections."""
    root = _root(base_url)
    links = [
        link(root, "self", JSON_CONTENT_TYPE, "Trang này"),
        link(f"{root}/api", "service-desc", OPENAPI_CONTENT_TYPE, "Định nghĩa API (OpenAPI 3.0)"),
        link(f"{root}/conformance", "conformance", JSON_CONTENT_TYPE, "Các lớp tuân thủ"),
        link(f"{root}/collections", "data", JSON_CONTENT_TYPE, "Các lớp dữ liệu"),
    ]
    if html_url:
        links.append(link(html_url, "alternate", "text/html", "Bản đồ"))
    return {"title": title, "description": description, "links": links}


def conformance() -> dict[str, Any]:
    return {"conformsTo": list(CONFORMANCE_CLASSES)}


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
        ],
    }
    if info.bbox is not None:
        out["extent"] = {"spatial": {"bbox": [list(info.bbox)], "crs": CRS84}}
    return out


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
    kept = {k: v for k, v in (query or {}).items() if k not in ("limit", "offset", "f") and v}

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


def item(base_url: str, collection_id: str, feature: Mapping[str, Any]) -> dict[str, Any]:
    """One feature with ``self`` and ``collection`` links."""
    root = _root(base_url)
    out = dict(feature)
    out["links"] = [
        link(
            f"{root}/collections/{collection_id}/items/{feature.get('id')}",
            "self",
            GEOJSON_CONTENT_TYPE,
        ),
        link(f"{root}/collections/{collection_id}", "collection", JSON_CONTENT_TYPE),
    ]
    return out


def exception(status: int, description: str) -> dict[str, Any]:
    """An OGC API error body (``code`` and ``description``); HTTP status set by the view."""
    codes = {400: "InvalidParameterValue", 404: "NotFound", 406: "NotAcceptable"}
    return {"code": codes.get(status, "ServerError"), "description": description}


def openapi(
    base_url: str,
    infos: Iterable[CollectionInfo],
    *,
    title: str,
    max_limit: int = 1000,
    default_limit: int = 100,
) -> dict[str, Any]:
    """A small OpenAPI 3.0 definition of this API (what GDAL and QGIS fetch as service-desc)."""
    infos = list(infos)
    json_response = {
        "description": "OK",
        "content": {JSON_CONTENT_TYPE: {"schema": {"type": "object"}}},
    }
    paths: dict[str, Any] = {
        "/": {"get": {"operationId": "getLandingPage", "responses": {"200": json_response}}},
        "/conformance": {
            "get": {"operationId": "getConformance", "responses": {"200": json_response}}
        },
        "/collections": {
            "get": {"operationId": "getCollections", "responses": {"200": json_response}}
        },
    }
    for info in infos:
        geojson = {
            "description": "GeoJSON",
            "content": {
                GEOJSON_CONTENT_TYPE: {"schema": {"$ref": f"#/components/schemas/{info.id}"}}
            },
        }
        paths[f"/collections/{info.id}"] = {
            "get": {"operationId": f"describe_{info.id}", "responses": {"200": json_response}}
        }
        paths[f"/collections/{info.id}/items"] = {
            "get": {
                "operationId": f"get_{info.id}_items",
                "summary": info.title,
                "parameters": [
                    {"$ref": "#/components/parameters/limit"},
                    {"$ref": "#/components/parameters/offset"},
                    {"$ref": "#/components/parameters/bbox"},
                ],
                "responses": {"200": geojson},
            }
        }
        paths[f"/collections/{info.id}/items/{{featureId}}"] = {
            "get": {
                "operationId": f"get_{info.id}_item",
                "parameters": [{"$ref": "#/components/parameters/featureId"}],
                "responses": {"200": {"description": "GeoJSON Feature"}},
            }
        }
    schemas = {
        info.id: {
            "type": "object",
            "properties": {
                "type": {"type": "string"},
                "geometry": {"type": "object"},
                "properties": {
                    "type": "object",
                    "properties": {
                        name: {"type": kind} for name, kind in (info.properties or {}).items()
                    },
                },
            },
        }
        for info in infos
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0.0"},
        "servers": [{"url": _root(base_url)}],
        "paths": paths,
        "components": {
            "parameters": {
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "style": "form",
                    "explode": False,
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": max_limit,
                        "default": default_limit,
                    },
                },
                "offset": {
                    "name": "offset",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 0, "default": 0},
                },
                "bbox": {
                    "name": "bbox",
                    "in": "query",
                    "required": False,
                    "style": "form",
                    "explode": False,
                    "schema": {
                        "type": "array",
                        "minItems": 4,
                        "maxItems": 6,
                        "items": {"type": "number"},
                    },
                },
                "featureId": {
                    "name": "featureId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
            },
            "schemas": schemas,
        },
    }
