"""Pannellum draws our multires pyramid exactly where it draws the equirectangular original."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import cv2
import numpy as np
import pytest

from media_pipeline.panoramas.tiling import build_tile_pyramid
from tests.installed import vendored
from tests.media_pipeline.panorama_images import PHOTO, psnr

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="pannellum.css"><script src="pannellum.js"></script>
<style>body{margin:0}#v{width:480px;height:360px}</style></head><body><div id="v"></div>
<script>
const q = new URLSearchParams(location.search);
const config = q.get("mode") === "equirectangular"
  ? {type: "equirectangular", panorama: "photo.jpg"}
  : Object.assign(PYRAMID, {basePath: "pyramid"});
delete config.preview;
Object.assign(config, {autoLoad: true, showControls: false, hfov: 90, minPitch: -90,
  maxPitch: 90, yaw: +q.get("yaw"), pitch: +q.get("pitch")});
window.viewer = pannellum.viewer("v", config);
</script></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("viewer")
    for name in ("pannellum.js", "pannellum.css"):
        shutil.copy(vendored(f"pannellum/{name}"), root / name)
    shutil.copy(PHOTO, root / "photo.jpg")
    info = build_tile_pyramid(PHOTO, root / "pyramid")
    page = PAGE.replace("PYRAMID", json.dumps(info.config))
    (root / "index.html").write_text(page, encoding="utf-8")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _view(browser, site: str, mode: str, yaw: float, pitch: float) -> np.ndarray:
    page = browser.new_page(viewport={"width": 480, "height": 360})
    page.goto(f"{site}/index.html?mode={mode}&yaw={yaw}&pitch={pitch}")
    page.wait_for_function("window.viewer && window.viewer.isLoaded()", polling=100)
    # Multires: wait until the renderer has the tiles of the view it chose.
    page.wait_for_function("!window.viewer.getRenderer().isLoading()", polling=100)
    page.wait_for_timeout(300)
    shot = page.locator("#v").screenshot()
    page.close()
    return cv2.imdecode(np.frombuffer(shot, np.uint8), cv2.IMREAD_COLOR)


@pytest.mark.parametrize(("yaw", "pitch"), [(0, 0), (135, 20), (-100, -10), (0, 80), (60, -80)])
def test_pyramid_looks_like_the_original(browser, site, yaw, pitch):
    original = _view(browser, site, "equirectangular", yaw, pitch)
    tiled = _view(browser, site, "multires", yaw, pitch)
    assert psnr(original, tiled) > 22  # lower tile levels blur a little


def test_a_view_elsewhere_does_not_pass(browser, site):
    # What the comparison is worth: the same scene turned 90° scores far below 22 dB.
    original = _view(browser, site, "equirectangular", 0, 0)
    assert psnr(original, _view(browser, site, "multires", 90, 0)) < 16
