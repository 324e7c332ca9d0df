"""The admin's "Nhập dữ liệu bản đồ": upload, dry-run report, confirm, import."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from content.models import RelicPage
from maps.models import GeoImport

HEADER = "Mã,Tên di tích,Loại hình,Phường,Kinh độ,Vĩ độ\n"
GOOD = "DT01,Đình Đông Khê,Đình,Đông Khê,106.681234,20.861234\n"
SWAPPED = "DT02,Chùa Phổ Chiếu,Chùa,Đông Khê,20.8650,106.6850\n"


@pytest.fixture
def admin_client(client, geo_district):
    user = get_user_model().objects.create_superuser("bientap", "b@example.vn", "x")
    client.force_login(user)
    return client


def _upload(client, text, **fields):
    data = {
        "file": SimpleUploadedFile("toa-do.csv", text.encode(), content_type="text/csv"),
        "kind": "points",
        "crs": "EPSG:4326",
        **fields,
    }
    return client.post("/admin/nhap-ban-do/", data)


def test_menu_and_form_are_in_vietnamese(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "/admin/nhap-ban-do/" in html  # the Settings menu (sidebar data is JSON)
    form = admin_client.get("/admin/nhap-ban-do/").content.decode()
    assert "Hệ tọa độ" in form and "EPSG:9210" in form and "Bỏ qua các dòng lỗi" in form


def test_upload_shows_the_report_then_confirm_imports(admin_client, geo_district):
    response = _upload(admin_client, HEADER + GOOD)
    assert response.status_code == 302
    geo_import = GeoImport.objects.get()
    assert geo_import.status == "checked" and geo_import.file.read().startswith(b"M")
    report = admin_client.get(response.url).content.decode()
    assert "Tạo mới 0, cập nhật 1, bỏ qua 0" in report and "dòng 2" in report
    dinh = geo_district["relics"][0]
    assert RelicPage.objects.get(pk=dinh.pk).latitude == Decimal("20.860000")  # dry run only

    done = admin_client.post(response.url, {})
    assert done.status_code == 302
    geo_import.refresh_from_db()
    assert geo_import.status == "done", geo_import.result
    assert RelicPage.objects.get(pk=dinh.pk).latitude == Decimal("20.861234")
    assert "cập nhật 1" in admin_client.get(response.url).content.decode()


def test_a_second_run_imports_once_and_a_crash_is_reported_to_staff(admin_client, monkeypatch):
    from maps import importer

    _upload(admin_client, HEADER + GOOD)
    done = GeoImport.objects.get()
    admin_client.post(f"/admin/nhap-ban-do/{done.pk}/", {})
    assert importer.run_geo_import(done.pk) == "already done"

    _upload(admin_client, HEADER + GOOD)
    crashed = GeoImport.objects.exclude(pk=done.pk).get()
    monkeypatch.setattr(importer, "run_import", lambda *a, **kw: 1 / 0)
    assert importer.run_geo_import(crashed.pk) == "failed"
    crashed.refresh_from_db()
    assert "Lỗi không mong đợi" in crashed.result["summary"] and crashed.finished_at


def test_a_bad_row_blocks_the_import_unless_staff_skip_it(admin_client, geo_district):
    response = _upload(admin_client, HEADER + GOOD + SWAPPED)
    report = admin_client.get(response.url).content.decode()
    assert "dòng 3" in report and "đảo" in report
    refused = admin_client.post(response.url, {}, follow=True)
    assert "Tệp có dòng lỗi" in refused.content.decode()
    assert GeoImport.objects.get().status == "checked"
    assert RelicPage.objects.get(pk=geo_district["relics"][0].pk).latitude == Decimal("20.860000")

    admin_client.post(response.url, {"skip_bad_rows": "on"})
    geo_import = GeoImport.objects.get()
    assert geo_import.status == "done" and "bỏ qua 1" in geo_import.result["summary"]
    assert RelicPage.objects.get(pk=geo_district["relics"][0].pk).latitude == Decimal("20.861234")


def test_a_broken_file_gets_a_message_not_a_500(admin_client):
    data = {
        "file": SimpleUploadedFile("ranh-gioi.zip", b"PK\x03\x04broken"),
        "kind": "boundaries",
        "crs": "",
    }
    response = admin_client.post("/admin/nhap-ban-do/", data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ranh-gioi.zip" in html and "Xác nhận nhập" not in html


def test_editors_without_the_permission_cannot_import(client, geo_district):
    user = get_user_model().objects.create_user("bientapvien", "e@example.vn", "x")
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    client.force_login(user)
    assert client.get("/admin/nhap-ban-do/").status_code in (302, 403)
    assert "/admin/nhap-ban-do/" not in client.get("/admin/").content.decode()


def test_a_geodata_file_kept_in_a_bucket_is_checked_and_imported_from_it(
    admin_client, geo_district, s3_media
):
    response = _upload(admin_client, HEADER + GOOD)
    geo_import = GeoImport.objects.get()
    assert s3_media.read(geo_import.file.name).startswith(HEADER.encode())
    assert admin_client.post(response.url, {}).status_code == 302
    geo_import.refresh_from_db()
    assert geo_import.status == "done", geo_import.result
    dinh = geo_district["relics"][0]
    assert RelicPage.objects.get(pk=dinh.pk).latitude == Decimal("20.861234")
