"""Checking uploaded panoramas before any heavy work: bad files get a Vietnamese message."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from media_pipeline.panoramas.inspection import (
    FieldOfView,
    PanoramaError,
    inspect_panorama,
    parse_gpano,
)
from tests.media_pipeline.panorama_images import gpano_xmp, synthetic_pano
from tests.vietnamese import assert_vietnamese


def _save(path: Path, width: int = 1024, height: int = 512, **params) -> Path:
    Image.fromarray(synthetic_pano(width, height)).save(path, **params)
    return path


def _refused(path: Path, code: str, **kwargs) -> PanoramaError:
    with pytest.raises(PanoramaError) as caught:
        inspect_panorama(path, **kwargs)
    assert caught.value.code == code
    assert_vietnamese(caught.value.message)
    return caught.value


def test_full_equirectangular_photo_is_accepted(sphere_jpeg):
    info = inspect_panorama(sphere_jpeg)
    assert (info.width, info.height) == (4096, 2048)
    assert info.header.format == "JPEG"
    assert info.fov == FieldOfView() and info.fov.is_full
    assert info.fov_source == "full"


def test_truncated_jpeg_is_refused(tmp_path, sphere_jpeg):
    data = sphere_jpeg.read_bytes()
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    _refused(truncated, "truncated")


def test_truncated_png_is_refused(tmp_path):
    whole = _save(tmp_path / "whole.png")
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:-2000])
    _refused(cut, "truncated")


def test_text_file_renamed_jpg_is_refused(tmp_path):
    fake = tmp_path / "anh-360.jpg"
    fake.write_text("Đây không phải là ảnh, chỉ là văn bản.", encoding="utf-8")
    _refused(fake, "not_image")


def test_empty_file_is_refused(tmp_path):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    _refused(empty, "empty")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_decompression_bomb_is_refused_from_its_header(tmp_path):
    # 100 bytes that claim 100 000 × 100 000 pixels (30 GB decoded).
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )
    error = _refused(bomb, "too_many_pixels")
    assert "100000×100000" in error.message


def test_pixel_limit_is_a_parameter(tmp_path):
    pano = _save(tmp_path / "pano.png", 2048, 1024)
    assert inspect_panorama(pano).width == 2048
    _refused(pano, "too_many_pixels", max_pixels=1024 * 512)


def test_file_size_limit(tmp_path):
    pano = _save(tmp_path / "pano.png")
    _refused(pano, "file_too_large", max_bytes=1000)


def test_tiny_image_is_refused(tmp_path):
    _refused(_save(tmp_path / "tiny.jpg", 200, 100), "too_small")


def test_non_two_to_one_without_field_of_view_is_refused(tmp_path):
    wide = _save(tmp_path / "wide.jpg", 1600, 1000)
    error = _refused(wide, "needs_fov")
    assert "haov" in error.message


def test_staff_field_of_view_makes_a_partial_panorama(tmp_path):
    wide = _save(tmp_path / "wide.jpg", 1600, 1000)
    info = inspect_panorama(wide, haov=120, vaov=75, v_offset=5)
    assert info.fov == FieldOfView(haov=120, vaov=75, v_offset=5)
    assert info.fov_source == "staff" and not info.fov.is_full


@pytest.mark.parametrize(
    ("haov", "vaov", "v_offset"), [(0, 60, 0), (400, 60, 0), (120, 200, 0), (120, 100, 60)]
)
def test_impossible_staff_field_of_view_is_refused(tmp_path, haov, vaov, v_offset):
    wide = _save(tmp_path / "wide.jpg", 1600, 1000)
    _refused(wide, "bad_fov", haov=haov, vaov=vaov, v_offset=v_offset)


def test_gpano_heading_sets_the_initial_view(tmp_path):
    xmp = gpano_xmp(
        ProjectionType="equirectangular", PoseHeadingDegrees=350, InitialViewHeadingDegrees=80
    )
    pano = _save(tmp_path / "sphere.jpg", xmp=xmp)
    info = inspect_panorama(pano)
    assert info.gpano is not None and info.gpano.pose_heading == 350
    view = info.initial_view()
    assert view["northOffset"] == 350
    assert view["yaw"] == pytest.approx(90)  # 80° compass is 90° right of a 350° centre


def test_gpano_as_xml_elements_with_another_prefix():
    xmp = (
        '<rdf:Description xmlns:P="http://ns.google.com/photos/1.0/panorama/">'
        "<P:InitialViewHeadingDegrees> 45 </P:InitialViewHeadingDegrees>"
        "<P:ProjectionType>equirectangular</P:ProjectionType></rdf:Description>"
    )
    gpano = parse_gpano(xmp)
    assert gpano is not None
    assert gpano.initial_heading == 45 and gpano.projection_type == "equirectangular"


def test_gpano_cropped_area_gives_the_field_of_view(tmp_path):
    # A 2000×500 strip cut from a 4000×2000 sphere, its top 600 rows below the zenith.
    xmp = gpano_xmp(
        ProjectionType="equirectangular",
        CroppedAreaImageWidthPixels=2000,
        CroppedAreaImageHeightPixels=500,
        FullPanoWidthPixels=4000,
        FullPanoHeightPixels=2000,
        CroppedAreaLeftPixels=1000,
        CroppedAreaTopPixels=600,
    )
    info = inspect_panorama(_save(tmp_path / "strip.jpg", 2000, 500, xmp=xmp))
    assert info.fov_source == "gpano"
    assert info.fov.haov == pytest.approx(180)
    assert info.fov.vaov == pytest.approx(45)
    assert info.fov.v_offset == pytest.approx(90 - 180 * 850 / 2000)
    assert info.fov.h_offset == pytest.approx(0)


def test_cylindrical_gpano_is_refused(tmp_path):
    xmp = gpano_xmp(ProjectionType="cylindrical")
    _refused(_save(tmp_path / "cyl.jpg", xmp=xmp), "bad_projection")


def test_exif_orientation_swaps_the_displayed_size(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned: shown rotated 90° clockwise
    stored = _save(tmp_path / "turned.jpg", 512, 1024, exif=exif)
    info = inspect_panorama(stored)
    assert info.header.orientation == 6
    assert (info.header.raw_width, info.header.raw_height) == (512, 1024)
    assert (info.width, info.height) == (1024, 512)
    assert info.fov.is_full
