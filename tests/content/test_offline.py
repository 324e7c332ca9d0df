"""Offline: the service worker at the root, and the list "save the district" downloads."""

import re
from decimal import Decimal

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
    # The site's languages, Vietnamese first: offline, a plaque opens the phone's language.
    assert 'const LANGUAGES = ["vi", "en", "zh-hans", "ko", "ja", "fr"]' in body


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


def test_manifest_gives_each_relic_its_plaque_codes_and_its_page_in_every_language(
    client, district
):
    from media_pipeline.qr.models import Purpose
    from media_pipeline.qr.short_codes import assign_code
    from tests.factories import translate

    relic = make_relic(district["wards"][0])
    english = translate(relic, "en", title="Đông Khê Communal House")
    page_code = assign_code(relic).code  # given on publishing
    rating_code = assign_code(relic, purpose=Purpose.RATING).code
    other = make_relic(district["wards"][1], "Chùa Phúc Lâm")

    data = client.get("/offline/manifest.json").json()
    entries = {r["title"]: r for r in data["relics"]}
    entry = entries["Đình Đông Khê"]
    # What a scan without signal needs: the codes (the rating one lands on the form) …
    assert entry["codes"] == [page_code, f"{rating_code}#danh-gia"]
    assert entries["Chùa Phúc Lâm"]["codes"] == [assign_code(other).code]
    # … and the page in each language: the translation, else the Vietnamese page under the prefix.
    assert entry["urls"]["vi"] == relic.url
    assert entry["urls"]["en"] == english.url and english.url.startswith("/en/")
    assert entry["urls"]["fr"] == f"/fr{relic.url}"
    assert entries["Chùa Phúc Lâm"]["urls"]["en"] == f"/en{other.url}"
    # Kept besides the relics: the relic index, near me, the offline map and this list.
    assert data["pages"][-3:] == ["/near-me/", "/offline/map/", "/offline/manifest.json"]
    assert client.get(data["pages"][0]).status_code == 200  # the relic index


def test_manifest_in_english_lists_the_english_pages_to_keep(client, district):
    make_relic(district["wards"][0])
    data = client.get("/en/offline/manifest.json").json()
    assert data["pages"][-3:] == ["/en/near-me/", "/en/offline/map/", "/en/offline/manifest.json"]


def test_offline_map_draws_the_saved_relics_and_places_as_numbered_dots(client, district):
    ward = district["wards"][0]
    relic = make_relic(ward, "Đình <b>Đông Khê</b>")
    far = make_relic(district["wards"][1], "Chùa Phúc Lâm")
    far.latitude, far.longitude = Decimal("20.84"), Decimal("106.7")
    far.save_revision().publish()
    make_place(ward, "Quán Bánh đa cua")
    response = client.get("/offline/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bản đồ khi không có mạng" in html
    # One dot per relic or place, no base map (no tile, no script), and a list of links.
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('class="marker marker-relic"') == 2
    assert svg.count('class="marker marker-place"') == 1
    assert "tile" not in svg and "<script" not in html.split("</header>", 1)[1].split("</main>")[0]
    assert f'<a href="{relic.url}">Đình &lt;b&gt;Đông Khê&lt;/b&gt;</a>' in html
    assert f'<a href="{far.url}">Chùa Phúc Lâm</a>' in html
    # North is up: the relic further south is drawn lower.
    ys = [float(y) for y in re.findall(r'transform="translate\([\d.]+ ([\d.]+)\)"', svg)]
    titles = re.findall(r'<li value="\d+"><a href="[^"]+">([^<]+)</a>', html)
    assert ys[titles.index("Chùa Phúc Lâm")] > ys[titles.index("Đình &lt;b&gt;Đông Khê&lt;/b&gt;")]


def test_offline_map_without_coordinates_says_so(client, db):
    response = client.get("/offline/map/")
    assert response.status_code == 200
    assert "Chưa có địa điểm nào có tọa độ." in response.content.decode()
