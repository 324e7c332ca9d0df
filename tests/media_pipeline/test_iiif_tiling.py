"""IIIF level 0 tiles: every URL a client asks for exists; re-runs reuse; failures keep the last."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from media_pipeline.iiif.tiling import TilingError, build_iiif_tiles
from tests.media_pipeline.iiif_helpers import iiif_parse, jpeg_bytes, rubbing

BASE = "https://disan.example.gov.vn/media/iiif/7/abc"


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "rubbing.jpg"
    path.write_bytes(jpeg_bytes(rubbing()))
    return path


def openseadragon_urls(info: dict) -> set[str]:
    """The tile paths OpenSeadragon 6 requests from an Image API 3 level 0 info.json."""
    width, height = info["width"], info["height"]
    tile = info["tiles"][0]["width"]
    factors = info["tiles"][0]["scaleFactors"]
    max_level = round(math.log2(max(factors)))
    urls = set()
    for level in range(max_level + 1):
        scale = 0.5 ** (max_level - level)
        lw, lh = math.ceil(width * scale), math.ceil(height * scale)
        span = round(tile / scale)
        if lw < tile and lh < tile:
            size = "max" if (lw, lh) == (width, height) else f"{lw},{lh}"
            urls.add(f"full/{size}/0/default.jpg")
            continue
        for y in range(math.ceil(lh / tile)):
            for x in range(math.ceil(lw / tile)):
                rx, ry = x * span, y * span
                rw, rh = min(span, width - rx), min(span, height - ry)
                whole = (x, y, rw, rh) == (0, 0, width, height)
                region = "full" if whole else f"{rx},{ry},{rw},{rh}"
                sw, sh = min(tile, lw - x * tile), min(tile, lh - y * tile)
                size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                urls.add(f"{region}/{size}/0/default.jpg")
    return urls


def test_info_json_is_level0_with_tiles_and_sizes(source, tmp_path):
    result = build_iiif_tiles(source, tmp_path / "out", BASE, 512)
    info = json.loads((tmp_path / "out" / "info.json").read_text())
    assert info == result.info
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert (info["id"], info["type"], info["protocol"], info["profile"]) == (
        BASE,
        "ImageService3",
        "http://iiif.io/api/image",
        "level0",
    )
    assert (info["width"], info["height"]) == (1100, 1500)
    assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4]}]
    assert info["sizes"] == [
        {"width": 275, "height": 375},
        {"width": 550, "height": 750},
        {"width": 1100, "height": 1500},
    ]
    for size in info["sizes"]:
        for spelling in (f"{size['width']},{size['height']}", f"{size['width']},"):
            with Image.open(tmp_path / "out" / "full" / spelling / "0" / "default.jpg") as img:
                assert img.size == (size["width"], size["height"])


def test_every_tile_a_viewer_asks_for_is_there_and_shows_the_right_part(source, tmp_path):
    out = tmp_path / "out"
    result = build_iiif_tiles(source, out, BASE, 512)
    original = np.asarray(Image.open(source).convert("L"), dtype=np.float32)

    # OpenSeadragon (the viewer on the relic page, in Mirador and in Universal Viewer).
    wanted = openseadragon_urls(result.info)
    assert len(wanted) == result.tile_count == 9 + 4 + 1
    for rel in wanted:
        assert (out / rel).is_file(), rel
    # Image API 2 clients and the brief's spelling: w, sizes.
    assert (out / "0,0,512,512/512,/0/default.jpg").is_file()
    assert (out / "full/275,/0/default.jpg").is_file()

    # An independent client, @allmaps/iiif-parser, computes the same tile URLs.
    for url in iiif_parse({"info": result.info})["tiles"]:
        assert url.startswith(BASE + "/")
        assert (out / url.removeprefix(BASE + "/")).is_file(), url

    # A full-resolution tile is that part of the rubbing, not another.
    tile = np.asarray(Image.open(out / "512,512,512,512/512,512/0/default.jpg"), np.float32)
    assert tile.shape == (512, 512)
    assert np.abs(tile - original[512:1024, 512:1024]).mean() < 4
    assert np.abs(tile - original[0:512, 0:512]).mean() > 20
    # The edge tile of the half-size level covers the rest of the image, halved.
    edge = Image.open(out / "0,1024,1024,476/512,238/0/default.jpg")
    assert edge.size == (512, 238)


def test_rerun_reuses_and_a_failed_run_keeps_the_last_good_set(source, tmp_path):
    out = tmp_path / "out"
    first = build_iiif_tiles(source, out, BASE, 512)
    tile = out / "0,0,512,512/512,512/0/default.jpg"
    before = tile.stat().st_mtime_ns
    again = build_iiif_tiles(source, out, BASE, 512)
    assert again.reused and tile.stat().st_mtime_ns == before

    broken = tmp_path / "broken.jpg"
    broken.write_bytes(source.read_bytes()[:3000])  # a truncated upload
    with pytest.raises(TilingError) as err:
        build_iiif_tiles(broken, out, BASE, 512, force=True)
    assert err.value.code == "corrupt"
    assert json.loads((out / "info.json").read_text()) == first.info
    assert tile.stat().st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_too_many_pixels_is_refused_before_decoding(tmp_path):
    big = tmp_path / "big.png"
    Image.new("L", (3000, 2000)).save(big)
    with pytest.raises(TilingError) as err:
        build_iiif_tiles(big, tmp_path / "out", BASE, max_pixels=5_000_000)
    assert err.value.code == "too-large" and "3000×2000" in err.value.message
    assert not (tmp_path / "out").exists()


def test_not_an_image_is_refused(tmp_path):
    text = tmp_path / "notes.jpg"
    text.write_text("không phải ảnh")
    with pytest.raises(TilingError) as err:
        build_iiif_tiles(text, tmp_path / "out", BASE)
    assert err.value.code == "not-image"


def test_colour_photo_turned_by_exif_is_tiled_upright(tmp_path):
    photo = rubbing(600, 400, "RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    path = tmp_path / "photo.jpg"
    photo.save(path, "JPEG", exif=exif)
    result = build_iiif_tiles(path, tmp_path / "out", BASE, 256)
    assert (result.width, result.height) == (400, 600)
    with Image.open(tmp_path / "out" / "full/max/0/default.jpg") as img:
        assert img.mode == "RGB" and img.size == (400, 600)
