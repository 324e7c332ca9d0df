"""The OpenAPI 3.0 definition of the OGC API – Features at /api/ogc/, as a plain dict.

It has to tell the truth (/req/oas30/completeness, /req/oas30/oas-impl): every status the
server answers, every parameter it takes with the values it accepts. Cross-parameter rules that
OpenAPI 3.0 cannot state (latitude ±90 at the 2nd and 4th place of ``bbox``, a south edge below
the north one, a real calendar day, an interval's start before its end) are in the descriptions;
``make audit-api`` runs schemathesis against this document (tests/maps/test_ogc_openapi_audit.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from maps.features import GEOJSON_CONTENT_TYPE, JSON_CONTENT_TYPE
from maps.ogcapi import OPENAPI_CONTENT_TYPE, SCHEMA_CONTENT_TYPE, CollectionInfo
from maps.ogcparams import DATETIME_PATTERN

_REF = "#/components"


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"{_REF}/{kind}/{name}"}


def _ok(media_type: str, schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {media_type: {"schema": schema}}}


def _get(
    operation_id: str,
    summary: str,
    ok: dict[str, Any],
    parameters: Sequence[dict[str, Any]] = (),
    *,
    not_found: bool = False,
) -> dict[str, Any]:
    responses = {"200": ok, "400": _ref("responses", "InvalidParameter")}
    if not_found:
        responses["404"] = _ref("responses", "NotFound")
    responses["406"] = _ref("responses", "NotAcceptable")
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": [_ref("parameters", "f"), *parameters],
            "responses": responses,
        }
    }


def _filter_parameter(name: str, values: Sequence[str]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": f"Chỉ lấy đối tượng có {name} là một trong các giá trị (cách nhau dấu phẩy,"
        " không phân biệt hoa thường).",
        "style": "form",
        "explode": False,
        "schema": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "enum": list(values)},
        },
    }


def _feature_schema(info: CollectionInfo) -> dict[str, Any]:
    properties: dict[str, Any] = {
        name: {"type": kind, "nullable": True} for name, kind in (info.properties or {}).items()
    }
    properties["updated"] = {
        "type": "string",
        "format": "date-time",
        "nullable": True,
        "description": "Lần cập nhật cuối (UTC): tham số datetime so với giá trị này.",
    }
    geometry_types = ["Point"] if info.geometry == "point" else ["Polygon", "MultiPolygon"]
    return {
        "type": "object",
        "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "integer"},
            "bbox": {"type": "array", "items": {"type": "number"}},
            "geometry": {
                "type": "object",
                "required": ["type", "coordinates"],
                "properties": {
                    "type": {"type": "string", "enum": geometry_types},
                    "coordinates": {"type": "array"},
                },
            },
            "properties": {"type": "object", "properties": properties},
            "links": {"type": "array", "items": _ref("schemas", "link")},
        },
    }


def _schemas(infos: Sequence[CollectionInfo]) -> dict[str, Any]:
    links = {"type": "array", "items": _ref("schemas", "link")}
    extent = {
        "type": "object",
        "properties": {
            "spatial": {
                "type": "object",
                "properties": {
                    "bbox": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "number"}},
                    },
                    "crs": {"type": "string"},
                },
            },
            "temporal": {
                "type": "object",
                "properties": {
                    "interval": {
                        "type": "array",
                        "items": {
                            "type": "array",
                            "items": {"type": "string", "format": "date-time", "nullable": True},
                        },
                    },
                    "trs": {"type": "string"},
                },
            },
        },
    }
    schemas: dict[str, Any] = {
        "exception": {
            "type": "object",
            "required": ["code"],
            "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
        },
        "link": {
            "type": "object",
            "required": ["href", "rel"],
            "properties": {
                "href": {"type": "string"},
                "rel": {"type": "string"},
                "type": {"type": "string"},
                "title": {"type": "string"},
            },
        },
        "landingPage": {
            "type": "object",
            "required": ["links"],
            "properties": {
                "title": {"type": "string"},
                "description": {"type": "string"},
                "links": links,
            },
        },
        "confClasses": {
            "type": "object",
            "required": ["conformsTo"],
            "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
        },
        "collection": {
            "type": "object",
            "required": ["id", "links"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "description": {"type": "string"},
                "links": links,
                "extent": extent,
                "itemType": {"type": "string"},
                "crs": {"type": "array", "items": {"type": "string"}},
            },
        },
        "collections": {
            "type": "object",
            "required": ["links", "collections"],
            "properties": {
                "links": links,
                "collections": {"type": "array", "items": _ref("schemas", "collection")},
            },
        },
        "queryables": {
            "type": "object",
            "required": ["$schema", "$id", "type", "properties"],
            "properties": {
                "$schema": {"type": "string"},
                "$id": {"type": "string"},
                "type": {"type": "string", "enum": ["object"]},
                "properties": {"type": "object"},
            },
        },
        "openapi": {"type": "object", "required": ["openapi", "paths"]},
    }
    for info in infos:
        schemas[f"{info.id}_feature"] = _feature_schema(info)
        schemas[f"{info.id}_collection"] = {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": {"type": "array", "items": _ref("schemas", f"{info.id}_feature")},
                "links": links,
                "numberMatched": {"type": "integer", "minimum": 0},
                "numberReturned": {"type": "integer", "minimum": 0},
                "timeStamp": {"type": "string", "format": "date-time"},
            },
        }
    return schemas


def _parameters(languages: Sequence[str], max_limit: int, default_limit: int) -> dict[str, Any]:
    return {
        "f": {
            "name": "f",
            "in": "query",
            "required": False,
            "description": "Định dạng trả về: chỉ JSON (GeoJSON cho đối tượng); không có HTML.",
            "schema": {"type": "string", "enum": ["json"]},
        },
        "lang": {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "Ngôn ngữ của tên và liên kết (mặc định: tiếng Việt).",
            "schema": {"type": "string", "enum": list(languages)},
        },
        "limit": {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": f"Số đối tượng mỗi trang; lớn hơn {max_limit} thì lấy {max_limit}.",
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
            "description": "Bỏ qua bấy nhiêu đối tượng đầu; quá số đối tượng thì trang rỗng.",
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
        "bbox": {
            "name": "bbox",
            "in": "query",
            "required": False,
            "description": "Kinh độ tây, vĩ độ nam, kinh độ đông, vĩ độ bắc (WGS84, CRS84): "
            "kinh độ −180…180, vĩ độ −90…90, nam ≤ bắc; tây > đông là hộp vắt qua kinh tuyến "
            "180. Sáu số: thêm độ cao nhỏ nhất (vị trí 3) và lớn nhất (vị trí 6), không dùng.",
            "style": "form",
            "explode": False,
            "schema": {
                "type": "array",
                "oneOf": [
                    {
                        "minItems": 4,
                        "maxItems": 4,
                        "items": {"type": "number", "minimum": -180, "maximum": 180},
                    },
                    {"minItems": 6, "maxItems": 6, "items": {"type": "number"}},
                ],
                "items": {"type": "number"},
            },
        },
        "datetime": {
            "name": "datetime",
            "in": "query",
            "required": False,
            "description": "Thời điểm hay khoảng thời gian RFC 3339 so với lần cập nhật cuối "
            "(thuộc tính updated): 2024-05-01T08:00:00Z (cả giây đó), 2024-05-01 (cả ngày, "
            "UTC), đầu/cuối, ../cuối, đầu/.. (đầu trước cuối). Đối tượng chưa có thời điểm "
            "luôn được lấy.",
            "style": "form",
            "explode": False,
            "schema": {"type": "string", "pattern": DATETIME_PATTERN},
        },
        "featureId": {
            "name": "featureId",
            "in": "path",
            "required": True,
            "description": "Mã số của đối tượng (id trong GeoJSON).",
            "schema": {"type": "string"},
        },
    }


def openapi(
    base_url: str,
    infos: Iterable[CollectionInfo],
    *,
    title: str,
    languages: Sequence[str] = ("vi",),
    max_limit: int = 1000,
    default_limit: int = 100,
) -> dict[str, Any]:
    """The API definition GDAL and QGIS fetch as ``service-desc``."""
    infos = list(infos)
    lang = _ref("parameters", "lang")
    paths: dict[str, Any] = {
        "/": _get(
            "getLandingPage",
            "Trang gốc",
            _ok(JSON_CONTENT_TYPE, _ref("schemas", "landingPage")),
        ),
        "/api": _get(
            "getApiDefinition",
            "Định nghĩa API này",
            _ok(OPENAPI_CONTENT_TYPE, _ref("schemas", "openapi")),
        ),
        "/conformance": _get(
            "getConformance",
            "Các lớp tuân thủ",
            _ok(JSON_CONTENT_TYPE, _ref("schemas", "confClasses")),
        ),
        "/collections": _get(
            "getCollections",
            "Các lớp dữ liệu",
            _ok(JSON_CONTENT_TYPE, _ref("schemas", "collections")),
            [lang],
        ),
    }
    for info in infos:
        here = f"/collections/{info.id}"
        filters = [_filter_parameter(name, values) for name, values in (info.filters or {}).items()]
        paths[here] = _get(
            f"describe_{info.id}",
            info.title,
            _ok(JSON_CONTENT_TYPE, _ref("schemas", "collection")),
            [lang],
        )
        paths[f"{here}/queryables"] = _get(
            f"get_{info.id}_queryables",
            f"{info.title}: thuộc tính lọc",
            _ok(SCHEMA_CONTENT_TYPE, _ref("schemas", "queryables")),
        )
        paths[f"{here}/items"] = _get(
            f"get_{info.id}_items",
            info.title,
            _ok(GEOJSON_CONTENT_TYPE, _ref("schemas", f"{info.id}_collection"), "GeoJSON"),
            [
                *(_ref("parameters", name) for name in ("limit", "offset", "bbox", "datetime")),
                lang,
                *filters,
            ],
        )
        # Lets a client (and schemathesis' stateful phase) go from a page to one of its features.
        paths[f"{here}/items"]["get"]["responses"]["200"]["links"] = {
            "firstFeature": {
                "operationId": f"get_{info.id}_item",
                "parameters": {"featureId": "$response.body#/features/0/id"},
            }
        }
        paths[f"{here}/items/{{featureId}}"] = _get(
            f"get_{info.id}_item",
            f"{info.title}: một đối tượng",
            _ok(GEOJSON_CONTENT_TYPE, _ref("schemas", f"{info.id}_feature"), "GeoJSON"),
            [_ref("parameters", "featureId"), lang],
            not_found=True,
        )
    error = {JSON_CONTENT_TYPE: {"schema": _ref("schemas", "exception")}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": title,
            "version": "1.0.0",
            "description": "OGC API – Features (Part 1 Core, GeoJSON, OpenAPI 3.0; Part 3 "
            "queryables). Tham số không có trong định nghĩa này bị từ chối (400).",
        },
        "servers": [{"url": base_url.rstrip("/")}],
        "paths": paths,
        "components": {
            "parameters": _parameters(languages, max_limit, default_limit),
            "responses": {
                "InvalidParameter": {
                    "description": "Tham số lạ hoặc giá trị sai",
                    "content": error,
                },
                "NotFound": {"description": "Không có đối tượng này", "content": error},
                "NotAcceptable": {
                    "description": "Accept không nhận JSON/GeoJSON",
                    "content": error,
                },
            },
            "schemas": _schemas(infos),
        },
    }
