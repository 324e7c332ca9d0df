"""Panorama limits and initial view, decided once for the form, processing, command and viewer."""

from __future__ import annotations

import pytest
from PIL import Image

from media_pipeline.panoramas.inspection import PanoramaError, inspect_image, inspect_panorama
from media_pipeline.panoramas.limits import (
    MAX_PHOTO_PIXELS,
    MIN_PANORAMA_HEIGHT,
    MIN_PANORAMA_WIDTH,
    initial_view,
    pannellum_view,
    panorama_limits,
    photo_limits,
    view_fields,
)
from media_pipeline.panoramas.models import Panorama
from tests.media_pipeline.panorama_images import gpano_xmp, synthetic_pano


def _code(path, check, **limits) -> str:
    with pytest.raises(PanoramaError) as caught:
        check(path, **limits)
    return caught.value.code


def test_limits_follow_the_settings(settings, tmp_path):
    path = tmp_path / "sphere.jpg"
    Image.fromarray(synthetic_pano()).save(path)
    settings.PANORAMA_MAX_PIXELS = 2048 * 1024
    settings.PANORAMA_MAX_BYTES = path.stat().st_size - 1
    assert panorama_limits() == {"max_pixels": 2048 * 1024, "max_bytes": path.stat().st_size - 1}
    assert photo_limits() == {"max_pixels": MAX_PHOTO_PIXELS, "max_bytes": path.stat().st_size - 1}
    assert _code(path, inspect_panorama, **panorama_limits()) == "file_too_large"
    assert _code(path, inspect_image, **photo_limits()) == "file_too_large"
    settings.PANORAMA_MAX_BYTES = path.stat().st_size
    settings.PANORAMA_MAX_PIXELS = 1024 * 512 - 1
    assert _code(path, inspect_panorama, **panorama_limits()) == "too_many_pixels"


def test_a_panorama_below_the_minimum_size_is_refused(tmp_path):
    path = tmp_path / "small.jpg"
    Image.fromarray(synthetic_pano(MIN_PANORAMA_WIDTH - 2, MIN_PANORAMA_HEIGHT)).save(path)
    assert _code(path, inspect_panorama) == "too_small"


@pytest.fixture
def gpano_info(tmp_path):
    xmp = gpano_xmp(
        ProjectionType="equirectangular",
        PoseHeadingDegrees=350,
        InitialViewHeadingDegrees=80,
        InitialViewPitchDegrees=-12.3456,
        InitialHorizontalFOVDegrees=75,
    )
    path = tmp_path / "sphere.jpg"
    Image.fromarray(synthetic_pano()).save(path, xmp=xmp)
    return inspect_panorama(path)


def test_the_file_fills_the_initial_view_staff_left_empty(gpano_info):
    # An 80° compass heading is 90° right of a camera pointing at 350°.
    expected = {"initial_yaw": 90.0, "initial_pitch": -12.35, "initial_hfov": 75.0}
    assert initial_view({}, gpano_info) == expected
    staff = {"initial_yaw": 10.0, "initial_pitch": None, "initial_hfov": 0.0}
    assert initial_view(staff, gpano_info) == {"initial_pitch": -12.35}


def test_the_viewer_opens_where_the_panorama_says():
    pano = Panorama(initial_yaw=35.0, initial_pitch=None, initial_hfov=0.0)
    assert view_fields(pano) == {"initial_yaw": 35.0, "initial_pitch": None, "initial_hfov": 0.0}
    assert pannellum_view(view_fields(pano)) == {"yaw": 35.0, "hfov": 0.0}
    assert pannellum_view({}) == {}
