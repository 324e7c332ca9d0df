"""JPEG panoramas decoded a band of rows at a time: the same tiles, seamless faces, less memory."""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from media_pipeline.panoramas import decoding, tiling
from media_pipeline.panoramas.cubemap import REMAP_MAX_SIDE, CubeProjector
from media_pipeline.panoramas.decoding import SourcePixels, StreamedJpeg
from media_pipeline.panoramas.inspection import (
    FieldOfView,
    PanoramaError,
    inspect_image,
    inspect_panorama,
)
from media_pipeline.panoramas.limits import MAX_PANORAMA_PIXELS
from media_pipeline.panoramas.tiling import build_tile_pyramid
from tests.media_pipeline.panorama_helpers import tile_face
from tests.media_pipeline.panorama_images import PHOTO, psnr, synthetic_pano, textured_pano
from tests.vietnamese import assert_vietnamese

LETTERS = "frblud"


def _whole(monkeypatch) -> None:
    """Make the tiler decode every image whole, as it did before streaming."""
    monkeypatch.setattr(
        tiling, "open_source", lambda info, step: SourcePixels(decoding._decode_whole(info))
    )


def test_streamed_photo_gives_the_tiles_of_a_whole_decode(tmp_path, monkeypatch):
    streamed = build_tile_pyramid(PHOTO, tmp_path / "streamed", tile_size=256)
    _whole(monkeypatch)
    whole = build_tile_pyramid(PHOTO, tmp_path / "whole", tile_size=256)
    assert streamed.tile_count == whole.tile_count
    names = sorted(str(p.relative_to(streamed.path)) for p in streamed.path.rglob("*.jpg"))
    assert names == sorted(str(p.relative_to(whole.path)) for p in whole.path.rglob("*.jpg"))
    top, size = streamed.max_level, streamed.cube_resolution
    for letter in LETTERS:
        a = tile_face(streamed.path, top, letter, size, 256)
        b = tile_face(whole.path, top, letter, size, 256)
        assert psnr(a, b) > 45, letter
    preview_a = cv2.imread(str(streamed.path / "preview.jpg"))
    assert psnr(preview_a, cv2.imread(str(whole.path / "preview.jpg"))) > 40


@pytest.mark.parametrize("orientation", [2, 3, 4])
def test_a_flipped_jpeg_is_streamed_and_shown_upright(tmp_path, orientation):
    # Flipped upside down (3, 4), the down face reads the first rows and is tiled first.
    shown = Image.fromarray(synthetic_pano(2048, 1024))
    upright = tmp_path / "upright.jpg"
    shown.save(upright, quality=95, subsampling=0)
    undo = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
    }[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = tmp_path / "stored.jpg"
    shown.transpose(undo).save(stored, quality=95, subsampling=0, exif=exif)
    a = build_tile_pyramid(upright, tmp_path / "a", tile_size=256)
    b = build_tile_pyramid(stored, tmp_path / "b", tile_size=256)
    for letter in LETTERS:
        top, size = a.max_level, a.cube_resolution
        assert (
            psnr(
                tile_face(a.path, top, letter, size, 256), tile_face(b.path, top, letter, size, 256)
            )
            > 38
        )


@pytest.fixture(scope="module")
def seamless(tmp_path_factory):
    """Tiles of a panorama without a seam at ±180° (4:4:4 JPEG, so blocks hide nothing)."""
    folder = tmp_path_factory.mktemp("seamless")
    path = folder / "seamless.jpg"
    Image.fromarray(textured_pano(2048, 1024, seed=3)).save(path, quality=95, subsampling=0)
    info = build_tile_pyramid(path, folder / "tiles", tile_size=256)
    size = info.cube_resolution
    return {letter: tile_face(info.path, info.max_level, letter, size, 256) for letter in LETTERS}


def _column_score(a: np.ndarray, b: np.ndarray) -> float:
    return psnr(a.astype(np.uint8), b.astype(np.uint8))


@pytest.mark.parametrize(
    ("left", "right"), [("f", "r"), ("r", "b"), ("b", "l"), ("l", "f")], ids=lambda x: x
)
def test_side_faces_meet_without_a_seam(seamless, left, right):
    # Where two faces meet, the edge columns are as alike as two neighbouring columns of a face
    # in different tiles; a face sampled from the wrong place or mirrored scores far lower.
    a, b = seamless[left], seamless[right]
    across_tiles = _column_score(a[:, 255], a[:, 256])
    edge = _column_score(a[:, -1], b[:, 0])
    assert edge > across_tiles - 1
    assert _column_score(a[:, -1], b[:, -1]) < edge - 10


def test_up_and_down_faces_meet_the_front_face(seamless):
    front, up, down = seamless["f"], seamless["u"], seamless["d"]
    across_tiles = _column_score(front[255], front[256])
    assert _column_score(up[-1], front[0]) > across_tiles - 1
    assert _column_score(down[0], front[-1]) > across_tiles - 1
    assert _column_score(up[0], front[0]) < _column_score(up[-1], front[0]) - 10


def test_the_back_face_hides_the_panoramas_own_edge(seamless):
    # The middle of the back face is where the panorama's left and right edges meet; a decoder
    # that did not carry the edges across would draw a line there.
    back = seamless["b"]
    half = back.shape[1] // 2
    inner = _column_score(back[:, half - 3], back[:, half - 2])
    assert _column_score(back[:, half - 1], back[:, half]) > inner - 3


def test_a_streamed_jpeg_never_holds_more_than_60_percent_of_its_rows(tmp_path, monkeypatch):
    path = tmp_path / "pano.jpg"
    Image.fromarray(textured_pano(2048, 1024)).save(path, quality=90)
    # Fed 16 KB at a time, as a large panorama is fed 256 KB at a time (about 50 of 8192 rows).
    monkeypatch.setattr(decoding, "READ_BYTES", 16 * 1024)
    held: list[int] = []
    ensure = StreamedJpeg.ensure

    def spy(self, rows):
        ensure(self, rows)
        held.append(self.decoded - self.released)

    monkeypatch.setattr(StreamedJpeg, "ensure", spy)
    info = build_tile_pyramid(path, tmp_path / "tiles", tile_size=256)
    assert info.tile_count > 0 and held
    # Up face: the top 30 %; the side faces: the middle half; the down face: the bottom 30 %.
    assert max(held) <= 0.6 * 1024, max(held)


def test_a_panorama_wider_than_remap_takes_is_sampled_in_halves(tmp_path):
    # 32800 columns: OpenCV's remap takes fewer than 32767, so the back face, which reads
    # both ends of the panorama, is sampled in halves; it must show what the front face of
    # the panorama turned by 180° shows.
    width, height = 32800, 256
    image = synthetic_pano(width, height)
    fov = FieldOfView(360.0, 360.0 * height / width)

    def face(array: np.ndarray, index: int, name: str) -> np.ndarray:
        path = tmp_path / name
        Image.fromarray(array).save(path, quality=95, subsampling=0)
        projector = CubeProjector(StreamedJpeg(path, 64), fov, 512)
        out = np.zeros((512, 512, 3), np.uint8)
        for r0 in range(0, 512, 128):
            projector.render(index, r0, r0 + 128, out[r0 : r0 + 128])
        projector.release()
        return out

    assert width > REMAP_MAX_SIDE
    back = face(image, 2, "wide.jpg")
    front = face(np.roll(image, width // 2, axis=1), 0, "turned.jpg")
    band = slice(250, 262)  # the panorama is a thin band around the horizon
    assert back[band].std() > 20  # something was drawn
    assert psnr(back[band], front[band]) > 40


def test_a_jpeg_cut_short_after_inspection_is_reported_and_nothing_is_published(tmp_path):
    path = tmp_path / "pano.jpg"
    Image.fromarray(synthetic_pano(2048, 1024)).save(path, quality=90)
    info = inspect_panorama(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # the file changed on disk since it was inspected
    with pytest.raises(PanoramaError) as caught:
        build_tile_pyramid(path, tmp_path / "pano", info=info)
    assert caught.value.code == "corrupt"
    assert_vietnamese(caught.value.message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pano.jpg"]


def _claiming(path: Path, width: int, height: int, **save) -> Path:
    """A small JPEG whose header claims ``width`` × ``height`` pixels."""
    Image.fromarray(synthetic_pano(64, 32)).save(path, quality=80, **save)
    data = bytearray(path.read_bytes())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    path.write_bytes(bytes(data))
    return path


def test_the_default_limit_admits_a_32768_by_16384_jpeg(tmp_path):
    assert MAX_PANORAMA_PIXELS == 32768 * 16384
    info = inspect_panorama(_claiming(tmp_path / "big.jpg", 32768, 16384))
    assert (info.width, info.height) == (32768, 16384)
    with pytest.raises(PanoramaError) as caught:
        inspect_image(_claiming(tmp_path / "bigger.jpg", 32770, 16385))
    assert caught.value.code == "too_many_pixels"
    assert_vietnamese(caught.value.message)


def test_images_decoded_whole_keep_the_narrower_limit(tmp_path):
    # A JPEG turned 90° by its EXIF orientation is decoded whole: at most 29000 pixels a side.
    exif = Image.Exif()
    exif[0x0112] = 6
    turned = _claiming(tmp_path / "turned.jpg", 16384, 32768, exif=exif)
    with pytest.raises(PanoramaError) as caught:
        inspect_image(turned)
    assert caught.value.code == "too_many_pixels"
    assert "29000" in caught.value.message
