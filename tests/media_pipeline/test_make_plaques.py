"""`manage.py make_plaques` and the background task: batch files that decode, progress recorded."""

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from media_pipeline.models import PlaqueBatch, ShortCode
from media_pipeline.qr.short_codes import code_for_page
from media_pipeline.qr.tasks import make_plaques_task
from tests.factories import make_relic
from tests.installed import tool
from tests.media_pipeline.qr_decoding import decode, rasterise
from tests.worker import DB_TASKS, run_db_worker


def run(*args) -> str:
    out = io.StringIO()
    call_command("make_plaques", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def relics(district):
    ward_a, ward_b = district["wards"]
    return [
        make_relic(ward_a, "Đình Đông Khê"),
        make_relic(ward_a, "Chùa Phổ Chiếu"),
        make_relic(ward_b, "Đền Nghè"),
    ]


def plaque_url(page) -> str:
    return f"HTTPS://DISAN.EXAMPLE.GOV.VN/Q/{code_for_page(page).code}"


def test_batch_pdf_has_a_decoding_plaque_per_live_relic(relics, tmp_path):
    draft = make_relic(relics[0].get_parent(), "Miếu chưa xuất bản")
    draft.unpublish()
    out = tmp_path / "bien.pdf"
    log = run("--size", "a6", "--out", str(out))
    assert "Đã tạo 3 biển QR" in log and str(out) in log
    assert "Đã bỏ qua 1 di tích chưa xuất bản (“Miếu chưa xuất bản”)" in log
    assert "--include-unpublished" in log and "Bỏ qua 1 di tích chưa xuất bản." in log
    info = subprocess.run([tool("pdfinfo"), str(out)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+3$", info.stdout, re.M)
    assert [decode(page) for page in rasterise(out, dpi=150)] == [[plaque_url(r)] for r in relics]


def test_relics_chosen_by_id_as_a_zip_of_svgs(relics, tmp_path):
    out = tmp_path / "bien.zip"
    run("--format", "svg-zip", "--relic", str(relics[2].pk), str(relics[0].pk), "--out", str(out))
    with zipfile.ZipFile(out) as zf:
        assert zf.namelist() == [
            f"{code_for_page(relics[0]).code}-dinh-dong-khe.svg",
            f"{code_for_page(relics[2]).code}-den-nghe.svg",
        ]


def test_unpublished_relics_are_printed_only_when_asked(relics, tmp_path):
    draft = make_relic(relics[0].get_parent(), "Miếu chưa xuất bản")
    draft.unpublish()
    log = run("--dry-run", "--include-unpublished")
    assert "4 biển QR" in log and "Miếu chưa xuất bản" in log and "bỏ qua" not in log
    chosen_by_id = run("--dry-run", "--relic", str(draft.pk), str(relics[0].pk))
    assert "1 biển QR" in chosen_by_id and "Đã bỏ qua 1 di tích chưa xuất bản" in chosen_by_id
    with pytest.raises(CommandError, match="Không có di tích đã xuất bản nào.*chưa tạo gì"):
        run("--relic", str(draft.pk), "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_dry_run_lists_and_writes_nothing(relics, tmp_path):
    out = tmp_path / "bien.pdf"
    log = run("--dry-run", "--out", str(out))
    assert plaque_url(relics[1]) in log and "Chùa Phổ Chiếu" in log
    assert not out.exists()


def test_unknown_ids_and_a_bad_base_url_are_refused_in_vietnamese(relics, tmp_path):
    with pytest.raises(CommandError, match="Không có trang với ID: 999999"):
        run("--relic", "999999", str(relics[0].pk))
    with override_settings(PLAQUE_BASE_URL="https://host.example/subsite"):
        with pytest.raises(CommandError, match="PLAQUE_BASE_URL"):
            run("--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_task_records_progress_and_the_file(relics):
    batch = PlaqueBatch.objects.create(
        size="a6", format="pdf", page_ids=[r.pk for r in relics], total=3
    )
    with CaptureQueriesContext(connection) as ctx:
        make_plaques_task.enqueue(batch.pk)
    batch.refresh_from_db()
    progress = [
        int(m)
        for q in ctx.captured_queries
        for m in re.findall(r'SET "progress" = (\d+)', q["sql"])
    ]
    assert progress == [1, 2, 3]
    assert (batch.status, batch.progress, batch.total) == ("done", 3, 3)
    assert batch.file_size == batch.file.size > 1000
    assert batch.started_at <= batch.finished_at


def test_a_batch_of_deleted_pages_fails_with_a_message(relics):
    batch = PlaqueBatch.objects.create(size="a6", format="pdf", page_ids=[999999], total=1)
    make_plaques_task.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and "không còn" in batch.error


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_makes_a_batch(district):
    relics = [make_relic(district["wards"][0], f"Đình số {n}") for n in range(2)]
    assert ShortCode.objects.count() == 2
    batch = PlaqueBatch.objects.create(
        size="sticker-10x10", format="pdf", page_ids=[r.pk for r in relics], total=2
    )
    with override_settings(TASKS=DB_TASKS):
        make_plaques_task.enqueue(batch.pk)
        batch.refresh_from_db()
        assert batch.status == "queued"
        proc = run_db_worker()
    assert proc.returncode == 0, proc.stderr
    batch.refresh_from_db()
    assert (batch.status, batch.progress) == ("done", 2), batch.error
    pages = rasterise(Path(batch.file.path), dpi=150)
    assert [decode(p) for p in pages] == [[plaque_url(r)] for r in relics]
