"""A visitor zooms into a rubbing: OpenSeadragon arrives on the click and draws our IIIF tiles."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model

from content.models import Inscription
from tests.browser.chromium import wait_until
from tests.factories import make_district, make_relic, publish
from tests.installed import vendored
from tests.media_pipeline.iiif_helpers import jpeg_bytes, rubbing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TILE = re.compile(r"/media/iiif/\d+/\w+/[\d,full]+/[\d,max]+/0/default\.jpg$")
FULL_RES = re.compile(r"/\d+,\d+,(\d+),\d+/(\d+),\d+/0/default\.jpg$")


def tiles_seen(statuses: dict[str, int]) -> list[str]:
    return [u for u in statuses if TILE.search(u)]


@pytest.fixture
def relic_url(live_server):
    vendored("openseadragon")
    ward = make_district()["wards"][0]  # also the tree and collection roots images need
    image = get_image_model()(title="Bản dập bia")
    image.file = ImageFile(io.BytesIO(jpeg_bytes(rubbing(1800, 2400))), name="ban-dap.jpg")
    image.save()
    relic = make_relic(ward, title="Đình Hàng Kênh")
    relic.inscriptions = [Inscription(title="Bia Hậu thần", rubbing_image=image)]
    publish(relic)  # the tiles task runs in-process when the publish commits
    assert image.iiif_tiles.status == "ready"
    return f"{live_server.url}{relic.url}"


LOADED = (
    "window.rubbingViewer && window.rubbingViewer.world.getItemCount() === 1"
    " && window.rubbingViewer.world.getItemAt(0).getFullyLoaded()"
)


def _pinch_out(phone, box) -> None:
    """Two fingers moving apart over the viewer, through Chromium's touch input."""
    cdp = phone.context.new_cdp_session(phone)
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def touch(kind: str, spread: float) -> None:
        points = (
            []
            if kind == "touchEnd"
            else [
                {"x": cx - spread, "y": cy, "id": 1},
                {"x": cx + spread, "y": cy, "id": 2},
            ]
        )
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 20)
    for spread in range(30, 160, 10):
        touch("touchMove", spread)
        phone.wait_for_timeout(16)
    touch("touchEnd", 0)


def test_visitor_zooms_into_a_rubbing_with_fingers_and_keys(phone, relic_url):
    statuses: dict[str, int] = {}
    phone.on("response", lambda r: statuses.__setitem__(r.url, r.status))
    phone.goto(relic_url, wait_until="load")
    button = phone.get_by_role("button", name="Phóng to bản dập")
    button.scroll_into_view_if_needed()
    phone.wait_for_timeout(300)
    # Nothing of the viewer until asked: no OpenSeadragon, no info.json, no tile.
    assert not any("openseadragon" in u or "/media/iiif/" in u for u in phone.requested_urls)
    assert phone.locator("figure img").first.is_visible()  # the rendition is the first view

    button.click()
    wait_until(phone, LOADED)
    assert any(u.endswith("/openseadragon.min.js") for u in phone.requested_urls)
    tiles = {u: s for u, s in statuses.items() if TILE.search(u)}
    assert tiles and set(tiles.values()) == {200}

    viewer = phone.locator(".rubbing-viewer")
    shot = Image.open(io.BytesIO(viewer.screenshot())).convert("L")
    pixels = np.asarray(shot, np.float32)
    assert pixels.shape[0] > 200 and pixels.std() > 20  # the rubbing's strokes, not a blank box

    # Pinch to zoom on a phone: the viewport zooms in and full-resolution tiles arrive.
    home = phone.evaluate("window.rubbingViewer.viewport.getZoom()")
    _pinch_out(phone, viewer.bounding_box())
    wait_until(phone, f"window.rubbingViewer.viewport.getZoom() > {home} * 1.5")
    wait_until(phone, LOADED)

    # Keyboard: the viewer has focus; "-" zooms out again, Escape closes and returns focus.
    label = phone.evaluate(
        "document.activeElement.closest('.rubbing-viewer').getAttribute('aria-label')"
    )
    assert "Bia Hậu thần" in label
    zoom = phone.evaluate("window.rubbingViewer.viewport.getZoom()")
    phone.keyboard.down("-")  # OpenSeadragon zooms while the key is held
    wait_until(phone, f"window.rubbingViewer.viewport.getZoom() < {zoom} * 0.9")
    phone.keyboard.up("-")
    phone.keyboard.press("Escape")
    wait_until(phone, "!document.querySelector('.rubbing-viewer')")
    assert phone.evaluate("document.activeElement.textContent") == "Phóng to bản dập"

    # After the pinch the viewer asked for full-resolution tiles (region as wide as the tile).
    full_res = [u for u in tiles_seen(statuses) if (m := FULL_RES.search(u)) and m[1] == m[2]]
    assert full_res and all(statuses[u] == 200 for u in full_res)
    assert phone.console_errors == []  # a CSP violation would show here
