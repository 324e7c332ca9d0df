"""Inventory files are bounded: rows, columns, cell length and inflated size, checked while the
file streams; large files are previewed in the background, never in the upload request."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from benchmarks.xlsx_files import MILLION_SHARED, huge_string, million_rows, write_raw_xlsx
from content.inventory import ImportOptions, InventoryFileError, Limits, open_inventory
from content.inventory.plan import preview_import
from content.models import InventoryImport
from tests.content.inventory_factories import MemoryStore, csv_text, write_xlsx
from tests.factories import make_relic
from tests.worker import DB_TASKS

HEADER = ["Mã di tích", "Số kiểm kê", "Tên hiện vật"]


def _rows(path, limits):
    with open_inventory(path, limits=limits) as inventory:
        return sum(1 for table in inventory.tables for _ in table.rows())


def test_too_many_rows_is_refused_while_the_xlsx_streams(tmp_path):
    path = write_raw_xlsx(tmp_path / "hv.xlsx", million_rows(1500), shared=MILLION_SHARED)
    assert _rows(path, Limits(max_rows=2000)) == 1500
    with pytest.raises(InventoryFileError, match="hơn 1.000 dòng dữ liệu"):
        _rows(path, Limits(max_rows=1000))


def test_too_many_rows_in_a_csv(tmp_path):
    path = tmp_path / "hv.csv"
    rows = [HEADER] + [["DT001", f"HV-{n}", "Chuông"] for n in range(300)]
    path.write_text(csv_text(rows), encoding="utf-8")
    with pytest.raises(InventoryFileError, match="hơn 200 dòng"):
        _rows(path, Limits(max_rows=200))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_data_far_to_the_right_is_refused_with_its_column(tmp_path, fmt):
    row = ["DT001", "HV-1", "Chuông"] + [""] * 70 + ["lạc chỗ"]
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": [HEADER, row]})
    else:
        path = tmp_path / "hv.csv"
        path.write_text(csv_text([HEADER, row]), encoding="utf-8")
    with pytest.raises(InventoryFileError, match="dòng 2 có dữ liệu ở cột BV, quá 60 cột"):
        _rows(path, Limits())
    # Empty (formatted) cells out there are no data: the file reads.
    wide = ["DT001", "HV-1", "Chuông"] + [""] * 80
    ok = write_xlsx(tmp_path / "ok.xlsx", {"Hiện vật": [HEADER, wide]})
    assert _rows(ok, Limits()) == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_cell_too_long_is_refused(tmp_path, fmt):
    row = ["DT001", "HV-1", "Bia " * 400]
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / "hv.xlsx", {"Hiện vật": [HEADER, row]})
    else:
        path = tmp_path / "hv.csv"
        path.write_text(csv_text([HEADER, row]), encoding="utf-8")
    with pytest.raises(InventoryFileError, match="có ô dài hơn 1.000 ký tự"):
        _rows(path, Limits(max_cell_chars=1000))
    assert _rows(path, Limits(max_cell_chars=2000)) == 1


def test_a_huge_shared_string_is_refused_without_holding_it(tmp_path):
    """20 MiB of one shared string in a small file: refused with memory flat."""
    path = write_raw_xlsx(
        tmp_path / "bom.xlsx",
        [HEADER, ["DT001", "HV-1", 0]],
        shared=[huge_string(20 * 1024 * 1024)],
    )
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(InventoryFileError, match="có ô dài hơn 20.000 ký tự"):
            open_inventory(path, limits=Limits())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, f"{peak / 1e6:.1f} MB held while refusing"


def test_preview_reports_progress_with_the_rows_expected(tmp_path):
    path = write_raw_xlsx(tmp_path / "hv.xlsx", million_rows(1200), shared=MILLION_SHARED)
    calls = []
    preview = preview_import(
        path, MemoryStore({"DT0001"}), ImportOptions(), lambda *a: calls.append(a)
    )
    assert len(preview.items) == 1200
    assert calls == [(500, 1201), (1000, 1201)]  # the scan counted the header row too


@pytest.fixture
def reviewer(admin_client, district):
    make_relic(district["wards"][0], relic_code="DT0001")
    return admin_client


def _upload(client, path):
    form = {"file": SimpleUploadedFile(path.name, path.read_bytes()), "mode": "all_or_nothing"}
    return client.post("/admin/kiem-ke/", form)


@pytest.mark.django_db
def test_a_large_upload_is_only_glanced_at_in_the_request(reviewer, tmp_path):
    from django_tasks_db.models import DBTaskResult

    from content.inventory.jobs import run_saved_preview

    path = write_raw_xlsx(tmp_path / "hv.xlsx", million_rows(600), shared=MILLION_SHARED)
    with override_settings(TASKS=DB_TASKS, INVENTORY_INLINE_PREVIEW_BYTES=10_000):
        _upload(reviewer, path)
    job = InventoryImport.objects.get()
    assert job.status == "checking" and job.preview == {} and job.rows_total == 0
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("preview_inventory_task") and task.status == "READY"
    page = reviewer.get(f"/admin/kiem-ke/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "Đang kiểm tra tệp" in page and "kiểm tra trong nền" in page

    run_saved_preview(job.pk)  # what the worker's task does
    job.refresh_from_db()
    assert job.status == "previewed" and job.rows_total == 600 and job.attempts == 1
    assert "Tạo mới: 600" in reviewer.get(f"/admin/kiem-ke/{job.pk}/").content.decode()


@pytest.mark.django_db
def test_an_upload_over_the_row_limit_is_refused_in_the_background(reviewer, tmp_path):
    path = write_raw_xlsx(tmp_path / "hv.xlsx", million_rows(1500), shared=MILLION_SHARED)
    with override_settings(INVENTORY_MAX_ROWS=1000, INVENTORY_INLINE_PREVIEW_BYTES=0):
        _upload(reviewer, path)  # the immediate backend runs the preview task at once
    job = InventoryImport.objects.get()
    assert job.status == "refused" and "hơn 1.000 dòng dữ liệu" in job.message
    page = reviewer.get(f"/admin/kiem-ke/{job.pk}/").content.decode()
    assert "hơn 1.000 dòng dữ liệu" in page and "vào hệ thống</button>" not in page


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_from_its_directory_in_the_request(reviewer, tmp_path):
    path = write_raw_xlsx(
        tmp_path / "bom.xlsx", [HEADER, ["DT001", "HV-1", 0]], shared=[huge_string(3_000_000)]
    )
    with override_settings(TASKS=DB_TASKS, INVENTORY_MAX_UNCOMPRESSED_BYTES=1_000_000):
        _upload(reviewer, path)
    job = InventoryImport.objects.get()
    assert job.status == "refused" and "giải nén ra 2,9 MB" in job.message
