"""VN-2000 conversions: EPSG operations, no grids, and agreement with an independent computation."""

import math

import numpy as np
import pytest
from pyproj import CRS, Transformer

from maps.crs import (
    ACCEPTED_CRS,
    CRSError,
    conversion_to_wgs84,
    identify_crs,
    parse_crs,
)

# EPSG:6960 "VN-2000 to WGS 84 (2)" — the published parameters of Decision 05/2007/QĐ-BTNMT
# (coordinate frame rotation): metres, arc-seconds, parts per million.
HELMERT = (
    -191.90441429,
    -39.30318279,
    -111.45032835,
    -0.00928836,
    0.01975479,
    -0.00427372,
    0.252906278,
)
A, F = 6378137.0, 1 / 298.257223563  # VN-2000 and WGS 84 share the WGS 84 ellipsoid


def _to_ecef(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    e2 = F * (2 - F)
    n = A / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    return np.array(
        [
            n * math.cos(phi) * math.cos(lam),
            n * math.cos(phi) * math.sin(lam),
            n * (1 - e2) * math.sin(phi),
        ]
    )


def _from_ecef(xyz):
    x, y, z = xyz
    e2 = F * (2 - F)
    lon = math.atan2(y, x)
    p = math.hypot(x, y)
    lat = math.atan2(z, p * (1 - e2))
    for _ in range(10):
        n = A / math.sqrt(1 - e2 * math.sin(lat) ** 2)
        lat = math.atan2(z + e2 * n * math.sin(lat), p)
    return math.degrees(lon), math.degrees(lat)


def _vn2000_to_wgs84(lon, lat):
    """The 7-parameter shift written out by hand, independent of PROJ's Helmert step."""
    tx, ty, tz, rx, ry, rz, s = HELMERT
    rx, ry, rz = (math.radians(v / 3600) for v in (rx, ry, rz))
    rotation = np.array([[1, rz, -ry], [-rz, 1, rx], [ry, -rx, 1]])  # coordinate frame
    xyz = np.array([tx, ty, tz]) + (1 + s * 1e-6) * rotation @ _to_ecef(lon, lat)
    return _from_ecef(xyz)


def _distance_m(a, b):
    dlat = math.radians(b[1] - a[1])
    dlon = math.radians(b[0] - a[0]) * math.cos(math.radians(a[1]))
    return 6371000 * math.hypot(dlat, dlon)


@pytest.mark.parametrize(
    ("epsg", "meridian", "easting", "northing"),
    [
        (9210, 105.75, 592000.0, 2306000.0),  # Hải Phòng, near Ngô Quyền
        (5897, 105.0, 585000.0, 2326000.0),  # Hà Nội, near Gia Lâm
        (5899, 107.75, 553000.0, 1771000.0),  # Đà Nẵng
    ],
)
def test_tm3_point_agrees_with_hand_written_helmert(epsg, meridian, easting, northing):
    # Projection only (no datum step) through an explicit tmerc on the WGS 84 ellipsoid…
    inverse_tm = Transformer.from_pipeline(
        f"+proj=pipeline +step +inv +proj=tmerc +lat_0=0 +lon_0={meridian} +k=0.9999 "
        "+x_0=500000 +y_0=0 +ellps=WGS84 +step +proj=unitconvert +xy_in=rad +xy_out=deg"
    )
    vn_lon, vn_lat = inverse_tm.transform(easting, northing)
    expected = _vn2000_to_wgs84(vn_lon, vn_lat)
    # …then compare with what the import uses: pyproj's EPSG operation.
    lon, lat = conversion_to_wgs84(epsg).transform([easting], [northing])
    assert _distance_m(expected, (lon[0], lat[0])) < 0.05
    # VN-2000 and WGS 84 differ by a few hundred metres, so a skipped datum shift is caught.
    assert _distance_m((vn_lon, vn_lat), (lon[0], lat[0])) > 100


def test_tm3_round_trip_is_millimetre_exact():
    forward = Transformer.from_crs(4326, 9210, always_xy=True)
    x, y = forward.transform(106.6949, 20.8561)
    lon, lat = conversion_to_wgs84(9210).transform([x], [y])
    assert _distance_m((106.6949, 20.8561), (lon[0], lat[0])) < 0.001


@pytest.mark.parametrize("epsg", sorted(ACCEPTED_CRS))
def test_every_accepted_crs_converts_without_grids(epsg):
    conversion = conversion_to_wgs84(epsg)
    if conversion._transformer is not None:
        assert "grids=" not in conversion._transformer.definition
    if CRS.from_epsg(epsg).datum.name.startswith("Vietnam"):
        assert "VN-2000 to WGS 84 (2)" in conversion.operation
        assert conversion.accuracy_m == 1.0


def test_mekong_delta_uses_the_same_nationwide_operation():
    # PROJ alone would switch to EPSG:5194 inside the oil blocks; ours does not.
    lon, lat = conversion_to_wgs84(4756).transform([105.8], [10.0])
    expected = _vn2000_to_wgs84(105.8, 10.0)
    assert _distance_m(expected, (lon[0], lat[0])) < 0.05


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("EPSG:9210", 9210),
        ("9210", 9210),
        ("epsg 5897", 5897),
        ("urn:ogc:def:crs:EPSG::5899", 5899),
        ("http://www.opengis.net/def/crs/EPSG/0/3405", 3405),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", 4326),
        ("VN-2000 TM-3 105-45", 9210),
        ("VN2000 kinh tuyến trục 105°00'", 5897),
        ("VN-2000 UTM 49", 3406),
    ],
)
def test_parse_crs_reads_how_staff_and_files_write_it(text, code):
    assert parse_crs(text) == code


@pytest.mark.parametrize("text", ["EPSG:3857", "VN-2000", "Hà Nội", "EPSG:2154"])
def test_unknown_crs_is_refused_with_the_accepted_codes(text):
    with pytest.raises(CRSError) as error:
        parse_crs(text)
    message = str(error.value)
    assert "không được hỗ trợ" in message
    assert "EPSG:9210" in message and "EPSG:5897" in message and "EPSG:4756" in message


def test_missing_crs_is_refused():
    with pytest.raises(CRSError, match="Không biết hệ tọa độ"):
        parse_crs(None)


def test_prj_with_towgs84_and_no_epsg_code_is_recognised():
    custom = CRS.from_proj4(
        "+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
        "+towgs84=-191.90441,-39.30318,-111.45032,0.00928836,-0.01975479,0.00427372,0.252906278"
    )
    code, note = identify_crs(custom)
    assert code == 9210
    assert "EPSG:9210" in note


def test_prj_on_another_ellipsoid_is_not_guessed():
    bessel = CRS.from_proj4("+proj=tmerc +lon_0=105.75 +k=0.9999 +x_0=500000 +ellps=bessel")
    assert identify_crs(bessel) == (None, None)
