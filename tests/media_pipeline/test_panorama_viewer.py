"""Visitors see panoramas on relic pages, in the "Du lịch 360°" gallery and in portal iframes."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils import WagtailPageTestCase

from content.models import HomePage
from media_pipeline.models import Hotspot, Panorama, PanoramaGalleryPage
from tests.factories import make_district, make_relic, publish

CONFIG = {
    "type": "multires",
    "hfov": 100.0,
    "preview": "/preview.jpg",
    "multiRes": {"path": "/%l/%s%y_%x", "extension": "jpg", "maxLevel": 2},
}


def ready(title: str, relic=None, **fields) -> Panorama:
    """A panorama as the task leaves it (these tests read pages, not tiles)."""
    return Panorama.objects.create(
        title=title,
        relic=relic,
        status="ready",
        progress=100,
        tiles_version="abc123",
        viewer_config=CONFIG,
        **fields,
    )


def tour_config(html: str) -> dict:
    found = re.search(
        r'<script id="pano-tour-config" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "no tour configuration on the page"
    return json.loads(found[1])


@pytest.fixture
def relic_with_tour(district):
    relic = make_relic(district["wards"][0], inscriptions=1, artifacts=1)
    stele, bell = relic.inscriptions.get(), relic.artifacts.get()
    yard = ready("Sân đình", relic, initial_yaw=35)
    hall = ready("Đại đình", relic)
    Panorama.objects.create(title="Đang xử lý", relic=relic, status="processing")
    Hotspot.objects.create(panorama=yard, kind="scene", target_panorama=hall, yaw=10, pitch=-5)
    Hotspot.objects.create(
        panorama=yard, kind="info", target_inscription=stele, text="Bia trùng tu", yaw=80
    )
    Hotspot.objects.create(panorama=hall, kind="info", target_artifact=bell, yaw=-30)
    return relic, yard, hall, stele


def test_relic_page_offers_the_panorama_without_loading_the_viewer(client, relic_with_tour):
    relic, yard, hall, stele = relic_with_tour
    html = client.get(relic.url).content.decode()
    assert html.count("Xem 360°") == 2  # the ready ones only
    assert 'id="tham-quan-360"' in html  # where the heritage map's "360°" link points
    assert "Đang xử lý" not in html
    assert f'src="/media/panoramas/tiles/{yard.pk}/abc123/preview.jpg"' in html
    assert 'loading="lazy"' in html
    # Our small script is deferred; Pannellum itself is only named, fetched on a click.
    assert '<script src="/static/js/panorama-viewer.js" defer>' in html
    assert '<script src="/static/vendor/pannellum' not in html
    assert 'data-pannellum-js="/static/vendor/pannellum/pannellum.js"' in html
    config = tour_config(html)
    assert config["default"]["orientationOnByDefault"] is False
    yard_scene = config["scenes"][f"p{yard.pk}"]
    assert yard_scene["basePath"] == f"/media/panoramas/tiles/{yard.pk}/abc123"
    assert yard_scene["yaw"] == 35 and yard_scene["type"] == "multires"
    spots = {s["type"]: s for s in yard_scene["hotSpots"]}
    assert spots["scene"]["sceneId"] == f"p{hall.pk}"
    assert spots["info"]["URL"] == f"#di-van-{stele.pk}" and f'id="di-van-{stele.pk}"' in html
    # The same hotspots as a list for screen readers and keyboards.
    assert f'<a href="#di-van-{stele.pk}">Bia trùng tu</a>' in html
    assert 'href="#hien-vat-hv-000"' in html and 'id="hien-vat-hv-000"' in html
    assert f'data-pano-open="p{hall.pk}">Đến: Đại đình</button>' in html


def test_relic_without_panoramas_has_no_viewer(client, district):
    relic = make_relic(district["wards"][0])
    html = client.get(relic.url).content.decode()
    assert "panorama-viewer.js" not in html and "Xem 360°" not in html


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_relic_page_queries_do_not_grow_with_panoramas(client, district):
    ward = district["wards"][0]
    small = make_relic(ward, "Đình Nhỏ", inscriptions=1)
    ready("Một", small)
    big = make_relic(ward, "Đình Lớn", inscriptions=3, artifacts=3)
    panos = [ready(f"Ảnh {n}", big) for n in range(4)]
    for a, b in zip(panos, panos[1:], strict=False):
        Hotspot.objects.create(panorama=a, kind="scene", target_panorama=b)
    for ins in big.inscriptions.all():
        Hotspot.objects.create(panorama=panos[0], kind="info", target_inscription=ins)
    assert _queries(client, big.url) == _queries(client, small.url)


def test_gallery_lists_every_ready_panorama_with_links_to_relics(client, relic_with_tour):
    relic, yard, hall, stele = relic_with_tour
    other = make_relic(relic.get_parent().specific, "Chùa Vẽ")
    ready("Tam quan chùa", other)
    html = client.get("/360/").content.decode()
    assert html.count("Xem 360°") == 3 and "Tam quan chùa" in html
    info = next(
        s for s in tour_config(html)["scenes"][f"p{yard.pk}"]["hotSpots"] if s["type"] == "info"
    )
    assert info["URL"] == f"{relic.url}?xem=di-van-{stele.pk}#di-van-{stele.pk}"


def test_gallery_page_in_the_tree_is_where_360_leads(client, district):
    home = district["home"]
    gallery = home.add_child(instance=PanoramaGalleryPage(title="Du lịch 360°"))
    publish(gallery)
    ready("Sân đình", make_relic(district["wards"][0]))
    response = client.get("/360/")
    assert response.status_code == 302 and response["Location"] == gallery.url
    html = client.get(gallery.url).content.decode()
    assert "<h1>Du lịch 360°</h1>" in html and "Sân đình" in html


def test_embeds_may_be_framed_by_the_portal_only(client, settings, relic_with_tour):
    settings.PANORAMA_EMBED_ALLOWED_ORIGINS = ["https://congthongtin.example.gov.vn"]
    relic, yard, hall, stele = relic_with_tour
    for url in ("/360/embed/", f"/360/tour/{yard.pk}/embed/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert (
            "frame-ancestors 'self' https://congthongtin.example.gov.vn"
            in response["Content-Security-Policy"]
        )
        assert "script-src 'self';" in response["Content-Security-Policy"]
        assert 'target="_top"' in response.content.decode()  # links leave the iframe
    page = client.get(relic.url)
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_a_tour_follows_scene_links_and_nothing_else(client, relic_with_tour):
    relic, yard, hall, stele = relic_with_tour
    elsewhere = ready("Chùa xa")
    config = tour_config(client.get(f"/360/tour/{yard.pk}/embed/").content.decode())
    assert config["default"]["firstScene"] == f"p{yard.pk}"
    assert set(config["scenes"]) == {f"p{yard.pk}", f"p{hall.pk}"}
    assert client.get(f"/360/tour/{elsewhere.pk + 1}/embed/").status_code == 404


class TestGalleryPageType(WagtailPageTestCase):
    def test_editors_add_the_gallery_under_the_district_home(self):
        self.assertAllowedParentPageTypes(PanoramaGalleryPage, {HomePage})
        self.assertCanCreateAt(HomePage, PanoramaGalleryPage)

    def test_gallery_renders_with_nothing_published(self):
        home = make_district()["home"]
        gallery = home.add_child(instance=PanoramaGalleryPage(title="Du lịch 360°"))
        self.assertPageIsRenderable(gallery)


def test_english_visitors_get_an_english_viewer(client, relic_with_tour):
    html = client.get("/en/360/").content.decode()
    assert "<h1>360° tours</h1>" in html and "View in 360°" in html
    strings = tour_config(html)["default"]["strings"]
    assert strings["loadingLabel"] == "Loading…"
    assert "Use the arrow keys" in html
