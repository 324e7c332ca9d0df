"""The portal embeds /map/embed/ in Chromium: markers and clusters drawn, only our host asked,
framing allowed for the portal and refused for the rest of the site."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tests.factories import make_relic
from tests.maps.factories import build_geo_district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal():
    """A stand-in for the district portal on another origin; its page is set by the test."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


@pytest.fixture
def district_map(live_server, settings):
    settings.MAP_TILES_URL = ""  # no-basemap mode: nothing may leave the machine
    settings.CSP_IMG_HOSTS = []
    d = build_geo_district()
    for i in range(12):  # a tight group that the cluster plugin gathers
        make_relic(d["wards"][0], f"Miếu {i}", lat=f"{20.862 + i * 0.0001:.6f}", lon="106.6830")
    return live_server.url


def test_embed_draws_markers_and_clusters_from_our_host_only(phone, district_map):
    response = phone.goto(f"{district_map}/map/embed/?layers=relics,places,wards")
    assert response.status == 200
    phone.wait_for_selector(".marker-cluster")
    # Relics and places share one cluster: at the district's zoom most points are in clusters.
    assert phone.locator(".hm-marker, .marker-cluster").count() >= 2
    assert phone.locator(".leaflet-tile").count() == 0
    assert phone.locator("path.leaflet-interactive").count() == 2  # the two ward outlines
    assert phone.locator(".leaflet-control-layers").count() == 1
    assert phone.evaluate("HeritageMap.groups.map(g => g.group.getLayers().length)") == [15, 2]
    hosts = {urlsplit(url).netloc for url in phone.requested_urls if url.startswith("http")}
    assert hosts == {urlsplit(district_map).netloc}
    assert phone.console_errors == []  # a CSP violation (missing nonce) would be logged here


def test_portal_may_frame_the_embed_but_not_the_site(browser, district_map, portal, settings):
    origin, pages = portal
    settings.MAP_EMBED_ALLOWED_ORIGINS = (origin,)
    pages["/"] = (
        f'<iframe id="embed" src="{district_map}/map/embed/" width="600" height="400"></iframe>'
        f'<iframe id="site" src="{district_map}/map/" width="600" height="400"></iframe>'
    )
    page = browser.new_page()
    try:
        page.goto(origin + "/", wait_until="load")
        embed = page.frame_locator("#embed")
        embed.locator(".hm-marker, .marker-cluster").first.wait_for()
        framed = page.query_selector("#site").content_frame()
        # Chromium replaces a refused frame with its error page: no map, not our URL.
        assert framed.locator(".leaflet-container").count() == 0
        assert not framed.url.startswith(district_map)
    finally:
        page.close()


def test_markers_come_from_the_feeds_after_load_and_layers_toggle(phone, district_map):
    response = phone.goto(f"{district_map}/map/embed/")
    assert "Đình Đông Khê" not in response.text()  # the page itself carries no point
    phone.wait_for_function("() => window.HeritageMap && window.HeritageMap.loaded")
    feeds = [urlsplit(url).path for url in phone.requested_urls if "/api/geo/" in url]
    assert sorted(feeds) == [
        "/api/geo/places.geojson",
        "/api/geo/relics.geojson",
        "/api/geo/wards.geojson",
    ]
    phone.wait_for_selector(".marker-cluster")
    in_cluster = "HeritageMap.groups[0].cluster.getLayers().length"
    assert phone.evaluate(in_cluster) == 17  # 15 relics and 2 places
    assert phone.locator("path.leaflet-interactive").count() == 2
    # The pointer over the collapsed control opens it (Leaflet ignores the click that opens it).
    phone.locator(".leaflet-control-layers").hover()
    places, relics = (phone.get_by_label(n, exact=True) for n in ("Điểm du lịch", "Di tích"))
    places.click()  # off
    assert phone.evaluate(in_cluster) == 15
    relics.click()  # off
    assert phone.evaluate(in_cluster) == 0
    places.click()  # on again
    assert phone.evaluate(in_cluster) == 2
    assert phone.console_errors == []
