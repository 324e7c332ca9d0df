"""Offline: the service worker at the root, and the list "save the district" downloads."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import make_image, make_narration, make_place, make_relic


@pytest.fixture(autouse=True)
def vietnamese_urls():
    with translation.override("vi"):
        yield


def test_service_worker_is_served_from_the_root_to_control_every_page(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'const PRECACHE = ["/static/css/site.css", "/static/js/site.js", "/offline/"]' in body
    assert 'addEventListener("fetch"' in body


def test_offline_page_in_the_visitors_language(client, db):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "Không có kết nối mạng" in response.content.decode()


def test_manifest_lists_live_relics_at_phone_size_with_sizes(client, district):
    ward = district["wards"][0]
    relic = make_relic(
        ward, artifacts=2, inscriptions=1, with_images=True, hero_image=make_image("h", (900, 600))
    )
    make_narration(relic)
    draft = make_relic(ward, "Đình Nháp")
    draft.unpublish()
    make_place(ward, "Quán Bánh đa cua")
    data = client.get("/offline/manifest.json").json()

    assert [r["title"] for r in data["relics"]] == ["Đình Đông Khê"]
    entry = data["relics"][0]
    assert entry["url"] == relic.url and entry["lat"] == pytest.approx(20.8561)
    assert any(".fill-480x320." in u for u in entry["images"])  # the phone size, not 1440
    assert len(entry["images"]) == 4  # hero, one rubbing, two artifacts
    sizes = 0
    for url in entry["images"] + entry["audio"]:
        path = settings.MEDIA_ROOT / url.removeprefix(settings.MEDIA_URL)
        assert path.exists(), url
        sizes += path.stat().st_size
    assert data["bytes"]["images"] + data["bytes"]["audio"] == sizes
    assert data["bytes"]["total"] == sizes + data["bytes"]["pages"] > sizes
    assert data["places"][0]["title"] == "Quán Bánh đa cua" and data["places"][0]["lat"]


def test_manifest_in_french_links_pages_under_the_french_prefix(client, district):
    relic = make_relic(district["wards"][0])
    url = relic.url
    data = client.get("/fr/offline/manifest.json").json()
    assert data["language"] == "fr"
    assert data["relics"][0]["url"] == f"/fr{url}"


def test_manifest_is_rebuilt_when_a_relic_is_published(client, district):
    make_relic(district["wards"][0])
    assert len(client.get("/offline/manifest.json").json()["relics"]) == 1
    make_relic(district["wards"][1], "Chùa Phúc Lâm")
    assert len(client.get("/offline/manifest.json").json()["relics"]) == 2


def test_nearby_page_asks_before_locating_and_says_the_location_stays(client, district):
    html = client.get("/near-me/").content.decode()
    assert 'class="locate"' in html and 'data-manifest="/offline/manifest.json"' in html
    assert "không gửi đi đâu" in html


def test_every_image_on_a_relic_page_reserves_its_space(client, district):
    ward = district["wards"][0]
    relic = make_relic(ward, artifacts=2, inscriptions=1, with_images=True, hero_image=make_image())
    make_place(ward, with_image=True)
    html = client.get(relic.url).content.decode()
    images = re.findall(r"<img\b[^>]*>", html)
    assert len(images) >= 4
    for tag in images:
        assert re.search(r'\bwidth="\d+"', tag) and re.search(r'\bheight="\d+"', tag), tag
