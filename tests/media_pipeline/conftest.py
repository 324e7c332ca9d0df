"""Fixtures for the panorama pipeline: a full-size generated panorama, a media folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.media_pipeline.panorama_images import jpeg_bytes, textured_pano


@pytest.fixture(scope="session")
def sphere_jpeg(tmp_path_factory) -> Path:
    """A generated 4096×2048 equirectangular JPEG, the size and texture of a 360° photograph."""
    path = tmp_path_factory.mktemp("sphere") / "sphere.jpg"
    path.write_bytes(jpeg_bytes(textured_pano(4096, 2048), quality=92))
    return path


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
