"""The processing task: idempotent re-runs, atomic versions, the real worker, the import command."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from media_pipeline.models import Panorama
from media_pipeline.panoramas.processing import process_panorama
from tests.factories import make_relic
from tests.media_pipeline.panorama_helpers import files_under, make_panorama, published
from tests.media_pipeline.panorama_images import jpeg_bytes, synthetic_pano
from tests.vietnamese import assert_vietnamese
from tests.worker import DB_TASKS, run_db_worker


def test_running_again_reuses_what_is_published(media, db):
    pano = make_panorama()
    folder = published(pano)
    tiles = files_under(folder)
    stamps = [p.stat().st_mtime_ns for p in tiles]
    assert process_panorama(pano.pk) == "ready"
    assert published(pano) == folder
    assert [p.stat().st_mtime_ns for p in files_under(folder)] == stamps  # nothing rewritten
    assert [p.name for p in pano.tiles_root.iterdir()] == [folder.name]


def test_new_angles_publish_a_new_version_and_drop_the_old(media, db):
    pano = make_panorama()
    old = published(pano)
    Panorama.objects.filter(pk=pano.pk).update(haov=300, vaov=150)
    assert process_panorama(pano.pk) == "ready"
    new = published(pano)
    assert new != old and not old.exists()
    assert json.loads((new / "config.json").read_text())["haov"] == 300
    assert pano.preview_url.endswith(f"/{new.name}/preview.jpg")  # versioned: cacheable


def test_a_file_broken_after_upload_fails_with_the_original_kept(media, db):
    pano = make_panorama(process=False)
    original = pano.original.path
    with open(original, "r+b") as f:
        f.truncate(5000)
    assert process_panorama(pano.pk) == "failed"
    pano.refresh_from_db()
    assert_vietnamese(pano.error_message)
    assert (pano.progress, pano.tiles_version) == (0, "")
    assert files_under(media / "panoramas") == [media / original]


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_publishes_an_uploaded_panorama(media):
    from media_pipeline.panoramas.tasks import process_panorama_task

    pano = make_panorama(process=False)
    with override_settings(TASKS=DB_TASKS):
        process_panorama_task.enqueue(pano.pk)
        proc = run_db_worker()
    assert proc.returncode == 0, proc.stderr
    pano.refresh_from_db()
    assert (pano.status, pano.progress) == ("ready", 100)
    assert (published(pano) / "config.json").exists()


def test_import_command_checks_then_publishes(media, district, tmp_path):
    relic = make_relic(district["wards"][0])
    path = tmp_path / "san.jpg"
    path.write_bytes(jpeg_bytes(synthetic_pano()))
    call_command("import_panorama", str(path), "--relic", str(relic.pk), "--dry-run")
    assert not Panorama.objects.exists() and files_under(media) == []
    call_command("import_panorama", str(path), "--relic", str(relic.pk), "--title", "Sân")
    pano = Panorama.objects.get()
    assert (pano.status, pano.relic_id, pano.width) == ("ready", relic.pk, 1024)
    assert (published(pano) / "config.json").exists()


def test_import_command_refuses_a_bad_file_in_vietnamese(media, db, tmp_path):
    text = tmp_path / "ghi-chu.jpg"
    text.write_text("không phải ảnh")
    with pytest.raises(CommandError) as caught:
        call_command("import_panorama", str(text))
    assert_vietnamese(str(caught.value))
    assert not Panorama.objects.exists()


def test_a_failed_new_run_leaves_the_published_tiles_on_view(media, db):
    pano = make_panorama()
    folder = published(pano)
    with open(pano.original.path, "r+b") as f:  # the new run cannot read the file
        f.truncate(5000)
    assert process_panorama(pano.pk) == "failed"
    pano.refresh_from_db()
    assert pano.tiles_root / pano.tiles_version == folder and (folder / "config.json").exists()
    assert pano.is_published


def test_deleting_a_panorama_removes_its_tiles_not_its_original(media, db):
    pano = make_panorama()
    original, tiles = pano.original.path, pano.tiles_root
    pano.delete()
    assert not tiles.exists()
    assert files_under(media / "panoramas") == [media / original]
