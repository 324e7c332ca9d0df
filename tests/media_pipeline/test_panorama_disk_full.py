"""A full disk (or bucket) while tiling: a clear failure, the original and the published
pyramid kept, nothing half-written. `make bench-faults` does it on a real small filesystem."""

import errno

import pytest

from media_pipeline.panoramas import processing
from media_pipeline.panoramas.models import Panorama
from tests.factories import make_relic
from tests.media_pipeline.panorama_helpers import make_panorama


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_full_disk_while_tiling_keeps_the_original_and_the_published_tiles(
    client, district, media, monkeypatch
):
    pano = make_panorama("Sân đình", make_relic(district["wards"][0]))
    published = pano.tiles_root / pano.tiles_version
    before = sorted(p.relative_to(published) for p in published.rglob("*"))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(processing, "build_tile_pyramid", full)
    assert processing.process_panorama(pano.pk, force=True) == Panorama.Status.FAILED

    pano.refresh_from_db()
    assert pano.status == Panorama.Status.FAILED
    assert pano.error_message == processing.DISK_FULL_ERROR
    assert pano.original.storage.exists(pano.original.name)
    assert sorted(p.relative_to(published) for p in published.rglob("*")) == before
    tile = client.get(f"/media/panoramas/tiles/{pano.pk}/{pano.tiles_version}/preview.jpg")
    assert tile.status_code == 200
