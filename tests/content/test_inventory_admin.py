"""The admin pages "Nhập/xuất kiểm kê": upload → preview → confirm, bad files, exports."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from content.models import Artifact, InventoryImport, RelicPage
from content.permissions import REVIEWERS_GROUP, ensure_review_workflow, ward_group_name
from tests.content.inventory_factories import csv_text
from tests.factories import make_relic

INDEX = "/admin/kiem-ke/"
ARTIFACTS = [
    ["Mã di tích", "Số kiểm kê", "Tên hiện vật", "Chất liệu"],
    ["DT001", "HV-001", "Bát hương", "Gốm"],
    ["DT001", "HV-002", '\'=HYPERLINK("http://x")', "Đồng"],  # text, typed with its quote
    ["DT404", "HV-003", "Chuông", "Đồng"],
]


@pytest.fixture
def people(district):
    User = get_user_model()
    ensure_review_workflow(district["home"])
    editor = User.objects.create_user("bien_tap", password="x")
    editor.groups.add(Group.objects.get(name=ward_group_name(district["wards"][0])))
    reviewer = User.objects.create_user("nguoi_duyet", password="x")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    make_relic(district["wards"][0], relic_code="DT001")
    return {"editor": editor, "reviewer": reviewer}


def upload(client, rows, name="hien-vat.csv", **fields):
    data = csv_text(rows).encode("utf-8")
    form = {"file": SimpleUploadedFile(name, data), "mode": "all_or_nothing", **fields}
    return client.post(INDEX, form)


def menu_labels(rf, user) -> list[str]:
    from wagtail.admin.menu import admin_menu

    request = rf.get("/admin/")
    request.user = user
    return [str(item.label) for item in admin_menu.menu_items_for_request(request)]


def test_reviewers_may_import_and_ward_editors_may_not(client, rf, people):
    client.force_login(people["editor"])
    assert client.get(INDEX).status_code == 302
    assert "Nhập/xuất kiểm kê" not in menu_labels(rf, people["editor"])
    client.force_login(people["reviewer"])
    assert client.get(INDEX).status_code == 200
    assert "Nhập/xuất kiểm kê" in menu_labels(rf, people["reviewer"])


def test_upload_previews_then_confirm_imports(client, people):
    client.force_login(people["reviewer"])
    response = upload(client, ARTIFACTS[:3])
    job = InventoryImport.objects.get()
    assert response.url == reverse("content_inventory:detail", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "Tạo mới: 2" in page and "Chưa có, sẽ tạo mới." in page
    assert not Artifact.objects.exists()
    client.post(reverse("content_inventory:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.result["written"] == {"create": 2, "update": 0}
    assert job.created_by == people["reviewer"]
    assert Artifact.objects.count() == 2
    # The same file again: every row skipped, nothing to confirm.
    again = client.get(upload(client, ARTIFACTS[:3]).url).content.decode()
    assert "Bỏ qua: 2" in again and "vào hệ thống</button>" not in again


def test_one_bad_row_blocks_all_or_nothing(client, people):
    client.force_login(people["reviewer"])
    formula = ["DT001", "HV-004", "=1+1", "Đồng"]
    page = client.get(upload(client, [*ARTIFACTS, formula]).url).content.decode()
    assert "Mã di tích “DT404” chưa có trong hệ thống" in page
    assert "Ô “Tên hiện vật” chứa công thức (=1+1)" in page
    assert "vào hệ thống</button>" not in page
    job = InventoryImport.objects.get()
    response = client.post(reverse("content_inventory:confirm", args=[job.pk]))
    assert response.status_code == 302 and not Artifact.objects.exists()


def test_good_rows_mode_returns_a_file_of_the_bad_rows(client, people):
    client.force_login(people["reviewer"])
    upload(client, ARTIFACTS, mode="good_rows")
    job = InventoryImport.objects.get()
    client.post(reverse("content_inventory:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert Artifact.objects.count() == 2 and job.result["rejected"] == 1
    response = client.get(reverse("content_inventory:rejects", args=[job.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "DT404" in text and "Lỗi" in text.splitlines()[0] and "HV-001" not in text


def test_big_file_and_non_spreadsheet_get_a_clear_message(client, people):
    client.force_login(people["reviewer"])
    big = SimpleUploadedFile("kiem-ke.csv", b"a" * (50 * 1024 * 1024))
    response = client.post(INDEX, {"file": big, "mode": "all_or_nothing"})
    assert "Tệp quá lớn: 50,0 MB, giới hạn là 25,0 MB" in response.content.decode()
    assert not InventoryImport.objects.exists()
    pdf = SimpleUploadedFile("kiem-ke.xlsx", b"%PDF-1.4 not a sheet")
    page = client.get(client.post(INDEX, {"file": pdf, "mode": "all_or_nothing"}).url)
    assert "Tệp này là PDF, không phải bảng tính" in page.content.decode()
    assert InventoryImport.objects.get().status == "refused"


def test_large_import_is_queued_for_the_worker(client, people, monkeypatch, settings):
    from django_tasks_db.models import DBTaskResult

    from content.inventory import jobs
    from content.inventory.tasks import import_inventory_task

    monkeypatch.setattr(jobs, "INLINE_ROWS", 1)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(people["reviewer"])
    upload(client, ARTIFACTS[:3])
    job = InventoryImport.objects.get()
    page = client.get(client.post(reverse("content_inventory:confirm", args=[job.pk])).url)
    assert 'http-equiv="refresh"' in page.content.decode()
    job.refresh_from_db()
    assert job.status == "queued" and not Artifact.objects.exists()
    (queued,) = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"] == [job.pk]
    import_inventory_task.call(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == "done" and Artifact.objects.count() == 2


def test_template_and_exports_download(client, people):
    client.force_login(people["reviewer"])
    template = client.get(reverse("content_inventory:template"))
    book = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert book.sheetnames == ["Di tích", "Hiện vật", "Di văn", "Hướng dẫn"]
    upload(client, ARTIFACTS[:3])
    client.post(reverse("content_inventory:confirm", args=[InventoryImport.objects.get().pk]))
    csv_response = client.get(reverse("content_inventory:export", args=["artifact", "csv"]))
    text = b"".join(csv_response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffMã di tích,Số kiểm kê")
    assert "'=HYPERLINK" in text  # formula neutralised
    xlsx = client.get(reverse("content_inventory:export", args=["all", "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    names = [row[2] for row in book["Hiện vật"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Bát hương", '\'=HYPERLINK("http://x")']
    assert RelicPage.objects.get(relic_code="DT001").title == book["Di tích"]["B2"].value
