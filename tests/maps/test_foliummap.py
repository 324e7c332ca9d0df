"""The folium map page: only our own assets, user text never HTML, layers and modes."""

import re
from urllib.parse import urlsplit

import pytest

from maps.foliummap import build_map, build_map_parts, safe_path, script_json

TILES = "https://tiles.example.vn/{z}/{x}/{y}.png"
ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
XSS = "<script>alert(1)</script>"
RELICS = [
    {
        "id": 1,
        "name": XSS,
        "lon": 106.6949,
        "lat": 20.8561,
        "ranking": "quoc_gia",
        "type": "dinh",
        "ward": "Đông Khê",
        "url": "/di-tich/dinh-dong-khe/",
        "tour_url": "/di-tich/dinh-dong-khe/360/",
        "thumbnail": "/media/images/dinh.width-200.jpg",
    },
    {
        "id": 2,
        "name": "Chùa Vẽ",
        "lon": 106.70,
        "lat": 20.85,
        "ranking": "<b>x</b>",
        "type": "chua",
        "url": "javascript:alert(1)",
        "thumbnail": "https://tracker.example.com/pixel.gif",
    },
]
PLACES = [
    {
        "id": 1,
        "name": "Chợ Đổ\u2028</script>",
        "lon": 106.69,
        "lat": 20.86,
        "type": "Ẩm thực",
        "url": "//evil.example.com/",
    }
]
WARDS = [
    {
        "id": 1,
        "name": "Đông Khê</title>",
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [
                    [106.68, 20.84],
                    [106.71, 20.84],
                    [106.71, 20.87],
                    [106.68, 20.87],
                    [106.68, 20.84],
                ]
            ],
        },
    }
]
URL = re.compile(r"""(?:https?:)?//[^\s"'<>)\\]+""")


def _hosts(page: str) -> set[str]:
    return {
        urlsplit(u if u.startswith("http") else "http:" + u).hostname for u in URL.findall(page)
    }


def test_page_references_no_host_but_the_tile_server_and_attribution():
    page = build_map(RELICS, PLACES, WARDS, tiles_url=TILES, attribution=ATTRIBUTION)
    # The attribution link is a link for people, not a request the page makes.
    assert _hosts(page) == {"tiles.example.vn", "www.openstreetmap.org"}
    assert "cdn" not in page and "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_no_basemap_mode_references_no_host_at_all():
    page = build_map(RELICS, PLACES, WARDS)
    assert _hosts(page) == set()
    assert "L.tileLayer" not in page
    assert "hm-nobase" in page


def test_assets_come_from_our_static_files():
    parts = build_map_parts(RELICS, PLACES, WARDS, static_url=lambda p: f"/static/{p}?v=1")
    scripts = re.findall(r'<script defer src="([^"]+)"', parts.head)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', parts.head)
    assert scripts == [
        "/static/vendor/leaflet/leaflet.js?v=1",
        "/static/vendor/leaflet.markercluster/leaflet.markercluster.js?v=1",
        "/static/vendor/leaflet.featuregroup.subgroup/leaflet.featuregroup.subgroup.js?v=1",
        "/static/maps/heritage-map.js?v=1",
    ]
    assert "/static/vendor/leaflet/leaflet.css?v=1" in styles
    assert "/static/vendor/leaflet.markercluster/MarkerCluster.Default.css?v=1" in styles


def test_user_text_cannot_break_out_of_the_script():
    page = build_map(RELICS, PLACES, WARDS)
    assert XSS not in page
    assert (
        "</script>"
        not in page.split("<script>\ndocument.addEventListener", 1)[1].rsplit("</script>", 1)[0]
    )
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert "\u2028" not in page and "</title>" not in page.split("<body>", 1)[1]


def test_unsafe_links_and_foreign_thumbnails_are_dropped():
    page = build_map(RELICS, PLACES, WARDS)
    assert "javascript:" not in page
    assert "tracker.example.com" not in page and "evil.example.com" not in page
    assert '"thumb":"/media/images/dinh.width-200.jpg"' in page
    assert '"rank":"quoc_gia"' in page and "\\u003cb\\u003ex" not in page  # unknown ranking dropped


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/di-tich/a/", True),
        ("//evil.com/x", False),
        ("https://a.vn/", False),
        ("javascript:alert(1)", False),
        ('/a" onload="x', False),
        (None, False),
    ],
)
def test_safe_path(url, safe):
    assert (safe_path(url) is not None) is safe


def test_layers_can_be_chosen():
    only_wards = build_map(RELICS, PLACES, WARDS, layers=["wards"])
    assert "HeritageMap.addWards" in only_wards
    assert "HeritageMap.addPoints" not in only_wards and "markerClusterGroup" not in only_wards
    all_layers = build_map(RELICS, PLACES, WARDS)
    for title in (
        "Di t\\u00edch",
        "\\u0110i\\u1ec3m du l\\u1ecbch",
        "Ranh gi\\u1edbi ph\\u01b0\\u1eddng, x\\u00e3",
    ):
        assert title in all_layers  # layer control entries (folium escapes them)


def test_embed_mode_keeps_page_scrolling_and_opens_links_in_a_new_tab():
    embed = build_map(RELICS, PLACES, WARDS, embed=True)
    assert '"scrollWheelZoom": false' in embed
    assert '{"embed":true,"fit":false}' in embed
    assert '"scrollWheelZoom"' not in build_map(RELICS, PLACES, WARDS)


def test_map_fits_the_data_and_is_deterministic():
    first = build_map(RELICS, PLACES, WARDS)
    assert "fitBounds(\n                [[20.84, 106.68], [20.87, 106.71]]" in first
    assert first == build_map(RELICS, PLACES, WARDS)  # same ids each time: cacheable, ETag-able


def test_nonce_goes_on_every_inline_script_and_style():
    page = build_map(RELICS, PLACES, WARDS, nonce="abc123")
    assert "<script>" not in page and "<style>" not in page
    assert page.count('nonce="abc123"') >= 3


def test_script_json_escapes_html_sensitive_characters():
    assert (
        script_json({"a": "</script><!--&\u2029"})
        == '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2029"}'
    )
