"""The embed page weight counter behind the geo benchmark."""

from benchmarks.geo_district import page_weight, synthetic_district
from maps.foliummap import build_map
from tests.installed import STATIC, vendored


def test_page_weight_counts_our_assets_and_flags_other_hosts():
    vendored("leaflet/leaflet.js")
    relics, places, wards = synthetic_district(20, 20, wards=4)
    page = build_map(relics, places, wards, embed=True)
    weights, elsewhere = page_weight(page, STATIC)
    names = [w.name for w in weights]
    assert "/static/vendor/leaflet/leaflet.js" in names
    assert "/static/vendor/leaflet/images/layers.png" in names  # named by leaflet.css
    assert elsewhere == []
    assert all(0 < w.gzip for w in weights)
    _, foreign = page_weight(page + '<script src="https://cdn.example.com/x.js">', STATIC)
    assert foreign == ["https://cdn.example.com/x.js"]
