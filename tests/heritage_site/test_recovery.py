"""Recovery without a person: a job whose worker died is found by its stopped heartbeat, queued
again a bounded number of times, then failed with its reason and a "Thử lại" button."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from heritage_site.recovery import WORKER_LOST, recover_jobs, worker_id
from media_pipeline.panoramas.models import Panorama
from tests.content.inventory_factories import csv_text
from tests.factories import make_relic
from tests.media_pipeline.panorama_helpers import make_panorama
from tests.worker import DB_TASKS, run_db_worker, start_db_worker

LEASE = "2"  # seconds, for the workers these tests start


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _wait_for(check, what: str, seconds: float = 40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def _temporaries(pano):
    return sorted(p.name for p in pano.tiles_root.glob(".*") if ".tmp-" in p.name)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_tiling_is_recovered_by_the_next_worker(district):
    from django_tasks_db.models import DBTaskResult

    from media_pipeline.panoramas.tasks import schedule_panorama

    pano = make_panorama("Sân đình", make_relic(district["wards"][0]), process=False)
    with override_settings(TASKS=DB_TASKS):
        schedule_panorama(pano.pk)
    first_task = DBTaskResult.objects.get()

    # The first worker is held at its first progress step, then killed outright.
    worker = start_db_worker(TEST_PROGRESS_PAUSE_SECONDS="60", JOB_LEASE_SECONDS=LEASE)
    try:
        _wait_for(
            lambda: (
                Panorama.objects.filter(pk=pano.pk, progress__gt=0).exists() and _temporaries(pano)
            ),
            "the first worker to start tiling",
        )
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    pano.refresh_from_db()
    assert pano.status == Panorama.Status.PROCESSING and pano.attempts == 1
    assert DBTaskResult.objects.get(pk=first_task.pk).status == "RUNNING"
    assert _temporaries(pano), "the dead run left its half-built tile folder"

    # Once its lease has run out, a new worker finds it, queues it again and finishes it.
    _wait_for(
        lambda: (
            Panorama.objects.get(pk=pano.pk).heartbeat_at
            < timezone.now() - timedelta(seconds=float(LEASE))
        ),
        "the lease to run out",
        seconds=10,
    )
    proc = run_db_worker(timeout=120, JOB_LEASE_SECONDS=LEASE)
    assert proc.returncode == 0, proc.stderr

    pano.refresh_from_db()
    assert pano.status == Panorama.Status.READY and pano.progress == 100
    assert pano.attempts == 2 and pano.error_message == ""
    assert (pano.tiles_root / pano.tiles_version / "config.json").exists()
    assert _temporaries(pano) == []
    lost = DBTaskResult.objects.get(pk=first_task.pk)
    assert lost.status == "FAILED" and lost.exception_class_path == WORKER_LOST
    assert DBTaskResult.objects.exclude(pk=first_task.pk).get().status == "SUCCESSFUL"


def _stale(model, pk, *, attempts, status):
    long_ago = timezone.now() - timedelta(hours=1)
    model.objects.filter(pk=pk).update(status=status, heartbeat_at=long_ago, attempts=attempts)


@pytest.fixture
def inventory_job(admin_client, district):
    """A previewed inventory upload of two artifacts of relic DT001."""
    from content.models import InventoryImport

    make_relic(district["wards"][0], relic_code="DT001")
    rows = [
        ["Mã di tích", "Số kiểm kê", "Tên hiện vật"],
        ["DT001", "HV-001", "Bát hương"],
        ["DT001", "HV-002", "Chuông"],
    ]
    data = csv_text(rows).encode()
    form = {"file": SimpleUploadedFile("hv.csv", data), "mode": "all_or_nothing"}
    admin_client.post("/admin/kiem-ke/", form)
    return InventoryImport.objects.get()


@pytest.mark.django_db
def test_an_import_that_lost_its_worker_too_often_fails_with_a_visible_retry(
    admin_client, inventory_job
):
    from content.models import Artifact

    job = inventory_job
    _stale(type(job), job.pk, attempts=3, status="running")
    report = recover_jobs()
    assert report.failed == [f"content.InventoryImport {job.pk}"]
    job.refresh_from_db()
    assert job.status == "failed" and "dừng đột ngột 3 lần" in job.message
    page = admin_client.get(f"/admin/kiem-ke/{job.pk}/").content.decode()
    assert "dừng đột ngột" in page and ">Thử lại</button>" in page
    assert "Đang nhập" not in page
    listing = admin_client.get("/admin/kiem-ke/").content.decode()
    assert "Thử lại" in listing

    # "Thử lại" queues the import again; the (in-process) worker finishes it.
    admin_client.post(f"/admin/kiem-ke/{job.pk}/thu-lai/")
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1
    assert Artifact.objects.count() == 2


@pytest.mark.django_db
def test_a_job_with_a_live_heartbeat_or_a_waiting_task_is_left_alone(inventory_job):
    from django_tasks_db.models import DBTaskResult

    from content.inventory.tasks import import_inventory_task

    job = inventory_job
    type(job).objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=timezone.now(), attempts=1
    )
    assert recover_jobs().requeued == []
    with override_settings(TASKS=DB_TASKS):
        import_inventory_task.enqueue(job.pk)
        _stale(type(job), job.pk, attempts=1, status="queued")
        assert recover_jobs().requeued == []  # its task waits for a worker
    assert DBTaskResult.objects.get().status == "READY"


@pytest.mark.django_db
def test_stale_imports_and_batches_are_queued_again_with_their_arguments(district, admin_user):
    from django_tasks_db.models import DBTaskResult

    from maps.models import GeoImport
    from media_pipeline.qr.models import PlaqueBatch

    geo = GeoImport.objects.create(
        original_name="diem.geojson", kind="points", created_by=admin_user
    )
    _stale(GeoImport, geo.pk, attempts=1, status="running")
    batch = PlaqueBatch.objects.create(size="a5", format="pdf", page_ids=[1])
    _stale(PlaqueBatch, batch.pk, attempts=2, status="running")
    with override_settings(TASKS=DB_TASKS):
        report = recover_jobs()
    assert sorted(report.requeued) == [
        f"maps.GeoImport {geo.pk}",
        f"media_pipeline.PlaqueBatch {batch.pk}",
    ]
    geo.refresh_from_db()
    batch.refresh_from_db()
    assert geo.status == "running" and geo.heartbeat_at is None and geo.attempts == 1
    assert batch.status == "queued"
    tasks = {
        t.task_path.rsplit(".", 1)[1]: t.args_kwargs["args"] for t in DBTaskResult.objects.all()
    }
    assert tasks == {
        "import_geodata_task": [geo.pk, admin_user.pk],
        "make_plaques_task": [batch.pk],
    }


@pytest.mark.django_db
def test_panorama_that_keeps_dying_fails_with_a_retry_button_in_the_list(admin_client, media):
    pano = make_panorama(process=False)
    _stale(Panorama, pano.pk, attempts=3, status=Panorama.Status.PROCESSING)
    stale_tmp = pano.tiles_root / ".abc.tmp-x1"
    stale_tmp.mkdir(parents=True)
    report = recover_jobs()
    assert report.failed == [f"media_pipeline.Panorama {pano.pk}"] and report.swept == 1
    assert not stale_tmp.exists()
    listing = admin_client.get("/admin/panoramas/").content.decode()
    assert "dừng đột ngột" in listing
    assert f'href="/admin/panoramas/retry/{pano.pk}/">Thử lại</a>' in listing
    edit = admin_client.get(f"/admin/panoramas/edit/{pano.pk}/").content.decode()
    assert f'href="/admin/panoramas/retry/{pano.pk}/">Thử lại</a>' in edit


@pytest.mark.django_db
def test_other_tasks_of_a_dead_worker_run_again_then_fail():
    from django_tasks_db.models import DBTaskResult
    from modelsearch.tasks import insert_or_update_object_task

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = worker_id().split(":")
    dead[1] = str(gone.pid)
    dead = ":".join(dead)
    alive = worker_id()  # this very process
    with override_settings(TASKS=DB_TASKS):
        once = insert_or_update_object_task.enqueue("content", "relicpage", "1")
        thrice = insert_or_update_object_task.enqueue("content", "relicpage", "2")
        running = insert_or_update_object_task.enqueue("content", "relicpage", "3")
    DBTaskResult.objects.filter(pk=once.id).update(status="RUNNING", worker_ids=[dead])
    DBTaskResult.objects.filter(pk=thrice.id).update(status="RUNNING", worker_ids=[dead] * 3)
    DBTaskResult.objects.filter(pk=running.id).update(status="RUNNING", worker_ids=[alive])
    report = recover_jobs()
    assert (report.tasks_requeued, report.tasks_failed) == (1, 1)
    assert DBTaskResult.objects.get(pk=once.id).status == "READY"
    failed = DBTaskResult.objects.get(pk=thrice.id)
    assert failed.status == "FAILED" and failed.exception_class_path == WORKER_LOST
    assert DBTaskResult.objects.get(pk=running.id).status == "RUNNING"
    assert str(os.getpid()) in alive


@pytest.mark.django_db
def test_backup_leaves_out_temporary_tile_folders(media):
    from heritage_site.backup import _media_files

    tiles = media / "panoramas" / "tiles" / "7"
    (tiles / "abc123").mkdir(parents=True)
    (tiles / "abc123" / "config.json").write_text("{}")
    for temporary in (".abc123.tmp-k2j", ".abc123.old-9f"):
        (tiles / temporary / "0").mkdir(parents=True)
        (tiles / temporary / "0" / "0_0.jpg").write_bytes(b"x")
    assert [name for _path, name in _media_files()] == ["panoramas/tiles/7/abc123/config.json"]
