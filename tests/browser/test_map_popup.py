"""The heritage map in Debian's Chromium: it draws offline, and a hostile name stays plain text."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from maps.foliummap import build_map
from tests.installed import STATIC, vendored

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    vendored("leaflet/leaflet.js")
    (tmp_path / "static").symlink_to(STATIC)
    relics = [
        {
            "id": 1,
            "name": XSS,
            "lon": 106.6949,
            "lat": 20.8561,
            "ranking": "quoc_gia",
            "type": "dinh",
            "ward": "Đông Khê",
            "url": "/di-tich/a/",
            "tour_url": "/di-tich/a/360/",
        }
    ]
    relics += [
        {
            "id": i,
            "name": f"Đình {i}",
            "lon": 106.60 + (i % 20) * 0.005,
            "lat": 20.80 + (i // 20) * 0.005,
            "ranking": "cap_tinh",
            "type": "chua",
        }
        for i in range(2, 200)
    ]
    (tmp_path / "map.html").write_text(build_map(relics, [], [], embed=True), encoding="utf-8")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_map_draws_offline_and_popup_shows_the_name_as_text(site, browser):
    page = browser.new_page(viewport={"width": 800, "height": 600})
    requests, errors, dialogs = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route(lambda url: not url.startswith(site), lambda route: route.abort())
    page.goto(f"{site}/map.html")
    page.wait_for_selector(".marker-cluster, .hm-marker")
    assert page.locator(".hm-legend").inner_text().startswith("Quốc gia đặc biệt")
    title = page.evaluate(
        """() => new Promise(resolve => {
            const group = HeritageMap.groups[0].cluster;
            let target;
            group.eachLayer(layer => {
                if (layer.options.title.startsWith('<img')) target = layer;
            });
            group.zoomToShowLayer(target, () => {
                target.openPopup();
                resolve(target.options.title);
            });
        })"""
    )
    popup = page.locator(".hm-popup")
    popup.wait_for()
    assert title == XSS
    assert popup.locator(".hm-name").inner_text() == XSS
    assert popup.locator("img, script").count() == 0
    assert popup.locator("a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.target])"
    ) == [["/di-tich/a/", "_blank"], ["/di-tich/a/360/", "_blank"]]
    page.close()
    assert not errors and not dialogs
    assert all(url.startswith(site) for url in requests)


def test_an_untranslated_point_says_so_in_its_popup(tmp_path, browser):
    """On a map in another language a Vietnamese page's popup names it lang="vi" with a badge."""
    vendored("leaflet/leaflet.js")
    (tmp_path / "static").symlink_to(STATIC)
    relics = [
        {
            "id": 1,
            "name": "Đền Nghè",
            "lon": 106.69,
            "lat": 20.85,
            "type": "den",
            "url": "/en/di-tich/lach-tray/den-nghe/",
            "translated": False,
        },
        {
            "id": 2,
            "name": "Dong Khe Communal House",
            "lon": 106.70,
            "lat": 20.86,
            "type": "dinh",
            "url": "/en/di-tich/dong-khe/dong-khe-house/",
            "translated": True,
        },
    ]
    html = build_map(relics, [], [], untranslated_label="Vietnamese only")
    (tmp_path / "map.html").write_text(html, encoding="utf-8")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}"
    page = browser.new_page(viewport={"width": 800, "height": 600})
    try:
        page.goto(f"{site}/map.html")
        page.wait_for_selector(".hm-marker, .marker-cluster")
        seen = {}
        for name in ("Đền Nghè", "Dong Khe Communal House"):
            page.evaluate(
                """name => new Promise(resolve => {
                    const group = HeritageMap.groups[0].cluster;
                    let target;
                    group.eachLayer(layer => { if (layer.options.title === name) target = layer; });
                    group.zoomToShowLayer(target, () => { target.openPopup(); resolve(); });
                })""",
                name,
            )
            popup = page.locator(".hm-popup").last
            popup.wait_for()
            seen[name] = (
                popup.locator(".hm-name").get_attribute("lang"),
                popup.locator(".hm-lang").all_inner_texts(),
            )
        assert seen == {
            "Đền Nghè": ("vi", ["Vietnamese only"]),
            "Dong Khe Communal House": (None, []),
        }
    finally:
        page.close()
        server.shutdown()
        server.server_close()
