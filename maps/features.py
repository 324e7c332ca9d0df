"""GeoJSON (RFC 7946) feeds and their query parameters, built from plain dicts.

Relics and places arrive as dicts with ``id``, ``name``, ``lon``, ``lat`` and optional ``code``,
``ranking``, ``type``, ``ward``, ``url``, ``tour_url``, ``thumbnail``; wards with ``geometry``
(a GeoJSON dict in WGS84). The OGC API – Features documents are in maps/ogcapi.py.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GEOJSON_CONTENT_TYPE = "application/geo+json"
JSON_CONTENT_TYPE = "application/json"
COORD_DECIMALS = 6
LAYERS = ("relics", "places", "wards")

RELIC_PROPERTIES = (
    *("code", "name", "ranking", "type", "ward", "url", "tour_url", "thumbnail"),
    "translated",
)
PLACE_PROPERTIES = (
    "code",
    "name",
    "type",
    "type_label",
    "ocop",
    "ward",
    "phone",
    "opening_hours",
    "price_range",
    "url",
    "tour_url",
    "thumbnail",
    "translated",
)
WARD_PROPERTIES = ("code", "name")


class FeedParamError(ValueError):
    """A query parameter that cannot be used; the message names it (Vietnamese)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def round_coordinates(node: Any, decimals: int = COORD_DECIMALS) -> Any:
    """Round every position in a GeoJSON coordinates array (6 decimals ≈ 0.1 m)."""
    if isinstance(node, list | tuple):
        if node and not isinstance(node[0], list | tuple):
            return [round(float(value), decimals) for value in node]
        return [round_coordinates(child, decimals) for child in node]
    return node


def point_geometry(lon: float, lat: float) -> dict[str, Any]:
    """A GeoJSON Point in RFC 7946 order: longitude first."""
    return {"type": "Point", "coordinates": round_coordinates([lon, lat])}


def feature(
    geometry: Mapping[str, Any] | None,
    properties: Mapping[str, Any],
    *,
    feature_id: str | int | None = None,
    bbox: Sequence[float] | None = None,
) -> dict[str, Any]:
    """A GeoJSON Feature; coordinates rounded, ``id`` only when given."""
    out: dict[str, Any] = {"type": "Feature"}
    if feature_id is not None:
        out["id"] = feature_id
    if bbox is not None:
        out["bbox"] = round_coordinates(list(bbox))
    if geometry is None:
        out["geometry"] = None
    else:
        out["geometry"] = {
            "type": geometry["type"],
            "coordinates": round_coordinates(geometry["coordinates"]),
        }
    out["properties"] = dict(properties)
    return out


def feature_collection(features: Iterable[Mapping[str, Any]], **members: Any) -> dict[str, Any]:
    """A GeoJSON FeatureCollection; extra top-level members (links, numberMatched…) appended."""
    return {"type": "FeatureCollection", "features": list(features), **members}


def _properties(item: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """Empty values as null; flags (``translated``: false for a Vietnamese page listed in
    another language's feed) kept as they are."""
    return {name: _value(item.get(name)) for name in names}


def _value(value: Any) -> Any:
    return value if isinstance(value, bool) else (value or None)


def relic_feature(item: Mapping[str, Any]) -> dict[str, Any]:
    return feature(
        point_geometry(item["lon"], item["lat"]),
        _properties(item, RELIC_PROPERTIES),
        feature_id=item.get("id"),
    )


def place_feature(item: Mapping[str, Any]) -> dict[str, Any]:
    return feature(
        point_geometry(item["lon"], item["lat"]),
        _properties(item, PLACE_PROPERTIES),
        feature_id=item.get("id"),
    )


def ward_feature(item: Mapping[str, Any]) -> dict[str, Any]:
    return feature(
        item.get("geometry"),
        _properties(item, WARD_PROPERTIES),
        feature_id=item.get("id"),
        bbox=geometry_bounds(item["geometry"]) if item.get("geometry") else None,
    )


def dumps(document: Mapping[str, Any]) -> str:
    """Compact UTF-8 JSON (Vietnamese stays readable, not \\u-escaped)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# --- Query parameters ----------------------------------------------------------------------

# Plain ASCII numbers only: Python's int()/float() also take "1_000", " 7 " and Arabic digits.
_INTEGER = re.compile(r"^[+-]?[0-9]+$", re.ASCII)
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$", re.ASCII)


@dataclass(frozen=True)
class BBox:
    """A WGS84 (CRS84) box; ``minx > maxx`` means it crosses the antimeridian (OGC allows it)."""

    minx: float
    miny: float
    maxx: float
    maxy: float

    @property
    def crosses_antimeridian(self) -> bool:
        return self.minx > self.maxx

    def contains(self, lon: float, lat: float) -> bool:
        if not self.miny <= lat <= self.maxy:
            return False
        if self.crosses_antimeridian:
            return lon >= self.minx or lon <= self.maxx
        return self.minx <= lon <= self.maxx

    def intersects(self, bounds: Sequence[float]) -> bool:
        """Whether a (minx, miny, maxx, maxy) extent touches the box."""
        west, south, east, north = bounds
        if north < self.miny or south > self.maxy:
            return False
        if self.crosses_antimeridian:
            return east >= self.minx or west <= self.maxx
        return east >= self.minx and west <= self.maxx

    def as_list(self) -> list[float]:
        return [self.minx, self.miny, self.maxx, self.maxy]


def parse_bbox(text: str) -> BBox:
    """'minx,miny,maxx,maxy' (or 6 numbers with heights, ignored) in longitude/latitude."""
    parts = [part.strip() for part in str(text).split(",")]
    if len(parts) not in (4, 6):
        raise FeedParamError(
            "bbox", "bbox phải có 4 số: kinh độ tây, vĩ độ nam, kinh độ đông, vĩ độ bắc."
        )
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if numbers and not all(math.isfinite(n) for n in numbers):
        raise FeedParamError("bbox", "bbox phải gồm các số hữu hạn.")
    if not numbers or not all(_NUMBER.match(part) for part in parts):
        raise FeedParamError("bbox", f"bbox có giá trị không phải số: «{text}».")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    minx, miny, maxx, maxy = numbers
    if not (-180 <= minx <= 180 and -180 <= maxx <= 180):
        raise FeedParamError("bbox", "kinh độ trong bbox phải nằm trong khoảng −180 đến 180.")
    if not (-90 <= miny <= 90 and -90 <= maxy <= 90):
        raise FeedParamError("bbox", "vĩ độ trong bbox phải nằm trong khoảng −90 đến 90.")
    if miny > maxy:
        raise FeedParamError("bbox", "vĩ độ nam của bbox lớn hơn vĩ độ bắc: có thể bị đảo thứ tự.")
    return BBox(minx, miny, maxx, maxy)


def parse_paging(
    limit: str | None, offset: str | None, *, default: int = 100, maximum: int = 1000
) -> tuple[int, int]:
    """``limit`` (clamped to ``maximum`` as OGC API – Features requires) and ``offset``."""
    values = []
    for name, raw, fallback, least in (("limit", limit, default, 1), ("offset", offset, 0, 0)):
        if raw in (None, ""):
            values.append(fallback)
            continue
        if not _INTEGER.match(str(raw)):
            raise FeedParamError(name, f"{name} phải là số nguyên, không phải «{raw}».")
        value = int(str(raw))
        if value < least:
            raise FeedParamError(name, f"{name} phải lớn hơn hoặc bằng {least}.")
        values.append(value)
    return min(values[0], maximum), values[1]


@dataclass(frozen=True)
class FeedFilters:
    """Filters shared by the GeoJSON feeds and the embed page (ward, ranking, type, bbox)."""

    ward: frozenset[str] = frozenset()
    ranking: frozenset[str] = frozenset()
    type: frozenset[str] = frozenset()
    bbox: BBox | None = None
    layers: tuple[str, ...] = LAYERS

    def matches(self, item: Mapping[str, Any]) -> bool:
        """Whether a relic/place dict passes every filter set (case-insensitive values)."""
        for name in ("ward", "ranking", "type"):
            wanted = getattr(self, name)
            if wanted and str(item.get(name) or "").casefold() not in wanted:
                return False
        if self.bbox is not None:
            if "lon" in item:
                return self.bbox.contains(float(item["lon"]), float(item["lat"]))
            geometry = item.get("geometry")
            return bool(geometry) and self.bbox.intersects(geometry_bounds(geometry))
        return True

    def apply(self, items: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        return [item for item in items if self.matches(item)]


def parse_filters(params: Mapping[str, Any]) -> FeedFilters:
    """Read ``ward``, ``ranking``, ``type`` (comma-separated), ``bbox`` and ``layers``."""

    def values(name: str) -> frozenset[str]:
        raw = params.get(name) or ""
        return frozenset(v.strip().casefold() for v in str(raw).split(",") if v.strip())

    bbox = parse_bbox(params["bbox"]) if params.get("bbox") else None
    layers: tuple[str, ...] = LAYERS
    if params.get("layers"):
        wanted = [v.strip() for v in str(params["layers"]).split(",") if v.strip()]
        unknown = [v for v in wanted if v not in LAYERS]
        if unknown:
            raise FeedParamError(
                "layers",
                f"lớp «{', '.join(unknown)}» không có; dùng: {', '.join(LAYERS)}.",
            )
        layers = tuple(layer for layer in LAYERS if layer in wanted)
    return FeedFilters(values("ward"), values("ranking"), values("type"), bbox, layers)


def geometry_bounds(geometry: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of a GeoJSON geometry, without shapely."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(node: Any) -> None:
        if node and not isinstance(node[0], list | tuple):
            xs.append(float(node[0]))
            ys.append(float(node[1]))
        else:
            for child in node:
                walk(child)

    walk(geometry["coordinates"])
    if not xs:
        raise ValueError("empty geometry")
    return (min(xs), min(ys), max(xs), max(ys))


def collection_bounds(
    items: Iterable[Mapping[str, Any]],
) -> tuple[float, float, float, float] | None:
    """The extent of relic/place dicts (lon/lat) and ward dicts (geometry), or None if empty."""
    boxes = []
    for item in items:
        if "lon" in item and item.get("lon") is not None:
            lon, lat = float(item["lon"]), float(item["lat"])
            boxes.append((lon, lat, lon, lat))
        elif item.get("geometry"):
            boxes.append(geometry_bounds(item["geometry"]))
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
