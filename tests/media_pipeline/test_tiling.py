"""The multires pyramid: Pannellum's layout, the right geometry, atomic and idempotent publish."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import py360convert
import pytest
from PIL import Image

from media_pipeline.panoramas import tiling
from media_pipeline.panoramas.cubemap import CubeProjector
from media_pipeline.panoramas.inspection import FieldOfView, PanoramaError, inspect_panorama
from media_pipeline.panoramas.tiling import build_tile_pyramid, level_sizes
from tests.media_pipeline.panorama_helpers import tile_face
from tests.media_pipeline.panorama_images import gpano_xmp, psnr, synthetic_pano
from tests.vietnamese import assert_vietnamese

LETTERS = "frblud"


@pytest.fixture(scope="module")
def pyramid(sphere_jpeg, tmp_path_factory):
    out = tmp_path_factory.mktemp("published") / "sphere"
    fractions: list[float] = []
    info = build_tile_pyramid(sphere_jpeg, out, progress=fractions.append)
    return info, out, fractions


def test_levels_tiles_and_config_follow_pannellum(pyramid):
    info, out, _ = pyramid
    # generate.py: cube = 8 * int(4096 / pi / 8) = 1296; levels 324, 648, 1296.
    assert info.cube_resolution == 1296
    assert info.level_sizes == (324, 648, 1296)
    config = json.loads((out / "config.json").read_text())
    assert config["type"] == "multires"
    assert config["multiRes"] == {
        "path": "/%l/%s%y_%x",
        "fallbackPath": "/fallback/%s",
        "extension": "jpg",
        "tileResolution": 512,
        "maxLevel": 3,
        "cubeResolution": 1296,
    }
    expected = {1: 1, 2: 4, 3: 9}  # tiles per face: 1×1, 2×2, 3×3
    for level, per_face in expected.items():
        names = sorted(p.name for p in (out / str(level)).iterdir())
        assert len(names) == 6 * per_face
        assert {n[0] for n in names} == set(LETTERS)
    assert info.tile_count == 6 * sum(expected.values())
    assert sorted(p.name for p in (out / "fallback").iterdir()) == sorted(
        f"{letter}.jpg" for letter in LETTERS
    )
    preview = Image.open(out / "preview.jpg")
    assert preview.size == (512, 256)
    assert config["preview"] == "/preview.jpg"


def test_tiles_are_512_pixels_with_smaller_edges(pyramid):
    _, out, _ = pyramid
    assert Image.open(out / "3" / "f0_0.jpg").size == (512, 512)
    assert Image.open(out / "3" / "f0_2.jpg").size == (1296 - 1024, 512)
    assert Image.open(out / "3" / "f2_2.jpg").size == (272, 272)
    assert Image.open(out / "2" / "u1_1.jpg").size == (648 - 512, 648 - 512)
    assert Image.open(out / "1" / "d0_0.jpg").size == (324, 324)
    assert Image.open(out / "fallback" / "b.jpg").size == (1024, 1024)


def test_faces_match_py360convert(pyramid, sphere_jpeg):
    # py360convert puts pixel centres on the face edges, we put them half a pixel in (so tiles
    # meet the cube's edges), hence the comparison at a quarter of the size; a face drawn
    # turned or mirrored scores 11 to 17 dB.
    _, out, _ = pyramid
    reference = py360convert.e2c(cv2.imread(str(sphere_jpeg)), face_w=1296, cube_format="dict")
    for letter in LETTERS:
        ours = tile_face(out, 3, letter, 1296)
        theirs = reference[letter.upper()]
        small = (324, 324)
        score = psnr(
            cv2.resize(ours, small, interpolation=cv2.INTER_AREA),
            cv2.resize(theirs, small, interpolation=cv2.INTER_AREA),
        )
        assert score > 35, (letter, score)
        if letter in "frbl":
            assert psnr(ours[512:1024, 512:1024], theirs[512:1024, 512:1024]) > 30


def test_lower_levels_are_the_top_level_shrunk(pyramid):
    _, out, _ = pyramid
    top = tile_face(out, 3, "r", 1296)
    level1 = cv2.imread(str(out / "1" / "r0_0.jpg"))
    assert psnr(level1, cv2.resize(top, (324, 324), interpolation=cv2.INTER_AREA)) > 30


def test_progress_is_reported_up_to_done(pyramid):
    _, _, fractions = pyramid
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert len(fractions) > 10


def test_rerun_is_idempotent(pyramid, sphere_jpeg):
    info, out, _ = pyramid
    before = {p.relative_to(out): p.stat().st_mtime_ns for p in out.rglob("*")}
    again = build_tile_pyramid(sphere_jpeg, out)
    assert again.reused
    assert again.config == info.config
    assert {p.relative_to(out): p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_coarse_maps_match_exact_sampling():
    image = cv2.cvtColor(synthetic_pano(2048, 1024), cv2.COLOR_RGB2BGR)
    projector = CubeProjector(image, FieldOfView(), 648)
    for face in range(6):
        fast = projector.render_face(face)
        exact = projector.render_face_exact(face)
        assert psnr(fast, exact) > 45, face


def test_the_rows_a_face_reads_reach_the_poles():
    # A streamed source gives back the rows above the first one the remaining faces read, so
    # the up face must count the pole's own row, which only the exact cells near it reach.
    image = np.zeros((2048, 4096, 3), np.uint8)
    projector = CubeProjector(image, FieldOfView(), 1296)
    assert projector.face_rows(4)[0] == 0
    assert projector.face_rows(5)[1] == 2048


def test_the_rows_a_side_face_still_reads_shrink_band_by_band():
    # The last side face gives its rows back band by band, so that the decoder goes on into
    # the down face's rows while it is sampled: what is left must still cover every pixel.
    image = np.zeros((2048, 4096, 3), np.uint8)
    projector = CubeProjector(image, FieldOfView(), 1296)
    firsts = []
    for start in range(0, 1296, 128):
        first, end = projector.face_rows(3, start)
        i, j = np.mgrid[start:1296, 0:1296].astype(float)
        _xs, ys = projector._finish(*projector._logical_xy(3, i, j))
        assert first <= ys.min() - 1 and ys.max() + 1 <= end, start
        firsts.append(first)
    assert firsts == sorted(firsts) and firsts[-1] > firsts[0] + 400
    assert projector.face_rows(3, 1296) == (0, 0)


def test_a_large_face_sampled_band_by_band_gives_the_same_files(sphere_jpeg, tmp_path, monkeypatch):
    # 128-pixel tiles and a 256-pixel fallback make the 1296-pixel faces "large": they are
    # sampled into three bands in turn and the next level down is made band by band.
    settings = {"tile_size": 128, "fallback_size": 256}
    banded = build_tile_pyramid(sphere_jpeg, tmp_path / "banded", **settings).path
    monkeypatch.setattr(tiling, "RING_BANDS", 1000)  # now every face is sampled whole
    whole = build_tile_pyramid(sphere_jpeg, tmp_path / "whole", **settings).path
    files = sorted(p.relative_to(whole) for p in whole.rglob("*.jpg"))
    assert len(files) > 6 * 11 * 11
    assert sorted(p.relative_to(banded) for p in banded.rglob("*.jpg")) == files
    for name in files:
        assert (banded / name).read_bytes() == (whole / name).read_bytes(), name


def _pano_file(path: Path, image: np.ndarray) -> Path:
    Image.fromarray(image).save(path)
    return path


def test_failure_midway_keeps_the_old_pyramid_and_no_temp(tmp_path):
    out = tmp_path / "site" / "pano"
    first = _pano_file(tmp_path / "a.png", synthetic_pano())
    build_tile_pyramid(first, out)
    published = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    second = _pano_file(tmp_path / "b.png", synthetic_pano()[:, ::-1].copy())

    def crash(fraction: float) -> None:
        if fraction > 0.5:
            raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        build_tile_pyramid(second, out, progress=crash)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == published
    assert sorted(p.name for p in out.parent.iterdir()) == ["pano"]


def test_rebuild_replaces_the_pyramid_whole(tmp_path):
    out = tmp_path / "pano"
    build_tile_pyramid(_pano_file(tmp_path / "a.png", synthetic_pano()), out)
    old_tile = (out / "1" / "f0_0.jpg").read_bytes()
    flipped = synthetic_pano()[:, ::-1].copy()
    info = build_tile_pyramid(_pano_file(tmp_path / "b.png", flipped), out)
    assert not info.reused
    assert (out / "1" / "f0_0.jpg").read_bytes() != old_tile
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["source"]["name"] == "b.png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png", "pano"]


def test_corrupt_pixels_are_reported_and_nothing_is_published(tmp_path):
    whole = tmp_path / "whole.tif"
    Image.fromarray(synthetic_pano()).save(whole)
    cut = tmp_path / "cut.tif"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    info = inspect_panorama(cut)  # a TIFF's header survives truncation
    with pytest.raises(PanoramaError) as caught:
        build_tile_pyramid(cut, tmp_path / "pano", info=info)
    assert caught.value.code == "corrupt"
    assert_vietnamese(caught.value.message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.tif", "whole.tif"]


# Pillow's exif_transpose turns a stored image by these; store the inverse to display `image`.
_UNDO = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", sorted(_UNDO))
def test_exif_orientation_is_honoured(tmp_path, orientation):
    shown = Image.fromarray(synthetic_pano())
    upright = tmp_path / "upright.png"
    shown.save(upright)
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = tmp_path / "stored.png"
    shown.transpose(_UNDO[orientation]).save(stored, exif=exif)
    from PIL import ImageOps

    assert np.array_equal(np.asarray(ImageOps.exif_transpose(Image.open(stored))), shown)

    a = build_tile_pyramid(upright, tmp_path / "a", tile_size=128)
    b = build_tile_pyramid(stored, tmp_path / "b", tile_size=128)
    assert a.level_sizes == b.level_sizes
    for letter in LETTERS:
        top = a.max_level
        assert (
            psnr(tile_face(a.path, top, letter, 320, 128), tile_face(b.path, top, letter, 320, 128))
            > 40
        )
    preview_a = cv2.imread(str(a.path / "preview.jpg"))
    preview_b = cv2.imread(str(b.path / "preview.jpg"))
    assert psnr(preview_a, preview_b) > 30


def test_partial_panorama_sits_where_its_gpano_says(tmp_path):
    full = synthetic_pano(2048, 1024)
    band = full[256:768]  # pitch +45° to -45°
    xmp = gpano_xmp(
        ProjectionType="equirectangular",
        FullPanoWidthPixels=2048,
        FullPanoHeightPixels=1024,
        CroppedAreaImageWidthPixels=2048,
        CroppedAreaImageHeightPixels=512,
        CroppedAreaLeftPixels=0,
        CroppedAreaTopPixels=256,
    )
    band_path = tmp_path / "band.jpg"
    Image.fromarray(band).save(band_path, quality=95, xmp=xmp)
    full_path = tmp_path / "full.jpg"
    Image.fromarray(full).save(full_path, quality=95)

    partial = build_tile_pyramid(band_path, tmp_path / "band", tile_size=128)
    whole = build_tile_pyramid(full_path, tmp_path / "full", tile_size=128)
    assert partial.cube_resolution == whole.cube_resolution == 648
    assert partial.config["vaov"] == pytest.approx(90)
    assert (partial.config["minPitch"], partial.config["maxPitch"]) == pytest.approx((-45, 45))
    top = partial.max_level
    # The front face's middle lies inside the band and matches the whole panorama's.
    middle = f"{top}/f2_2.jpg"
    assert psnr(cv2.imread(str(partial.path / middle)), cv2.imread(str(whole.path / middle))) > 30
    # The zenith is outside the band: the up face's centre tiles are not written at all,
    # its corners (35° above the horizon) are.
    assert not (partial.path / f"{top}/u2_2.jpg").exists()
    assert (partial.path / f"{top}/u0_0.jpg").exists()
    assert partial.tile_count < whole.tile_count


def test_level_sizes_halve_like_generate_py():
    assert level_sizes(5208, 512) == (325, 651, 1302, 2604, 5208)
    assert level_sizes(512, 512) == (512,)
    assert level_sizes(300, 512) == (300,)
