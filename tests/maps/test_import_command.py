"""manage.py import_geodata: a dry run first, then all rows in one transaction (or none)."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from pyproj import Transformer

from content.models import RelicPage
from maps.models import GeoImport, WardBoundary

HEADER = "Mã,Tên di tích,Loại hình,Xếp hạng,Phường,Kinh độ,Vĩ độ\n"
MOVE_DT01 = "DT01,Đình Đông Khê,Đình,Quốc gia,Đông Khê,106.681234,20.861234\n"
NEW_RELIC = ",Miếu Bà,Miếu,,Lạch Tray,106.703,20.858\n"


def run(tmp_path, text, *args, name="di-tich.csv", crs="4326"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    out = io.StringIO()
    if crs and "--crs" not in args:
        args = (*args, "--crs", crs)
    call_command("import_geodata", str(path), *args, stdout=out)
    return out.getvalue()


def coords(relic):
    relic.refresh_from_db()
    return relic.latitude, relic.longitude


def test_dry_run_reports_each_row_and_writes_nothing(tmp_path, geo_district):
    before = RelicPage.objects.count()
    out = run(tmp_path, HEADER + MOVE_DT01 + NEW_RELIC, "--kind", "points", "--dry-run")
    assert "tạo mới 1, cập nhật 1, bỏ qua 0" in out
    assert "dòng 2" in out and "update" in out and "dòng 3" in out and "create" in out
    assert RelicPage.objects.count() == before
    assert coords(geo_district["relics"][0]) == (Decimal("20.860000"), Decimal("106.680000"))
    assert not GeoImport.objects.exists()


def test_import_publishes_moves_and_creates_drafts_for_review(tmp_path, geo_district):
    dinh = geo_district["relics"][0]
    revisions = dinh.revisions.count()
    out = run(tmp_path, HEADER + MOVE_DT01 + NEW_RELIC, "--kind", "points")
    assert "tạo mới 1, cập nhật 1" in out
    assert coords(dinh) == (Decimal("20.861234"), Decimal("106.681234"))
    assert dinh.live and not dinh.has_unpublished_changes
    assert dinh.revisions.count() == revisions + 1  # the history keeps the move
    new = RelicPage.objects.get(title="Miếu Bà")
    assert not new.live and new.relic_type == "mieu" and new.ranking == "kiem_ke"
    assert new.get_parent().specific == geo_district["wards"][1]
    assert GeoImport.objects.get().status == "done"
    # Run again: nothing left to change, no new revision.
    again = run(tmp_path, HEADER + MOVE_DT01, "--kind", "points")
    assert "không đổi 1" in again and dinh.revisions.count() == revisions + 1


@pytest.mark.parametrize(
    ("bad_row", "where", "says"),
    [
        ("DT02,Chùa Phổ Chiếu,Chùa,,Đông Khê,20.8650,106.6850\n", "dòng 3", "đảo"),
        ("DT02,Chùa Phổ Chiếu,Chùa,,Đông Khê,106.6850,95.5\n", "dòng 3", "vĩ độ"),
        ("DT02,Chùa Phổ Chiếu,Chùa,,Đông Khê,105.2,21.5\n", "dòng 3", "ngoài ranh giới huyện"),
        (",Đình Lạ,Đình,,Phường Không Có,106.68,20.86\n", "dòng 3", "không có phường/xã"),
    ],
)
def test_one_bad_row_imports_nothing(tmp_path, geo_district, bad_row, where, says):
    dinh = geo_district["relics"][0]
    with pytest.raises(CommandError, match="Chưa nhập gì"):
        run(tmp_path, HEADER + MOVE_DT01 + bad_row, "--kind", "points")
    assert coords(dinh) == (Decimal("20.860000"), Decimal("106.680000"))
    out = run(tmp_path, HEADER + MOVE_DT01 + bad_row, "--kind", "points", "--dry-run")
    assert out.rstrip().endswith("Chạy thử: chưa ghi gì.")
    line = next(line for line in out.splitlines() if line.startswith(f"{where}:"))
    assert says in line, out


def test_skip_bad_rows_imports_the_good_ones(tmp_path, geo_district):
    bad = "DT02,Chùa Phổ Chiếu,Chùa,,Đông Khê,20.8650,106.6850\n"
    out = run(tmp_path, HEADER + MOVE_DT01 + bad, "--kind", "points", "--skip-bad-rows")
    # What it says agrees with what it did: the bad row is left out, the good one imported.
    assert "Chưa nhập gì" not in out
    assert "1 dòng lỗi ở trên sẽ bị bỏ qua; các dòng còn lại được nhập." in out
    assert (
        "Đã nhập: tạo mới 0, cập nhật 1, không đổi 0; bỏ qua 1 dòng lỗi, không nhập (dòng 3)" in out
    )
    assert coords(geo_district["relics"][0])[0] == Decimal("20.861234")
    assert coords(geo_district["relics"][1])[0] == Decimal("20.865000")


def test_a_pending_draft_gets_the_move_and_waits_for_review(tmp_path, geo_district):
    dinh = geo_district["relics"][0]
    dinh.summary = "Bản nháp chưa duyệt"
    dinh.save_revision()
    out = run(tmp_path, HEADER + MOVE_DT01, "--kind", "points")
    assert "chờ duyệt 1" in out
    assert coords(dinh) == (Decimal("20.860000"), Decimal("106.680000"))  # live page unchanged
    draft = dinh.get_latest_revision_as_object()
    assert (draft.latitude, draft.summary) == (Decimal("20.861234"), "Bản nháp chưa duyệt")


def test_vn2000_points_become_wgs84(tmp_path, geo_district):
    x, y = Transformer.from_crs(4326, 9210, always_xy=True).transform(106.6822, 20.8633)
    text = f"Mã,Tên,X,Y\nDT01,Đình Đông Khê,{x:.3f},{y:.3f}\n"
    run(tmp_path, text, "--kind", "points", crs="EPSG:9210")
    lat, lon = coords(geo_district["relics"][0])
    assert abs(float(lat) - 20.8633) < 2e-6 and abs(float(lon) - 106.6822) < 2e-6


def test_missing_and_unknown_crs_are_refused(tmp_path, geo_district):
    text = "Mã,Tên,X,Y\nDT01,Đình Đông Khê,590000,2306000\n"
    with pytest.raises(CommandError):
        run(tmp_path, text, "--kind", "points", crs=None)
    out = run(tmp_path, text, "--kind", "points", "--dry-run", crs=None)
    assert "hệ tọa độ" in out and "9210" in out
    with pytest.raises(CommandError, match="EPSG:1234|1234"):
        run(tmp_path, text, "--kind", "points", "--crs", "EPSG:1234")


def _boundaries(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _ward(name, ring):
    return {
        "type": "Feature",
        "properties": {"ten_phuong": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_boundaries_are_stored_and_served(tmp_path, geo_district, client):
    ring = [[106.66, 20.84], [106.69, 20.84], [106.69, 20.88], [106.66, 20.88], [106.66, 20.84]]
    out = run(
        tmp_path,
        _boundaries(_ward("Phường Đông Khê", ring)),
        "--kind",
        "boundaries",
        name="p.geojson",
    )
    assert "cập nhật 1" in out
    stored = WardBoundary.objects.get(ward=geo_district["wards"][0])
    assert (stored.min_lon, stored.max_lat) == (106.66, 20.88)
    feed = client.get("/api/geo/wards.geojson?ward=P01").json()
    assert [106.66, 20.84] in feed["features"][0]["geometry"]["coordinates"][0]


@pytest.mark.parametrize(
    ("ring", "says"),
    [
        (
            [[106.66, 20.84], [106.69, 20.88], [106.69, 20.84], [106.66, 20.88], [106.66, 20.84]],
            "tự cắt",
        ),
        ([[106.66, 20.84], [106.69, 20.84], [106.69, 20.88], [106.66, 20.88]], "khép"),
    ],
)
def test_bad_boundary_names_the_feature_and_keeps_the_old_one(tmp_path, geo_district, ring, says):
    good = [[106.69, 20.85], [106.71, 20.85], [106.71, 20.87], [106.69, 20.87], [106.69, 20.85]]
    text = _boundaries(_ward("Lạch Tray", good), _ward("Đông Khê", ring))
    with pytest.raises(CommandError):
        run(tmp_path, text, "--kind", "boundaries", name="p.geojson")
    out = run(tmp_path, text, "--kind", "boundaries", "--dry-run", name="p.geojson")
    line = next(line for line in out.splitlines() if line.startswith("đối tượng số 2:"))
    assert says in line, out
    assert WardBoundary.objects.get(ward=geo_district["wards"][0]).min_lon == 106.67


def test_broken_shapefile_is_named(tmp_path, geo_district):
    with pytest.raises(CommandError):
        run(tmp_path, b"PK\x03\x04 not really a zip", "--kind", "boundaries", name="ranh-gioi.zip")
    out = run(tmp_path, b"PK\x03\x04 not really", "--kind", "boundaries", "--dry-run", name="x.zip")
    assert "x.zip" in out
