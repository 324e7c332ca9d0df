"""OGC API – Features on the live Django server, read by GDAL's OAPIF driver (ogrinfo)."""

import subprocess
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.installed import tool
from tests.maps.factories import build_geo_district

pytestmark = pytest.mark.django_db(transaction=True)


def ogrinfo(url, *args):
    result = subprocess.run(
        [tool("ogrinfo"), "-ro", "-oo", "PAGE_SIZE=2", f"OAPIF:{url}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"GDAL_HTTP_TIMEOUT": "30", "CPL_DEBUG": "OFF", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_gdal_and_owslib_read_every_layer_page_by_page(live_server):
    build_geo_district()
    url = f"{live_server.url}/api/ogc/"
    listing = ogrinfo(url)
    assert "relics (title: Di tích) (Point)" in listing
    assert "places (title: Điểm du lịch) (Point)" in listing
    assert "wards (title: Ranh giới phường, xã) (Polygon)" in listing
    summary = ogrinfo(url, "-so", "relics")
    assert "Feature Count: 3" in summary  # the draft is not published
    everything = ogrinfo(url, "-q", "relics")  # two pages of 2 through the next links
    assert everything.count("OGRFeature(relics)") == 3
    assert "name (String) = Đình Đông Khê" in everything
    assert "POINT (106.68 20.86)" in everything
    boxed = ogrinfo(url, "-q", "relics", "-spat", "106.675", "20.855", "106.69", "20.87")
    assert boxed.count("OGRFeature(relics)") == 2 and "Đền Nghè" not in boxed
    wards = ogrinfo(url, "-q", "wards")
    assert wards.count("OGRFeature(wards)") == 2 and "POLYGON ((106.67 20.85" in wards
    places = ogrinfo(url, "-q", "places")
    assert places.count("OGRFeature(places)") == 2 and "Khách sạn Lạch Tray" in places
    # The slash-less URL people type redirects to the one landing page.
    assert "relics (title: Di tích) (Point)" in ogrinfo(url.rstrip("/"))

    owslib_reads_every_layer_through_the_next_links(url)


def owslib_reads_every_layer_through_the_next_links(url):
    from owslib.ogcapi.features import Features

    api = Features(url)
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
        in (api.conformance()["conformsTo"])
    )
    counts, pages = {}, {}
    for collection in api.feature_collections():
        query, seen, pages[collection] = {"limit": 1}, [], 0
        while True:
            page = api.collection_items(collection, **query)
            pages[collection] += 1
            seen += [f["properties"]["name"] for f in page["features"]]
            following = [link for link in page["links"] if link["rel"] == "next"]
            if not following:
                break
            query = dict(parse_qsl(urlsplit(following[0]["href"]).query))
        counts[collection] = sorted(seen)
        assert len(set(seen)) == len(seen)  # no feature twice across pages
    assert counts["relics"] == sorted(["Chùa Phổ Chiếu", "Đền Nghè", "Đình Đông Khê"])
    assert counts["places"] == sorted(["Khách sạn Lạch Tray", "Quán Bánh đa cua"])
    assert pages == {"relics": 3, "places": 2, "wards": 2}
    assert set(api.collection_queryables("relics")["properties"]) == {"ward", "ranking", "type"}
    boxed = api.collection_items(
        "relics", bbox=[106.675, 20.855, 106.69, 20.87], datetime_="2000-01-01T00:00:00Z/.."
    )
    assert boxed["numberMatched"] == 2


@pytest.mark.django_db
def test_items_paging_links_and_errors(client):
    build_geo_district()
    page = client.get("/api/ogc/collections/relics/items?limit=2").json()
    assert (page["numberMatched"], page["numberReturned"]) == (3, 2)
    links = {link["rel"]: link["href"] for link in page["links"]}
    assert links["next"] == "http://testserver/api/ogc/collections/relics/items?limit=2&offset=2"
    last = client.get(links["next"]).json()
    assert last["numberReturned"] == 1 and "next" not in {x["rel"] for x in last["links"]}
    fid = page["features"][0]["id"]
    one = client.get(f"/api/ogc/collections/relics/items/{fid}").json()
    assert one["id"] == fid and one["type"] == "Feature"
    missing = client.get("/api/ogc/collections/relics/items/999999")
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
    assert client.get("/api/ogc/collections/roads").status_code == 404
    bad = client.get("/api/ogc/collections/relics/items?limit=abc")
    assert bad.status_code == 400 and "limit" in bad.json()["description"]
    conformance = client.get("/api/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance
