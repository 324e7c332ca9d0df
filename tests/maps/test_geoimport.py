"""Importing relic points and ward boundaries: what staff see in the dry-run report."""

import io
import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from pyproj import Transformer
from shapely.geometry import Point, Polygon, box

from maps.geoimport import read_geodata
from maps.georead import parse_number

TO_9210 = Transformer.from_crs(4326, 9210, always_xy=True)
DONG_KHE = (106.6949, 20.8561)  # lon, lat: Ngô Quyền, Hải Phòng


def _csv(text: str, name: str = "di-tich.csv", **kwargs):
    return read_geodata(io.BytesIO(text.encode("utf-8")), filename=name, **kwargs)


def _geojson(document: dict, **kwargs):
    data = json.dumps(document, ensure_ascii=False).encode()
    return read_geodata(io.BytesIO(data), filename="lop.geojson", **kwargs)


def _feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _square(lon: float, lat: float, size: float = 0.01) -> list[list[float]]:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_in_tm3_converts_to_wgs84_and_matches_existing_codes():
    x, y = TO_9210.transform(*DONG_KHE)
    report = _csv(
        "Mã,Tên di tích,Loại hình,Xếp hạng,Phường,X,Y\n"
        f"DT01,Đình Đông Khê,Đình,Di tích quốc gia,Đông Khê,{x:.2f},{y:.2f}\n"
        f"DT02,Chùa Vẽ,Chùa,Cấp thành phố,Đông Hải 1,{x + 500:.2f},{y + 300:.2f}\n",
        crs="EPSG:9210",
        existing_keys={"dt01"},
    )
    assert report.ok, report.summary()
    first, second = report.rows
    assert (first.label, first.action, second.action) == ("dòng 2", "update", "create")
    assert first.geometry["type"] == "Point"
    lon, lat = first.geometry["coordinates"]
    assert (lon, lat) == pytest.approx(DONG_KHE, abs=2e-6)
    assert first.attributes["name"] == "Đình Đông Khê"
    assert first.attributes["ranking"] == "quoc_gia"
    assert first.attributes["type"] == "dinh"
    assert second.attributes["ranking"] == "cap_tinh"
    assert "VN-2000 to WGS 84 (2)" in report.summary()


def test_csv_with_swapped_lon_lat_columns_names_the_row():
    report = _csv(
        "ma,ten,lon,lat\nDT01,Đình A,106.69,20.85\nDT02,Đình B,20.86,106.70\n", crs="EPSG:4326"
    )
    assert not report.ok
    assert report.rows[0].action == "create"
    bad = report.rows[1]
    assert bad.action == "skip"
    assert bad.label == "dòng 3"
    assert "bị đảo kinh độ và vĩ độ" in bad.reason
    assert "dòng 3" in report.summary()


def test_csv_with_surveyors_x_northing_is_reported_as_swapped():
    x, y = TO_9210.transform(*DONG_KHE)
    report = _csv(f"ma,ten,x,y\nDT01,Đình A,{y:.2f},{x:.2f}\n", crs="9210")
    assert "bị đảo X và Y" in report.rows[0].reason


def test_csv_out_of_range_coordinates():
    report = _csv("ma,ten,kinh_do,vi_do\nDT01,Đình A,200.5,95.1\n", crs="EPSG:4326")
    assert "ngoài phạm vi" in report.rows[0].reason
    assert report.rows[0].label == "dòng 2"


def test_csv_projected_numbers_under_a_geographic_crs_get_a_hint():
    report = _csv("ma,ten,x,y\nDT01,Đình A,592000,2306000\n", crs="EPSG:4326")
    assert "tọa độ phẳng" in report.rows[0].reason


def test_csv_point_outside_vietnam():
    report = _csv("ma,ten,lon,lat\nDT01,Đình A,2.35,48.85\n", crs="EPSG:4326")
    assert "ngoài lãnh thổ Việt Nam" in report.rows[0].reason


def test_csv_without_any_crs_is_refused_naming_accepted_codes():
    report = _csv("ma,ten,x,y\nDT01,Đình A,592000,2306000\n")
    assert not report.ok and not report.rows
    assert "Không biết hệ tọa độ" in report.errors[0]
    assert "EPSG:9210" in report.errors[0]


def test_csv_crs_column_per_row_and_unknown_code_in_one_row():
    x, y = TO_9210.transform(*DONG_KHE)
    report = _csv(
        "ma,ten,x,y,srid\n"
        f"DT01,Đình A,{x:.2f},{y:.2f},9210\n"
        f"DT02,Đình B,{DONG_KHE[0]},{DONG_KHE[1]},EPSG:4326\n"
        f"DT03,Đình C,{x:.2f},{y:.2f},EPSG:3857\n"
    )
    assert [row.action for row in report.rows] == ["create", "create", "skip"]
    assert report.rows[0].source_crs == 9210 and report.rows[1].source_crs == 4326
    assert "«EPSG:3857» không được hỗ trợ" in report.rows[2].reason


def test_csv_bad_number_duplicate_code_missing_name_and_blank_rows():
    report = _csv(
        "ma;ten;lon;lat\n"
        "DT01;Đình A;106,69;20,85\n"  # decimal commas, semicolon-separated (Excel in Vietnamese)
        ";;;\n"
        "DT02;Đình B;abc;20.85\n"
        "DT01;Đình C;106.70;20.86\n"
        "DT04;;106.70;20.86\n",
        crs="EPSG:4326",
    )
    rows = {row.number: row for row in report.rows}
    assert rows[2].action == "create"
    assert rows[2].geometry["coordinates"] == [106.69, 20.85]
    assert rows[3].blank and rows[3].reason == "dòng trống"
    assert "«abc» ở cột «lon» không phải là số" in rows[4].reason
    assert "trùng mã với dòng 2" in rows[5].reason
    assert "thiếu tên" in rows[6].reason
    assert report.counts() == {"create": 1, "update": 0, "skip": 3, "outside": 0, "invalid": 0}


def test_csv_wkt_boundaries_with_unclosed_and_self_intersecting_rings():
    report = _csv(
        "ma,ten,wkt\n"
        'P1,Đông Khê,"POLYGON ((106.68 20.85, 106.69 20.85, 106.69 20.86, 106.68 20.86, '
        '106.68 20.85))"\n'
        'P2,Cầu Đất,"POLYGON ((106.68 20.85, 106.69 20.85, 106.69 20.86))"\n'
        'P3,Lạch Tray,"POLYGON ((106.68 20.85, 106.69 20.86, 106.69 20.85, 106.68 20.86, '
        '106.68 20.85))"\n',
        kind="boundaries",
        crs="EPSG:4326",
    )
    rows = report.rows
    assert rows[0].action == "create"
    assert "dòng 3" == rows[1].label and "chưa khép kín" in rows[1].reason
    assert "tự cắt nhau" in rows[2].reason and "106.685000, 20.855000" in rows[2].reason
    assert [row.label for row in report.invalid] == ["dòng 3", "dòng 4"]


def test_points_file_imported_as_boundaries_is_refused_per_row():
    report = _csv("ma,ten,lon,lat\nP1,Đông Khê,106.69,20.85\n", kind="boundaries", crs=4326)
    assert "cần một vùng (Polygon/MultiPolygon), nhưng gặp Point" in report.rows[0].reason


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("106.6949", 106.6949),
        ("106,6949", 106.6949),
        ("20°51'22\"", 20 + 51 / 60 + 22 / 3600),
        ("2 306 000,5", 2306000.5),
        ("106° 41′ 41.6″ E", 106 + 41 / 60 + 41.6 / 3600),
    ],
)
def test_parse_number_reads_what_staff_type(text, value):
    assert parse_number(text) == pytest.approx(value)


# --- GeoJSON -----------------------------------------------------------------------------------


def test_geojson_boundaries_report_unclosed_ring_with_feature_number():
    report = _geojson(
        {
            "type": "FeatureCollection",
            "features": [
                _feature(
                    {"type": "Polygon", "coordinates": [_square(106.68, 20.85)]},
                    ma="P1",
                    ten="Đông Khê",
                ),
                _feature(
                    {"type": "Polygon", "coordinates": [_square(106.70, 20.85)[:-1]]},
                    ma="P2",
                    ten="Cầu Đất",
                ),
            ],
        },
        kind="boundaries",
    )
    assert report.rows[0].action == "create"
    bad = report.rows[1]
    assert bad.label == "đối tượng số 2"
    assert "vòng ngoài chưa khép kín" in bad.reason
    assert bad.invalid_geometry and not report.ok


def test_geojson_boundary_comes_out_counter_clockwise_and_rounded():
    clockwise = [
        [106.68, 20.85],
        [106.68, 20.86],
        [106.6912345678, 20.86],
        [106.69, 20.85],
        [106.68, 20.85],
    ]
    report = _geojson(
        {
            "type": "FeatureCollection",
            "features": [
                _feature({"type": "Polygon", "coordinates": [clockwise]}, ma="P1", ten="A")
            ],
        },
        kind="boundaries",
    )
    ring = report.rows[0].geometry["coordinates"][0]
    assert Polygon(ring).exterior.is_ccw  # RFC 7946 right-hand rule
    assert [106.691235, 20.86] in ring


def test_geojson_with_legacy_crs_member_in_vn2000():
    x, y = TO_9210.transform(*DONG_KHE)
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9210"}},
        "features": [_feature({"type": "Point", "coordinates": [x, y]}, code="DT01", name="Đình")],
    }
    report = _geojson(document)
    assert report.rows[0].geometry["coordinates"] == pytest.approx(list(DONG_KHE), abs=2e-6)
    conflicting = _geojson(document, crs="EPSG:5897")
    assert "EPSG:9210" in conflicting.errors[0] and "EPSG:5897" in conflicting.errors[0]


def test_geojson_swapped_lat_lon():
    report = _geojson(
        _feature({"type": "Point", "coordinates": [20.85, 106.69]}, code="A", name="B")
    )
    assert "bị đảo kinh độ và vĩ độ" in report.rows[0].reason
    assert report.rows[0].label == "đối tượng số 1"


def test_geojson_syntax_error_says_where():
    report = read_geodata(
        io.BytesIO(b'{"type": "FeatureCollection",\n "features": [}'), filename="x.geojson"
    )
    assert report.errors == ["Tệp GeoJSON sai cú pháp JSON ở dòng 2, cột 15."]


def test_district_boundary_flags_points_outside():
    district = box(106.66, 20.83, 106.72, 20.88)
    report = _csv(
        "ma,ten,lon,lat\nDT01,Trong,106.69,20.85\nDT02,Ngoài,106.80,20.95\n",
        crs="EPSG:4326",
        district_boundary=district,
    )
    assert [row.outside_district for row in report.rows] == [False, True]
    assert "nằm ngoài ranh giới huyện" in report.rows[1].reason
    assert report.counts()["outside"] == 1
    relaxed = _csv("ma,ten,lon,lat\nDT02,Ngoài,106.80,20.95\n", crs=4326)
    assert [row.label for row in relaxed.points_outside(district)] == ["dòng 2"]
    assert relaxed.points_outside(district, tolerance_m=20_000) == []


# --- Shapefile ---------------------------------------------------------------------------------


def _write_shapefile(frame, folder: Path, name: str = "phuong") -> dict[str, bytes]:
    frame.to_file(folder / f"{name}.shp", engine="pyogrio")
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.stem == name}


def _zip(parts: dict[str, bytes], folder: str = "") -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(folder + name, data)
    buffer.seek(0)
    buffer.name = "phuong.zip"
    return buffer


@pytest.fixture
def wards_shapefile(tmp_path):
    import geopandas as gpd

    def projected(lon, lat):
        return Polygon([TO_9210.transform(*p) for p in _square(lon, lat)])

    frame = gpd.GeoDataFrame(
        {"MA_PHUONG": ["P1", "P2"], "TEN_PHUONG": ["Đông Khê", "Cầu Đất"]},
        geometry=[projected(106.68, 20.85), projected(106.70, 20.85)],
        crs="EPSG:9210",
    )
    return _write_shapefile(frame, tmp_path)


def test_zipped_shapefile_written_by_geopandas_reads_back(wards_shapefile):
    report = read_geodata(_zip(wards_shapefile, "ranh-gioi/"), kind="boundaries")
    assert report.ok, report.summary()
    assert report.format == "Shapefile"
    assert [row.attributes["name"] for row in report.rows] == ["Đông Khê", "Cầu Đất"]
    assert [row.key for row in report.rows] == ["p1", "p2"]
    west, south = Polygon(report.rows[0].geometry["coordinates"][0]).bounds[:2]
    assert (west, south) == pytest.approx((106.68, 20.85), abs=1e-5)
    assert report.rows[0].label == "đối tượng số 1 (FID 0)"


@pytest.mark.parametrize("missing", [".shx", ".dbf"])
def test_shapefile_missing_part_is_named(wards_shapefile, missing):
    parts = {k: v for k, v in wards_shapefile.items() if not k.endswith(missing)}
    report = read_geodata(_zip(parts), kind="boundaries")
    assert report.errors == [
        f"Shapefile «phuong» thiếu tệp phuong{missing}: hãy nén đủ các tệp .shp, .shx, .dbf "
        "(và .prj) cùng tên."
    ]


def test_corrupt_shapefile_is_refused_cleanly(wards_shapefile):
    parts = dict(wards_shapefile, **{"phuong.shp": b"\x00" * 40})
    report = read_geodata(_zip(parts), kind="boundaries")
    assert report.errors and report.errors[0].startswith("Shapefile bị hỏng hoặc không đọc được")
    assert not report.rows


def test_shapefile_without_prj_needs_a_crs(wards_shapefile):
    parts = {k: v for k, v in wards_shapefile.items() if not k.endswith(".prj")}
    assert "Không biết hệ tọa độ" in read_geodata(_zip(parts), kind="boundaries").errors[0]
    chosen = read_geodata(_zip(parts), kind="boundaries", crs="EPSG:9210")
    assert chosen.ok, chosen.summary()


def test_zip_that_is_not_a_zip_and_bare_shp():
    assert read_geodata(io.BytesIO(b"PK\x03\x04 rubbish"), filename="a.zip").errors == [
        "Tệp .zip bị hỏng hoặc không phải tệp zip."
    ]
    bare = read_geodata(io.BytesIO(b"x"), filename="phuong.shp")
    assert "nén các tệp .shp, .shx, .dbf và .prj" in bare.errors[0]


def test_shapefile_with_unclosed_ring_names_the_feature(tmp_path):
    import pyogrio

    square = struct.pack("<BIII", 1, 3, 1, 5) + struct.pack(
        "<10d", *sum(_square(106.68, 20.85), [])
    )
    open_ring = struct.pack("<BIII", 1, 3, 1, 3) + struct.pack(
        "<6d", 106.70, 20.85, 106.71, 20.85, 106.71, 20.86
    )
    pyogrio.raw.write(
        tmp_path / "phuong.shp",
        geometry=np.array([square, open_ring], dtype=object),
        field_data=[np.array(["P1", "P2"], dtype=object), np.array(["A", "B"], dtype=object)],
        fields=["ma", "ten"],
        geometry_type="Polygon",
        crs="EPSG:4326",
        driver="ESRI Shapefile",
    )
    parts = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    report = read_geodata(_zip(parts), kind="boundaries")
    assert report.rows[0].action == "create"
    assert report.rows[1].label == "đối tượng số 2 (FID 1)"
    assert "chưa khép kín" in report.rows[1].reason


def test_zip_with_two_layers_is_refused(wards_shapefile):
    parts = dict(wards_shapefile)
    parts.update({k.replace("phuong", "khac"): v for k, v in wards_shapefile.items()})
    report = read_geodata(_zip(parts), kind="boundaries")
    assert "nhiều lớp (khac.shp, phuong.shp)" in report.errors[0]


def test_points_file_with_relic_shapefile(tmp_path):
    import geopandas as gpd

    x, y = TO_9210.transform(*DONG_KHE)
    frame = gpd.GeoDataFrame(
        {
            "MA_DI_TICH": ["DT01"],
            "TEN_DI_TIC": ["Đình Đông Khê"],
            "XEP_HANG": ["Quốc gia đặc biệt"],
        },
        geometry=[Point(x, y)],
        crs="EPSG:9210",
    )
    report = read_geodata(_zip(_write_shapefile(frame, tmp_path, "di_tich")))
    row = report.rows[0]
    assert report.ok, report.summary()
    assert (row.attributes["code"], row.attributes["name"]) == ("DT01", "Đình Đông Khê")
    assert row.attributes["ranking"] == "quoc_gia_dac_biet"


def test_unsupported_format_is_named():
    report = read_geodata(io.BytesIO(b"<kml/>"), filename="a.kml")
    assert "Không hỗ trợ định dạng «.kml»" in report.errors[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.geojson", b"[" * 5000 + b"]" * 5000),
        (
            "a.geojson",
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", '
            b'"geometry": {"type": "Polygon", "coordinates": [[[1e400, 0], [0, 0]]]}}]}',
        ),
        (
            "a.geojson",
            b'{"type": "Feature", "geometry": {"type": "Point", "coordinates": '
            b'[106.7, true]}, "properties": []}',
        ),
        ("a.csv", bytes(range(256)) * 20),
        ("a.csv", b""),
        ("a.geojson", b"\xff\xfe\x00garbage"),
        ("a.zip", b""),
    ],
)
def test_hostile_or_broken_files_give_a_message_not_an_exception(name, data):
    report = read_geodata(io.BytesIO(data), filename=name, crs="EPSG:4326")
    assert not report.ok
    messages = report.errors + [p for row in report.rows for p in row.problems]
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_zip_member_paths_never_reach_the_file_system(tmp_path, wards_shapefile):
    parts = {f"../../{k}": v for k, v in wards_shapefile.items()}
    report = read_geodata(_zip(parts), kind="boundaries")
    assert report.ok, report.summary()
    assert not (tmp_path.parent / "phuong.shp").exists()
