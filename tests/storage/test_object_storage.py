"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3), against a real moto server process.

The worker runs as its own `manage.py db_worker` process whose MEDIA_ROOT cannot exist (a path
below /dev/null): like a worker on another machine, it reaches sources and results only
through the storage API.
"""

from __future__ import annotations

import io
import json
import tarfile
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.images import get_image_model

from heritage_site.storage import IMMUTABLE
from media_pipeline.models import Panorama
from tests.factories import make_image, make_relic
from tests.media_pipeline.panorama_helpers import upload
from tests.media_pipeline.panorama_images import jpeg_bytes, synthetic_pano
from tests.worker import DB_TASKS, run_db_worker

NO_DISK = "/dev/null/media"  # below a device file: nothing can be read or written there


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``; the headers with lower-case names."""
    with urllib.request.urlopen(url, timeout=10) as response:
        headers = {k.lower(): v for k, v in response.headers.items()}
        return response.status, headers, response.read()


@pytest.mark.django_db(transaction=True)
def test_a_worker_without_the_web_disk_tiles_a_panorama_and_makes_plaques_into_the_bucket(
    s3_media, district, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "web-media"  # this test's own: it must stay empty
    from media_pipeline.panoramas.tasks import process_panorama_task
    from media_pipeline.qr.models import PlaqueBatch
    from media_pipeline.qr.tasks import make_plaques_task

    relic = make_relic(district["wards"][0])
    pano = Panorama.objects.create(title="Sân đình", relic=relic)
    pano.original.save("san-dinh.jpg", upload("p.jpg", jpeg_bytes(synthetic_pano())))
    assert s3_media.keys("panoramas/") == [pano.original.name]
    batch = PlaqueBatch.objects.create(size="a6", format="pdf", page_ids=[relic.pk], total=1)
    with override_settings(TASKS=DB_TASKS):
        process_panorama_task.enqueue(pano.pk)
        make_plaques_task.enqueue(batch.pk)
        proc = run_db_worker(TEST_MEDIA_ROOT=NO_DISK, **s3_media.env)
    assert proc.returncode == 0, proc.stderr

    pano.refresh_from_db()
    assert (pano.status, pano.progress, pano.error_message) == ("ready", 100, "")
    prefix = f"panoramas/tiles/{pano.pk}/{pano.tiles_version}/"
    tiles = s3_media.keys(prefix)
    assert {prefix + n for n in ("config.json", "manifest.json", "preview.jpg")} <= set(tiles)
    assert sum("/1/" in k for k in tiles) >= 6  # level 1 of every cube face
    config = json.loads(s3_media.read(prefix + "config.json"))
    assert config == pano.viewer_config
    # Nothing went to a local disk: the web machine's media folder holds no tiles.
    assert not (Path(settings.MEDIA_ROOT) / "panoramas").exists()

    # A visitor's tile request: the public rule, then the bucket's object, cached for a year.
    response = client.get(f"{pano.tiles_url}/preview.jpg")
    assert response.status_code == 302
    status, headers, body = fetch(response["Location"])
    assert status == 200 and body[:3] == b"\xff\xd8\xff"
    assert headers["cache-control"] == IMMUTABLE
    tile = next(k for k in tiles if "/1/" in k).removeprefix(f"panoramas/tiles/{pano.pk}/")
    assert client.get(f"{settings.MEDIA_URL}panoramas/tiles/{pano.pk}/{tile}").status_code == 302
    # The relic taken down: its tiles are no longer handed out.
    relic.unpublish()
    assert client.get(f"{pano.tiles_url}/preview.jpg").status_code == 404

    batch.refresh_from_db()
    assert batch.status == "done", batch.error
    assert s3_media.read(batch.file.name)[:5] == b"%PDF-"
    assert s3_media.head(batch.file.name)["CacheControl"] == "private, no-cache"


@pytest.mark.django_db
def test_image_originals_and_renditions_are_stored_in_the_bucket_cached_for_a_year(s3_media):
    image = make_image("Bia đá", size=(400, 300))
    rendition = image.get_rendition("fill-120x90")
    keys = s3_media.keys()
    assert image.file.name in keys and rendition.file.name in keys
    assert s3_media.head(rendition.file.name)["CacheControl"] == IMMUTABLE
    status, headers, body = fetch(rendition.url)  # the page's <img> URL answers
    assert status == 200 and headers["cache-control"] == IMMUTABLE and body[:3] == b"\xff\xd8\xff"


@pytest.mark.django_db(transaction=True)
def test_backup_to_the_bucket_and_restore_from_it_gives_the_same_files(s3_media, district):
    from tests.heritage_site.installation import empty_installation

    image = make_image("Bản dập", size=(200, 150))
    pano = Panorama.objects.create(title="Sân đình")
    pano.original.save("san-dinh.jpg", upload("p.jpg", b"\xff\xd8\xff panorama bytes"))
    tiles = f"panoramas/tiles/{pano.pk}/abc/preview.jpg"
    s3_media.client.put_object(Bucket=s3_media.name, Key=tiles, Body=b"tile")
    before = {k: s3_media.read(k) for k in s3_media.keys()}

    out = io.StringIO()
    call_command("backup", stdout=out)  # media in a bucket: the archive goes there too
    name = out.getvalue().split("vào storage:")[1].split(" (")[0]
    assert name.startswith("backups/") and name in s3_media.keys("backups/")
    with tarfile.open(fileobj=io.BytesIO(s3_media.read(name))) as tar:
        archived = {n.removeprefix("media/") for n in tar.getnames() if n.startswith("media/")}
    assert archived == set(before)

    empty_installation()
    for key in s3_media.keys():
        if key != name:
            s3_media.client.delete_object(Bucket=s3_media.name, Key=key)
    call_command("restore", f"storage:{name}", stdout=io.StringIO())

    after = {k: s3_media.read(k) for k in s3_media.keys() if k != name}
    assert after == before
    restored = get_image_model().objects.get(pk=image.pk)
    assert restored.file.read() == before[image.file.name]
    assert s3_media.head(tiles)["CacheControl"] == IMMUTABLE


@pytest.mark.django_db
def test_iiif_tiles_of_a_rubbing_are_published_in_the_bucket_and_served_from_it(
    s3_media, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "web-media"  # this test's own: it must stay empty
    from django.core.files.images import ImageFile

    from media_pipeline.iiif.models import IIIFTileSet
    from media_pipeline.iiif.processing import process_tile_set
    from media_pipeline.iiif.views import TILE_PATH
    from tests.media_pipeline.iiif_helpers import jpeg_bytes as rubbing_jpeg
    from tests.media_pipeline.iiif_helpers import rubbing

    image = get_image_model()(title="Bản dập bia")
    image.file = ImageFile(io.BytesIO(rubbing_jpeg(rubbing())), name="ban-dap.jpg")
    image.save()
    assert process_tile_set(image.pk) == "ready"
    tiles = IIIFTileSet.objects.get(image=image)
    prefix = f"iiif/{image.pk}/{tiles.version}/"
    keys = s3_media.keys(prefix)
    assert prefix + "info.json" in keys and len(keys) > 10
    # Every file a viewer asks for passes the view's check (build.json is ours alone).
    assert all(TILE_PATH.match(k) for k in keys if not k.endswith("/build.json"))
    assert not (Path(settings.MEDIA_ROOT) / "iiif").exists()

    info = client.get(tiles.info_path)
    assert info.status_code == 200 and info["Access-Control-Allow-Origin"] == "*"
    assert info.json() == tiles.info
    tile = next(k for k in keys if k.endswith("/default.jpg"))
    response = client.get(f"{settings.MEDIA_URL}{tile}")
    assert response.status_code == 302
    status, headers, body = fetch(response["Location"])
    assert status == 200 and headers["cache-control"] == IMMUTABLE and body[:3] == b"\xff\xd8\xff"

    # Only tile sets are ever signed for a visitor: no way out of iiif/ to the backups.
    escape = f"{settings.MEDIA_URL}iiif/{image.pk}/{tiles.version}/../../../backups/x.tar"
    assert client.get(escape).status_code == 404

    tiles.delete()  # derived data goes with its row
    assert s3_media.keys("iiif/") == []


@pytest.mark.django_db
def test_recovery_removes_versions_no_panorama_points_at(s3_media):
    """A worker that died mid-upload leaves a version no row points at: the sweep removes it,
    and keeps the published one and the one a live run is uploading."""
    from django.utils import timezone

    from media_pipeline.panoramas.tasks import remove_stale_temporaries

    done = Panorama.objects.create(title="Sân đình", tiles_version="a1", status="ready")
    busy = Panorama.objects.create(
        title="Hậu cung", status="processing", heartbeat_at=timezone.now()
    )
    keys = [
        f"panoramas/tiles/{done.pk}/a1/preview.jpg",
        f"panoramas/tiles/{done.pk}/b2/preview.jpg",  # half-uploaded by a dead worker
        f"panoramas/tiles/{busy.pk}/c3/preview.jpg",  # being uploaded right now
    ]
    for key in keys:
        s3_media.client.put_object(Bucket=s3_media.name, Key=key, Body=b"tile")
    assert remove_stale_temporaries() == 1
    assert s3_media.keys("panoramas/tiles/") == [keys[0], keys[2]]
