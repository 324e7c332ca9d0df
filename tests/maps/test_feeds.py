"""GeoJSON feeds of relics, places and wards: RFC 7946, filters, caching and CORS."""

import pytest
from django.test import override_settings
from shapely.geometry import shape

IOC = "https://ioc.example.gov.vn"


def _get(client, path, **headers):
    response = client.get(path, headers=headers)
    return response, (response.json() if response.status_code == 200 else None)


def _names(document):
    return sorted(f["properties"]["name"] for f in document["features"])


def test_relics_feed_is_rfc7946_geojson(client, geo_district):
    response, doc = _get(client, "/api/geo/relics.geojson")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert _names(doc) == sorted(["Chùa Phổ Chiếu", "Đền Nghè", "Đình Đông Khê"])  # no draft
    dinh = next(f for f in doc["features"] if f["properties"]["code"] == "DT01")
    assert dinh["geometry"] == {"type": "Point", "coordinates": [106.68, 20.86]}  # lon, lat
    assert shape(dinh["geometry"]).is_valid
    props = dinh["properties"]
    assert (props["ranking"], props["type"], props["ward"]) == ("quoc_gia", "dinh", "Đông Khê")
    assert props["url"] == "http://testserver" + geo_district["relics"][0].url
    assert dinh["id"] == geo_district["relics"][0].pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ward=P02", ["Đền Nghè"]),
        ("ward=dong-khe", ["Chùa Phổ Chiếu", "Đình Đông Khê"]),
        ("ranking=quoc_gia", ["Đền Nghè", "Đình Đông Khê"]),
        ("type=chua,den", ["Chùa Phổ Chiếu", "Đền Nghè"]),
        ("bbox=106.675,20.855,106.69,20.87", ["Chùa Phổ Chiếu", "Đình Đông Khê"]),
        ("ward=P01&ranking=quoc_gia", ["Đình Đông Khê"]),
    ],
)
def test_relics_feed_filters(client, geo_district, query, expected):
    response, doc = _get(client, f"/api/geo/relics.geojson?{query}")
    assert response.status_code == 200
    assert _names(doc) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("bbox=106,20,107", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=106,21,107,20", "bbox"),
        ("ranking=hang-nhat", "ranking"),
        ("type=nha-hang", "type"),
        ("ward=khong-co", "ward"),
        ("lang=xx", "lang"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(client, geo_district, query, parameter):
    response = client.get(f"/api/geo/relics.geojson?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter and body["error"]


def test_places_feed_filters_by_kind_and_refuses_ranking(client, geo_district):
    _, doc = _get(client, "/api/geo/places.geojson")
    assert _names(doc) == ["Khách sạn Lạch Tray", "Quán Bánh đa cua"]
    _, hotels = _get(client, "/api/geo/places.geojson?type=hotel")
    assert _names(hotels) == ["Khách sạn Lạch Tray"]
    assert client.get("/api/geo/places.geojson?ranking=quoc_gia").status_code == 400


def test_wards_feed_has_polygons_with_bbox(client, geo_district):
    _, doc = _get(client, "/api/geo/wards.geojson")
    assert _names(doc) == ["Lạch Tray", "Đông Khê"]
    ward = doc["features"][0]
    assert ward["geometry"]["type"] == "Polygon" and shape(ward["geometry"]).is_valid
    assert len(ward["bbox"]) == 4
    _, west_only = _get(client, "/api/geo/wards.geojson?bbox=106.70,20.80,106.75,20.90")
    assert _names(west_only) == ["Lạch Tray"]


def test_feed_answers_304_until_a_relic_is_published(client, geo_district):
    first = client.get("/api/geo/relics.geojson")
    assert "max-age=60" in first["Cache-Control"]
    again = client.get("/api/geo/relics.geojson", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    relic = geo_district["relics"][1]
    relic.title = "Chùa Phổ Chiếu (mới)"
    relic.save_revision().publish()
    changed = client.get("/api/geo/relics.geojson", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert "Chùa Phổ Chiếu (mới)" in _names(changed.json())


@override_settings(IOC_ALLOWED_ORIGINS=(IOC,))
def test_cors_only_for_the_ioc_hosts(client, geo_district):
    allowed = client.get("/api/geo/relics.geojson", headers={"Origin": IOC})
    assert allowed["Access-Control-Allow-Origin"] == IOC
    other = client.get("/api/geo/relics.geojson", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other
    assert "Origin" in other["Vary"]
    preflight = client.options("/api/geo/relics.geojson", headers={"Origin": IOC})
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_feeds_are_read_only(client, geo_district):
    assert client.post("/api/geo/relics.geojson").status_code in (403, 405)
