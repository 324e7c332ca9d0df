"""The map page and its embed: our own assets only, tiles from the setting, framing rules."""

import re

import pytest
from django.test import override_settings

from tests.factories import make_relic, publish
from tests.maps.map_feeds import feeds_of as _feeds

ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"')
PORTAL = "https://congthongtin.example.gov.vn"


def _assets(html):
    return ASSET.findall(html)


def _shown(client, path):
    """What a visitor's map shows: the page's feeds followed, as names (and marker kinds)."""
    html = client.get(path).content.decode()
    shown = {}
    for kind, url in _feeds(html).items():
        response = client.get(url)
        assert response.status_code == 200, url
        shown[kind] = {f["properties"]["name"] for f in response.json()["features"]}
    return html, shown


def _csp(response):
    return dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )


def test_map_page_loads_only_our_files_and_the_tile_template(client, geo_district, settings):
    response = client.get("/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = _assets(html)
    assert "/static/vendor/leaflet/leaflet.js" in assets
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in assets
    assert all(url.startswith("/") and not url.startswith("//") for url in assets), assets
    # The only other host named anywhere on the page is the base map's (and its attribution).
    foreign = set(re.findall(r"https?://[^\s\"'<>\\]+", html))
    assert foreign <= {settings.MAP_TILES_URL, "https://www.openstreetmap.org/copyright"}
    assert settings.MAP_TILES_URL in html
    _, shown = _shown(client, "/map/")
    assert "Đình Đông Khê" in shown["relic"] and "Quán Bánh đa cua" in shown["place"]
    assert "Miếu Chưa Duyệt" not in shown["relic"]  # drafts stay off the map
    assert set(shown["ward"]) == {"Đông Khê", "Lạch Tray"}


def test_embed_page_carries_no_points_only_its_feeds(client, geo_district):
    html = client.get("/map/embed/").content.decode()
    assert "Đình Đông Khê" not in html and "Quán Bánh đa cua" not in html
    assert _feeds(html) == {
        "relic": "/api/geo/relics.geojson?lang=vi",
        "place": "/api/geo/places.geojson?lang=vi",
        "ward": "/api/geo/wards.geojson?lang=vi",
    }


def test_map_page_scripts_carry_the_nonce_of_its_policy(client, geo_district):
    response = client.get("/map/")
    csp = _csp(response)
    nonce = re.search(r"'nonce-([^']+)'", csp["script-src"]).group(1)
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert "https://tile.openstreetmap.org" in csp["img-src"]
    assert client.get("/map/")["Content-Security-Policy"] != response["Content-Security-Policy"]


@override_settings(MAP_TILES_URL="", CSP_IMG_HOSTS=[])
def test_no_basemap_mode_names_no_tile_server(client, geo_district):
    response = client.get("/map/embed/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "{z}" not in html and "tile.openstreetmap" not in html
    assert "hm-nobase" in html
    # Only our own host: the canonical link to /map/.
    assert re.findall(r"https?://(?!testserver/)", html) == []
    assert "openstreetmap" not in response["Content-Security-Policy"]


@override_settings(MAP_EMBED_ALLOWED_ORIGINS=(PORTAL,))
def test_embed_may_be_framed_by_the_portal_only(client, geo_district):
    response = client.get("/map/embed/")
    assert response.status_code == 200
    assert _csp(response)["frame-ancestors"] == f"'self' {PORTAL}"
    assert "X-Frame-Options" not in response
    # The rest of the site stays unframeable.
    for path in ("/map/", geo_district["relics"][0].url, "/"):
        other = client.get(path)
        assert _csp(other)["frame-ancestors"] == "'none'", path
        assert other["X-Frame-Options"] == "DENY", path


def test_embed_without_allowed_hosts_is_framed_by_nobody_else(client, geo_district):
    assert _csp(client.get("/map/embed/"))["frame-ancestors"] == "'self'"


def test_embed_filters_by_ward_ranking_type_and_layers(client, geo_district):
    def names(query):
        _, shown = _shown(client, "/map/embed/" + query)
        wanted = {"Đình Đông Khê", "Chùa Phổ Chiếu", "Đền Nghè", "Quán Bánh đa cua"}
        return (shown.get("relic", set()) | shown.get("place", set())) & wanted

    assert names("?ranking=quoc_gia&layers=relics") == {"Đình Đông Khê", "Đền Nghè"}
    assert names("?type=chua&layers=relics") == {"Chùa Phổ Chiếu"}
    assert names("?ward=P02") == {"Đền Nghè"}
    assert names("?ward=dong-khe") == {"Đình Đông Khê", "Chùa Phổ Chiếu", "Quán Bánh đa cua"}
    assert names("?layers=places") == {"Quán Bánh đa cua"}
    html = client.get("/map/embed/?layers=relics").content.decode()
    assert "addWards" not in html and "Ranh giới" not in html


@pytest.mark.parametrize(
    ("query", "word"),
    [("?ranking=hang-nhat", "ranking"), ("?ward=khong-co", "khong-co"), ("?layers=roads", "roads")],
)
def test_embed_explains_a_bad_filter(client, geo_district, query, word):
    response = client.get("/map/embed/" + query)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Không hiển thị được bản đồ" in text and word in text


def test_map_in_english_falls_back_to_vietnamese_relics(client, geo_district):
    response = client.get("/en/map/")
    assert response.status_code == 200
    _, shown = _shown(client, "/en/map/")
    assert "Đình Đông Khê" in shown["relic"]


def test_popup_links_go_to_the_relic_page(client, geo_district):
    relic = make_relic(geo_district["wards"][0], "Đình Kênh", lat="20.861", lon="106.681")
    html = client.get("/map/embed/?layers=relics").content.decode()
    feed = client.get(_feeds(html)["relic"]).json()
    urls = {f["properties"]["name"]: f["properties"]["url"] for f in feed["features"]}
    assert urls["Đình Kênh"] == "http://testserver" + relic.url  # the map keeps its path


def test_map_filters_follow_a_renamed_ward_and_keep_the_visitors_choice(client, geo_district):
    """The map's wards are kept between visitors' requests until visitor content changes."""
    ward = geo_district["wards"][0]
    first = client.get("/map/").content.decode()
    assert f">{ward.title}</option>" in first and " selected" not in first
    ward.title = "Phường Đông Khê Mới"
    publish(ward)
    html = client.get("/map/", {"ward": ward.slug, "ranking": "quoc_gia"}).content.decode()
    assert f'<option value="{ward.slug}" selected>Phường Đông Khê Mới</option>' in html
    assert '<option value="quoc_gia" selected>' in html
