"""Stitching overlapping photos into a partial panorama with the right field of view."""

from __future__ import annotations

from pathlib import Path

import pytest

from media_pipeline.panoramas.inspection import PanoramaError, inspect_panorama
from media_pipeline.panoramas.stitching import stitch_photos
from tests.media_pipeline.panorama_images import perspective_views, photo
from tests.vietnamese import assert_vietnamese


@pytest.fixture(scope="module")
def small_pano():
    return photo()


def _views(pano, folder: Path, yaws: list[float], fov: tuple[float, float]) -> list[Path]:
    """Perspective photos (640×480) looking at the horizon at the given yaws."""
    paths = [folder / f"photo-{k}.jpg" for k in range(len(yaws))]
    for path, data in zip(paths, perspective_views(pano, yaws, fov), strict=True):
        path.write_bytes(data)
    return paths


def test_overlapping_views_stitch_back_into_a_partial_panorama(tmp_path, small_pano):
    # Three 90°-wide views 60° apart: 30° overlaps, 210° in all; 73.7° high at the centre.
    photos = _views(small_pano, tmp_path, [-60, 0, 60], (90, 73.74))
    result = stitch_photos(photos, tmp_path / "out" / "stitched.jpg")
    assert result.photo_count == 3
    assert result.fov.haov == pytest.approx(210, abs=12)
    assert result.fov.vaov == pytest.approx(74, abs=5)
    assert result.fov.v_offset == pytest.approx(0, abs=3)
    # The file carries its field of view for the tiler, as GPano cropped-area metadata.
    info = inspect_panorama(result.path)
    assert info.fov_source == "gpano"
    assert (info.width, info.height) == (result.width, result.height)
    assert info.fov.haov == pytest.approx(result.fov.haov, abs=0.5)
    assert info.fov.vaov == pytest.approx(result.fov.vaov, abs=0.5)
    assert info.fov.v_offset == pytest.approx(result.fov.v_offset, abs=0.5)


def test_photos_that_do_not_overlap_are_refused(tmp_path, small_pano):
    photos = _views(small_pano, tmp_path, [0, 120, -120], (60, 45))
    out = tmp_path / "stitched.jpg"
    with pytest.raises(PanoramaError) as caught:
        stitch_photos(photos, out)
    assert caught.value.code == "no_overlap"
    assert_vietnamese(caught.value.message)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [p.name for p in photos]


def test_one_photo_is_not_enough(tmp_path, small_pano):
    photos = _views(small_pano, tmp_path, [0], (90, 73.74))
    with pytest.raises(PanoramaError) as caught:
        stitch_photos(photos, tmp_path / "stitched.jpg")
    assert caught.value.code == "too_few"
    assert_vietnamese(caught.value.message)


def test_a_broken_photo_is_named(tmp_path, small_pano):
    photos = _views(small_pano, tmp_path, [-30, 30], (90, 73.74))
    photos[1].write_bytes(photos[1].read_bytes()[:5000])
    with pytest.raises(PanoramaError) as caught:
        stitch_photos(photos, tmp_path / "stitched.jpg")
    assert caught.value.code == "truncated"
    assert photos[1].name in caught.value.message
    assert_vietnamese(caught.value.message)
