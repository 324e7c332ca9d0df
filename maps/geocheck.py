"""Geometry checks for imported data, with messages for staff in Vietnamese.

Raw GeoJSON rings are checked before shapely sees them, because shapely closes rings silently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from maps.crs import VIETNAM_BBOX, Conversion, in_vietnam

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

POINT_TYPES = ("Point", "MultiPoint")
AREA_TYPES = ("Polygon", "MultiPolygon")
_GEOMETRY_TYPES = (*POINT_TYPES, "LineString", "MultiLineString", *AREA_TYPES)

_VALIDITY_REASONS = {
    "Ring Self-intersection": "một vòng ranh giới tự chạm vào chính nó",
    "Self-intersection": "các cạnh của vùng tự cắt nhau",
    "Too few points in geometry component": "quá ít điểm để tạo thành vùng",
    "Hole lies outside shell": "lỗ (vòng trong) nằm ngoài vòng ngoài",
    "Nested holes": "các lỗ lồng vào nhau",
    "Interior is disconnected": "phần trong của vùng bị chia cắt",
    "Nested shells": "các phần của vùng lồng vào nhau",
    "Duplicate Rings": "có vòng ranh giới bị lặp",
    "Invalid Coordinate": "có tọa độ không hợp lệ",
    "Ring is not closed": "vòng ranh giới chưa khép kín",
}
_VALIDITY = re.compile(r"^(?P<reason>[^\[]+?)\s*(?:\[(?P<x>\S+)\s+(?P<y>\S+)(?:\s+\S+)?\])?$")


def fmt_coord(value: float) -> str:
    """Metres with 2 decimals, degrees with 6, as staff see them in their GIS."""
    return f"{value:.2f}" if abs(value) >= 1000 else f"{value:.6f}"


def raw_geometry_problems(geometry: Any) -> list[str]:
    """Structural problems of a GeoJSON geometry object, before any library repairs it."""
    if geometry is None:
        return ["thiếu hình học (geometry rỗng)"]
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRY_TYPES:
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        return [f"kiểu hình học «{kind}» không được hỗ trợ"]
    kind = geometry["type"]
    coords = geometry.get("coordinates")
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2}
    depth |= {"Polygon": 2, "MultiPolygon": 3}
    if not _well_formed(coords, depth[kind]):
        return [f"tọa độ của {kind} sai cấu trúc (mỗi điểm phải là [x, y])"]
    if not _all_finite(coords):
        return ["có tọa độ không phải số hữu hạn (NaN hoặc vô cực)"]
    if kind == "Polygon":
        return _polygon_ring_problems(coords, "")
    if kind == "MultiPolygon":
        problems: list[str] = []
        for index, polygon in enumerate(coords, start=1):
            problems += _polygon_ring_problems(polygon, f" của phần thứ {index}")
        return problems
    return []


def _well_formed(node: Any, depth: int) -> bool:
    if depth == 0:
        return (
            isinstance(node, list)
            and 2 <= len(node) <= 3
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in node)
        )
    return isinstance(node, list) and all(_well_formed(child, depth - 1) for child in node)


def _all_finite(node: Any) -> bool:
    if isinstance(node, list):
        return all(_all_finite(child) for child in node)
    return math.isfinite(node)


def _polygon_ring_problems(rings: Sequence[Sequence[Sequence[float]]], where: str) -> list[str]:
    problems = []
    if not rings:
        return [f"vùng{where} không có vòng ranh giới nào"]
    for index, ring in enumerate(rings):
        name = "vòng ngoài" if index == 0 else f"lỗ thứ {index}"
        if len(ring) and ring[0][:2] != ring[-1][:2]:
            first = ", ".join(fmt_coord(v) for v in ring[0][:2])
            last = ", ".join(fmt_coord(v) for v in ring[-1][:2])
            problems.append(
                f"{name}{where} chưa khép kín: điểm đầu ({first}) khác điểm cuối ({last})"
            )
        elif len(ring) < 4:
            problems.append(f"{name}{where} có {len(ring)} điểm, cần ít nhất 4 (khép kín)")
    return problems


def validity_problem(geom: BaseGeometry) -> str | None:
    """Why a shapely geometry is invalid, in Vietnamese with the place (source coordinates)."""
    import shapely

    if shapely.is_valid(geom):
        return None
    explanation = shapely.is_valid_reason(geom)
    match = _VALIDITY.match(explanation)
    reason = match.group("reason").strip() if match else explanation
    text = _VALIDITY_REASONS.get(reason, reason)
    if match and match.group("x") is not None:
        try:
            x, y = float(match.group("x")), float(match.group("y"))
        except ValueError:
            return f"hình học không hợp lệ: {text}"
        return f"hình học không hợp lệ: {text} tại ({fmt_coord(x)}, {fmt_coord(y)})"
    return f"hình học không hợp lệ: {text}"


@dataclass(frozen=True)
class Placed:
    """The result of placing source coordinates in Vietnam: a WGS84 geometry or a problem."""

    geometry: BaseGeometry | None
    problem: str | None = None


def place_in_vietnam(geom: BaseGeometry, conversion: Conversion) -> Placed:
    """Convert a geometry to WGS84 and check it lies in Vietnam, spotting swapped axes."""
    import numpy as np
    import shapely

    coords = shapely.get_coordinates(geom)
    if coords.size == 0:
        return Placed(None, "hình học rỗng")
    if not np.isfinite(coords).all():
        return Placed(None, "có tọa độ không phải số hữu hạn")
    xs, ys = coords[:, 0], coords[:, 1]
    geographic = conversion.geographic
    if geographic and (np.abs(xs) > 360).any() | (np.abs(ys) > 360).any():
        sample = f"({fmt_coord(float(xs[0]))}, {fmt_coord(float(ys[0]))})"
        return Placed(
            None,
            f"tọa độ {sample} quá lớn cho kinh độ/vĩ độ theo EPSG:{conversion.epsg}: có lẽ đây "
            "là tọa độ phẳng (mét), hãy chọn hệ VN-2000 TM-3 hoặc UTM phù hợp",
        )
    if not geographic and (np.abs(xs) < 1000).all() and (np.abs(ys) < 1000).all():
        sample = f"({fmt_coord(float(xs[0]))}, {fmt_coord(float(ys[0]))})"
        return Placed(
            None,
            f"tọa độ {sample} quá nhỏ cho hệ phẳng EPSG:{conversion.epsg} (mét): có lẽ đây là "
            "kinh độ/vĩ độ, hãy chọn EPSG:4326 (WGS 84) hoặc EPSG:4756 (VN-2000)",
        )
    lon, lat = conversion.transform(xs, ys)
    if _all_in_vietnam(lon, lat):
        converted = np.column_stack([lon, lat])
        return Placed(shapely.transform(geom, lambda _coords: converted))
    swapped_lon, swapped_lat = conversion.transform(ys, xs)
    first = f"({fmt_coord(float(xs[0]))}, {fmt_coord(float(ys[0]))})"
    if _all_in_vietnam(swapped_lon, swapped_lat):
        axes = (
            "kinh độ và vĩ độ"
            if geographic
            else "X và Y (ở đây X là hướng Đông; trắc địa Việt Nam thường ghi X là hướng Bắc)"
        )
        return Placed(
            None,
            f"tọa độ {first} có vẻ bị đảo {axes}: đổi chỗ thì điểm nằm trong Việt Nam, "
            "hãy kiểm tra lại thứ tự cột",
        )
    if geographic and ((np.abs(xs) > 180).any() or (np.abs(ys) > 90).any()):
        return Placed(
            None,
            f"tọa độ {first} ngoài phạm vi (kinh độ từ −180 đến 180, vĩ độ từ −90 đến 90)",
        )
    min_lon, min_lat, max_lon, max_lat = VIETNAM_BBOX
    return Placed(
        None,
        f"tọa độ {first} theo EPSG:{conversion.epsg} nằm ngoài lãnh thổ Việt Nam "
        f"(kinh độ {min_lon:g}–{max_lon:g}, vĩ độ {min_lat:g}–{max_lat:g}): hãy kiểm tra "
        "hệ tọa độ đã chọn",
    )


def _all_in_vietnam(lon: Any, lat: Any) -> bool:
    import numpy as np

    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        return False
    return all(
        in_vietnam(float(a), float(b)) for a, b in ((lon.min(), lat.min()), (lon.max(), lat.max()))
    )


def outside_area_of_use(geom: BaseGeometry, conversion: Conversion, margin: float = 0.5) -> bool:
    """True when a WGS84 geometry lies well outside the source CRS's area of use (wrong zone?)."""
    if conversion.area_of_use is None or conversion.epsg in (4326, 4756):
        return False
    west, south, east, north = conversion.area_of_use
    min_x, min_y, max_x, max_y = geom.bounds
    return (
        min_x < west - margin
        or max_x > east + margin
        or min_y < south - margin
        or max_y > north + margin
    )


def orient_rfc7946(geom: BaseGeometry) -> BaseGeometry:
    """Exterior rings counter-clockwise, holes clockwise (RFC 7946 §3.1.6)."""
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    if isinstance(geom, Polygon):
        return orient(geom, 1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(part, 1.0) for part in geom.geoms])
    return geom
