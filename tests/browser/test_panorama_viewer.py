"""A visitor opens a relic's panorama: Pannellum arrives on the click and draws our tiles."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest
from django.core.files import File

from media_pipeline.models import Hotspot, Panorama
from media_pipeline.panoramas.processing import process_panorama
from tests.browser.chromium import wait_until
from tests.factories import make_district, make_relic
from tests.installed import vendored
from tests.media_pipeline.panorama_images import PHOTO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TILE = re.compile(r"/media/panoramas/tiles/\d+/\w+/\d+/[fblrud]\d+_\d+\.jpg$")


@pytest.fixture
def relic_url(live_server):
    vendored("pannellum/pannellum.js")
    relic = make_relic(make_district()["wards"][0], inscriptions=1)
    pano = Panorama.objects.create(title="Sân đình Đông Khê", relic=relic)
    with PHOTO.open("rb") as f:
        pano.original.save("san-dinh.jpg", File(f))
    Hotspot.objects.create(
        panorama=pano, kind="info", text="Bia đá", target_inscription=relic.inscriptions.get()
    )
    assert process_panorama(pano.pk) == "ready"
    return f"{live_server.url}{relic.url}", f"{live_server.url}/360/tour/{pano.pk}/embed/"


def _open(page) -> None:
    page.get_by_role("button", name=re.compile("Xem 360°")).click()
    wait_until(
        page,
        "window.panoramaViewer && window.panoramaViewer.isLoaded()"
        " && !window.panoramaViewer.getRenderer().isLoading()",
    )


def test_visitor_opens_the_panorama_and_tiles_are_drawn(phone, relic_url):
    relic_url, embed_url = relic_url
    statuses: dict[str, int] = {}
    phone.on("response", lambda r: statuses.__setitem__(r.url, r.status))
    phone.goto(relic_url, wait_until="load")
    phone.locator(".pano-open").scroll_into_view_if_needed()
    phone.wait_for_timeout(300)
    assert not any("pannellum" in u for u in phone.requested_urls)  # nothing until asked
    assert phone.locator(".pano-hotspots a", has_text="Bia đá").count() == 1

    _open(phone)
    phone.wait_for_timeout(300)
    assert any(u.endswith("/pannellum.js") for u in phone.requested_urls)
    tiles = {u: s for u, s in statuses.items() if TILE.search(u)}
    assert len(tiles) >= 6 and set(tiles.values()) == {200}

    shot = phone.locator(".pano-viewer").screenshot()
    image = cv2.imdecode(np.frombuffer(shot, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape[0] > 200 and image.std() > 25  # a photograph, not a blank canvas
    colours = np.unique((image // 16).reshape(-1, 3), axis=0)
    assert len(colours) > 200

    # Keyboard: the viewer has focus and the arrow keys turn it.
    label = phone.evaluate("document.activeElement.getAttribute('aria-label')")
    assert "Sân đình Đông Khê" in label
    yaw = phone.evaluate("window.panoramaViewer.getYaw()")
    phone.keyboard.down("ArrowRight")
    wait_until(phone, f"Math.abs(window.panoramaViewer.getYaw() - {yaw}) > 5", attempts=100)
    phone.keyboard.up("ArrowRight")
    assert phone.console_errors == []  # a CSP violation would show here

    # Staff preview of a tour: a click on the photo tells the pitch and yaw for a hotspot.
    phone.goto(f"{embed_url}?toa-do=1", wait_until="load")
    _open(phone)
    box = phone.locator(".pano-viewer").bounding_box()
    # Off centre: the inscription's hotspot sits at yaw 0, pitch 0 and would open the relic.
    phone.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)
    coords = phone.locator(".pano-coords").inner_text()
    pitch, yaw = (float(v) for v in re.findall(r"-?\d+\.\d", coords))
    # Below and left of the view's centre.
    assert pitch < phone.evaluate("window.panoramaViewer.getPitch()") - 5
    assert yaw < phone.evaluate("window.panoramaViewer.getYaw()") - 5
    assert phone.console_errors == []
