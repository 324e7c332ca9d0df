"""Coordinate reference systems accepted on import and their conversion to WGS84.

Only EPSG-registered transformations are used (pyproj picks them from its bundled database): no
hand-written ``+towgs84`` strings, no PROJ grids, no network.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from content.text import fold

if TYPE_CHECKING:
    import numpy as np
    from pyproj import CRS

WGS84 = 4326
VN2000 = 4756
# EPSG "VN-2000 to WGS 84 (2)": the nationwide 7-parameter Helmert of Decision 05/2007/QĐ-BTNMT.
# PROJ would pick "VN-2000 to WGS 84 (1)" (EPSG:5194, Mekong delta oil blocks) for points there;
# the two differ by ~0.8 m, and one transformation for the whole country keeps data consistent.
VN2000_TO_WGS84_OPERATION = 6960

ACCEPTED_CRS: dict[int, str] = {
    4326: "WGS 84 — kinh độ, vĩ độ (GPS)",
    32648: "WGS 84 / UTM múi 48N",
    32649: "WGS 84 / UTM múi 49N",
    4756: "VN-2000 — kinh độ, vĩ độ",
    3405: "VN-2000 / UTM múi 48N",
    3406: "VN-2000 / UTM múi 49N",
    5896: "VN-2000 / TM-3 múi 481 (kinh tuyến trục 102°)",
    5897: "VN-2000 / TM-3 múi 482 (kinh tuyến trục 105°, Hà Nội)",
    5898: "VN-2000 / TM-3 múi 491 (kinh tuyến trục 108°)",
    5899: "VN-2000 / TM-3 107°45' (Quảng Ninh, Đà Nẵng, Quảng Nam…)",
    9205: "VN-2000 / TM-3 103°00' (Điện Biên, Lai Châu)",
    9206: "VN-2000 / TM-3 104°00' (Sơn La)",
    9207: "VN-2000 / TM-3 104°30'",
    9208: "VN-2000 / TM-3 104°45'",
    9209: "VN-2000 / TM-3 105°30'",
    9210: "VN-2000 / TM-3 105°45' (Hải Phòng, TP Hồ Chí Minh…)",
    9211: "VN-2000 / TM-3 106°00'",
    9212: "VN-2000 / TM-3 106°15'",
    9213: "VN-2000 / TM-3 106°30'",
    9214: "VN-2000 / TM-3 107°00'",
    9215: "VN-2000 / TM-3 107°15'",
    9216: "VN-2000 / TM-3 107°30'",
    9217: "VN-2000 / TM-3 108°15'",
    9218: "VN-2000 / TM-3 108°30'",
}
GEOGRAPHIC_CRS = frozenset({WGS84, VN2000})

# Central meridian (degrees) → EPSG code, for .prj files and free text that name VN-2000 without
# an EPSG code. The 3° zones 481/482/491 share the TM-3 scale factor 0.9999.
_TM3_BY_MERIDIAN: dict[float, int] = {
    102.0: 5896,
    105.0: 5897,
    108.0: 5898,
    107.75: 5899,
    103.0: 9205,
    104.0: 9206,
    104.5: 9207,
    104.75: 9208,
    105.5: 9209,
    105.75: 9210,
    106.0: 9211,
    106.25: 9212,
    106.5: 9213,
    107.0: 9214,
    107.25: 9215,
    107.5: 9216,
    108.25: 9217,
    108.5: 9218,
}
_UTM_BY_MERIDIAN = {105.0: 3405, 111.0: 3406}
_WGS84_UTM_BY_MERIDIAN = {105.0: 32648, 111.0: 32649}

# Mainland, Phú Quốc, Thổ Chu, Hoàng Sa and Trường Sa; (min lon, min lat, max lon, max lat).
VIETNAM_BBOX = (102.0, 6.0, 118.0, 23.5)


class CRSError(ValueError):
    """A coordinate reference system that is missing, unknown or contradictory (Vietnamese)."""


def accepted_crs_text() -> str:
    """The accepted codes in a few groups, for messages (ACCEPTED_CRS has one label each)."""
    return (
        "EPSG:4326 (WGS 84 kinh độ/vĩ độ), EPSG:32648/32649 (WGS 84 UTM), "
        "EPSG:4756 (VN-2000 kinh độ/vĩ độ), EPSG:3405/3406 (VN-2000 UTM 48N/49N), "
        "EPSG:5896–5899 và EPSG:9205–9218 (VN-2000 TM-3, ví dụ EPSG:9210 kinh tuyến trục "
        "105°45' Hải Phòng, EPSG:5897 105°00' Hà Nội, EPSG:5899 107°45' Đà Nẵng, Quảng Ninh)"
    )


def missing_crs_error() -> CRSError:
    return CRSError(
        "Không biết hệ tọa độ của dữ liệu: hãy chọn hệ tọa độ khi nhập, hoặc thêm cột "
        f"'crs'/'srid' hay tệp .prj. Các hệ được chấp nhận: {accepted_crs_text()}."
    )


def unknown_crs_error(value: object) -> CRSError:
    return CRSError(
        f"Hệ tọa độ «{value}» không được hỗ trợ. Các hệ được chấp nhận: {accepted_crs_text()}."
    )


_EPSG_FORMS = (
    re.compile(r"^(?:epsg\s*[:=]?\s*)?(\d{4,5})$"),
    re.compile(r"^urn:ogc:def:crs:epsg:[^:]*:(\d{4,5})$"),
    re.compile(r"^https?://www\.opengis\.net/def/crs/epsg/[^/]+/(\d{4,5})$"),
)
_CRS84_FORMS = frozenset(
    {
        "crs84",
        "ogc:crs84",
        "urn:ogc:def:crs:ogc:1.3:crs84",
        "urn:ogc:def:crs:ogc::crs84",
        "http://www.opengis.net/def/crs/ogc/1.3/crs84",
        "https://www.opengis.net/def/crs/ogc/1.3/crs84",
        "wgs84",
        "wgs 84",
        "wgs-84",
    }
)
_MERIDIAN = re.compile(r"(1\d\d)\s*(?:°|o|do|d|-|\s|:|\.)\s*(\d{1,2})?")


def parse_crs(value: str | int | None) -> int:
    """Read a CRS as staff or files write it ('EPSG:9210', '9210', a URN, 'VN-2000 TM-3 105-45').

    Returns an accepted EPSG code; raises CRSError naming the accepted codes otherwise.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise missing_crs_error()
    if isinstance(value, int):
        code = value
    else:
        text = fold(str(value))
        if text in _CRS84_FORMS:
            return WGS84
        code = None
        for pattern in _EPSG_FORMS:
            match = pattern.match(text)
            if match:
                code = int(match.group(1))
                break
        if code is None:
            code = _code_from_vn2000_text(text)
    if code is None or code not in ACCEPTED_CRS:
        raise unknown_crs_error(value)
    return code


def _code_from_vn2000_text(text: str) -> int | None:
    compact = text.replace(" ", "").replace("_", "").replace("-", "")
    if "vn2000" not in compact:
        return None
    if "utm" in compact:
        if "48" in compact:
            return 3405
        if "49" in compact:
            return 3406
        return None
    after = text.split("2000", 1)[1]
    match = _MERIDIAN.search(after)
    if match is None:
        return None
    meridian = int(match.group(1)) + int(match.group(2) or 0) / 60
    return _TM3_BY_MERIDIAN.get(round(meridian, 4))


def identify_crs(crs: CRS | None) -> tuple[int | None, str | None]:
    """Match a file's CRS (e.g. from a .prj) to an accepted EPSG code.

    Returns (code, note); code is None when nothing accepted matches. The note says when the
    match was made from projection parameters rather than an EPSG identifier.
    """
    if crs is None:
        return None, None
    code = crs.to_epsg(min_confidence=70)
    if code in ACCEPTED_CRS:
        return code, None
    if code is not None:
        return None, None
    guessed = _match_by_parameters(crs)
    if guessed is None:
        return None, None
    return guessed, f"hệ tọa độ trong tệp được nhận dạng theo tham số là EPSG:{guessed}"


def _match_by_parameters(crs: CRS) -> int | None:
    """Recognise VN-2000/WGS 84 .prj files that carry no EPSG identifier.

    Vietnamese GIS software often writes a TOWGS84 clause instead of a datum name; its own
    parameters are ignored, the EPSG transformation is used for the matched code.
    """
    base = crs.source_crs if crs.is_bound and crs.source_crs is not None else crs
    if base.ellipsoid is None or abs(base.ellipsoid.semi_major_metre - 6378137.0) > 0.5:
        return None  # VN-2000 and WGS 84 both use the WGS 84 ellipsoid
    name = fold(base.name or "") + " " + fold(base.datum.name if base.datum else "")
    is_vn2000 = ("2000" in name and "vn" in name.replace("viet", "vn")) or (
        crs.is_bound and _is_vn2000_shift(crs)
    )
    is_wgs84 = not is_vn2000 and not crs.is_bound and "wgs" in name and "84" in name
    if base.is_geographic:
        return VN2000 if is_vn2000 else (WGS84 if is_wgs84 else None)
    params = _tmerc_parameters(base)
    if params is None or params.get("false_easting") != 500000 or params.get("false_northing"):
        return None
    meridian = round(float(params.get("lon_0", -1)), 4)
    scale = round(float(params.get("k", 0)), 4)
    if is_vn2000 and scale == 0.9999:
        return _TM3_BY_MERIDIAN.get(meridian)
    if is_vn2000 and scale == 0.9996:
        return _UTM_BY_MERIDIAN.get(meridian)
    if is_wgs84 and scale == 0.9996:
        return _WGS84_UTM_BY_MERIDIAN.get(meridian)
    return None


def _is_vn2000_shift(crs: CRS) -> bool:
    """True when a bound CRS's TOWGS84 translation is VN-2000's (about -192, -39, -111 m)."""
    operation = crs.coordinate_operation
    if operation is None:
        return False
    shifts = [p.value for p in operation.params if "translation" in p.name.lower()]
    expected = (-192.0, -39.3, -111.3)
    return len(shifts) == 3 and all(abs(a - b) < 2.0 for a, b in zip(shifts, expected, strict=True))


def _tmerc_parameters(crs: CRS) -> dict[str, float] | None:
    operation = crs.coordinate_operation
    if operation is None or "transverse mercator" not in (operation.method_name or "").lower():
        return None
    out: dict[str, float] = {}
    for param in operation.params:
        key = param.name.lower()
        if "longitude of natural origin" in key:
            out["lon_0"] = param.value
        elif "scale factor" in key:
            out["k"] = param.value
        elif "false easting" in key:
            out["false_easting"] = param.value
        elif "false northing" in key:
            out["false_northing"] = param.value
    return out


@dataclass(frozen=True)
class Conversion:
    """How coordinates in one accepted CRS become WGS84 longitude/latitude."""

    epsg: int
    crs_name: str
    operation: str
    accuracy_m: float | None
    geographic: bool
    area_of_use: tuple[float, float, float, float] | None
    _transformer: Any = field(repr=False, compare=False, default=None)

    def transform(self, xs: Sequence[float], ys: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
        """Convert arrays of x (easting or longitude) and y to WGS84 longitudes and latitudes."""
        import numpy as np

        x = np.asarray(xs, dtype=float)
        y = np.asarray(ys, dtype=float)
        if self._transformer is None:
            return x, y
        lon, lat = self._transformer.transform(x, y, errcheck=False)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def describe(self) -> str:
        """One line for staff: the EPSG operation and its stated accuracy."""
        accuracy = (
            "chính xác (không đổi datum)"
            if self.accuracy_m in (None, 0.0)
            else f"độ chính xác ~{self.accuracy_m:g} m"
        )
        return f"EPSG:{self.epsg} {self.crs_name} → WGS 84: {self.operation}; {accuracy}"


@lru_cache(maxsize=64)
def conversion_to_wgs84(epsg: int) -> Conversion:
    """The EPSG transformation from an accepted CRS to WGS84 (lon/lat order), grid-free."""
    if epsg not in ACCEPTED_CRS:
        raise unknown_crs_error(f"EPSG:{epsg}")
    from pyproj import CRS
    from pyproj.transformer import TransformerGroup

    source = CRS.from_epsg(epsg)
    area = source.area_of_use.bounds if source.area_of_use else None
    if epsg == WGS84:
        return Conversion(epsg, source.name, "không cần chuyển đổi", None, True, area)
    group = TransformerGroup(
        source, CRS.from_epsg(WGS84), always_xy=True, allow_ballpark=False, allow_superseded=False
    )
    usable = [t for t in group.transformers if "grids=" not in t.definition]
    preferred = [t for t in usable if _uses_operation(t.to_json_dict(), VN2000_TO_WGS84_OPERATION)]
    chosen = (preferred or usable or [None])[0]
    if chosen is None:
        raise CRSError(
            f"Không có phép chuyển đổi EPSG từ EPSG:{epsg} sang WGS 84 (không dùng lưới)."
        )
    accuracy = chosen.accuracy if chosen.accuracy is not None and chosen.accuracy >= 0 else None
    operation = chosen.description.replace(" + axis order change (2D)", "").replace(
        "axis order change (2D) + ", ""
    )
    return Conversion(
        epsg, source.name, operation, accuracy, source.is_geographic, area, _transformer=chosen
    )


def _uses_operation(node: object, code: int) -> bool:
    if isinstance(node, dict):
        ident = node.get("id")
        if (
            isinstance(ident, dict)
            and ident.get("authority") == "EPSG"
            and ident.get("code") == code
        ):
            return True
        return any(_uses_operation(value, code) for value in node.values())
    if isinstance(node, list):
        return any(_uses_operation(value, code) for value in node)
    return False


def in_vietnam(lon: float, lat: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = VIETNAM_BBOX
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat
