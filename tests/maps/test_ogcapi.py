"""OGC API – Features documents, and GDAL's OAPIF driver reading them over HTTP."""

import subprocess
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from maps import ogc_openapi, ogcapi
from maps.features import relic_feature
from tests.installed import tool
from tests.maps.ogc_server import serve

BASE = "https://disan.example.vn/api/ogc"
RELICS = [
    {
        "id": i,
        "code": f"DT{i:03d}",
        "name": f"Đình số {i}",
        "lon": 106.6 + i * 0.001,
        "lat": 20.8 + i * 0.0005,
        "ranking": "quoc_gia",
        "type": "dinh",
        "ward": "Đông Khê",
    }
    for i in range(1, 26)
]
WARDS = [
    {
        "id": 1,
        "code": "P1",
        "name": "Đông Khê",
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[106.6, 20.8], [106.7, 20.8], [106.7, 20.9], [106.6, 20.9], [106.6, 20.8]]
            ],
        },
    }
]
INFOS = [
    ogcapi.CollectionInfo(
        "relics", "Di tích", "Di tích lịch sử – văn hóa", (106.6, 20.8, 106.625, 20.8125)
    ),
    ogcapi.CollectionInfo("wards", "Phường, xã", "", (106.6, 20.8, 106.7, 20.9)),
]


def _rels(document):
    return {link["rel"]: link for link in document["links"]}


def test_landing_page_links_every_required_resource():
    rels = _rels(ogcapi.landing_page(BASE + "/", title="Di sản số"))
    assert rels["self"]["href"] == BASE + "/"
    assert rels["service-doc"] == {
        "href": BASE + "/docs",
        "rel": "service-doc",
        "type": "text/html",
        "title": "Hướng dẫn dùng API",
    }
    assert rels["conformance"]["href"] == BASE + "/conformance"
    assert rels["data"]["href"] == BASE + "/collections"
    assert rels["service-desc"]["type"] == ogcapi.OPENAPI_CONTENT_TYPE
    assert all(link["type"] for link in rels.values())


def test_conformance_declares_core_and_geojson():
    classes = ogcapi.conformance(BASE)["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in classes


def test_collection_has_items_link_extent_and_crs84():
    document = ogcapi.collections(BASE, INFOS)
    relics = document["collections"][0]
    assert relics["id"] == "relics" and relics["itemType"] == "feature"
    items = _rels(relics)["items"]
    assert items == {
        "href": BASE + "/collections/relics/items",
        "rel": "items",
        "type": "application/geo+json",
        "title": "Di tích",
    }
    assert relics["extent"]["spatial"]["bbox"] == [[106.6, 20.8, 106.625, 20.8125]]
    assert relics["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]


def test_items_page_has_counts_and_next_prev_links_keeping_filters():
    page = [relic_feature(r) for r in RELICS[10:20]]
    document = ogcapi.items(
        BASE,
        "relics",
        page,
        number_matched=25,
        limit=10,
        offset=10,
        query={"bbox": "106,20,107,21", "limit": "10", "offset": "10"},
        now=datetime(2025, 3, 1, 7, 0, tzinfo=UTC),
    )
    assert document["type"] == "FeatureCollection"
    assert (document["numberMatched"], document["numberReturned"]) == (25, 10)
    assert document["timeStamp"] == "2025-03-01T07:00:00Z"
    rels = _rels(document)
    nxt = parse_qs(urlsplit(rels["next"]["href"]).query)
    assert nxt == {"bbox": ["106,20,107,21"], "limit": ["10"], "offset": ["20"]}
    assert parse_qs(urlsplit(rels["prev"]["href"]).query)["offset"] == ["0"]
    assert rels["next"]["type"] == "application/geo+json"
    last = ogcapi.items(BASE, "relics", page[:5], number_matched=25, limit=10, offset=20)
    assert "next" not in _rels(last)


def test_item_links_to_itself_and_its_collection():
    document = ogcapi.item(BASE, "relics", relic_feature(RELICS[0]))
    rels = _rels(document)
    assert rels["self"]["href"] == BASE + "/collections/relics/items/1"
    assert rels["collection"]["href"] == BASE + "/collections/relics"


def test_openapi_describes_paging_parameters():
    document = ogc_openapi.openapi(BASE, INFOS, title="Di sản số", max_limit=1000)
    assert document["openapi"].startswith("3.0")
    limit = document["components"]["parameters"]["limit"]["schema"]
    assert limit["maximum"] == 1000
    assert "/collections/relics/items" in document["paths"]


def test_gdal_oapif_driver_reads_layers_pages_and_bbox():
    def ogrinfo(url, *args):
        result = subprocess.run(
            [tool("ogrinfo"), "-ro", "-oo", "PAGE_SIZE=10", f"OAPIF:{url}", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    with serve({"relics": RELICS, "wards": WARDS}, INFOS) as url:
        listing = ogrinfo(url)
        assert "1: relics (title: Di tích) (Point)" in listing
        assert "2: wards (title: Phường, xã) (Polygon)" in listing
        summary = ogrinfo(url, "-so", "relics")
        assert "Feature Count: 25" in summary
        everything = ogrinfo(url, "-q", "relics")  # 3 pages of 10 through the next links
        assert everything.count("OGRFeature(relics)") == 25
        assert "name (String) = Đình số 25" in everything
        assert "POINT (106.625 20.8125)" in everything
        boxed = ogrinfo(url, "-q", "relics", "-spat", "106.6", "20.8", "106.6035", "20.802")
        assert boxed.count("OGRFeature(relics)") == 3
