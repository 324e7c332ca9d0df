"""Feeds serialised once per content version: never stale after a change, 304s for pollers,
compressed bodies stored with them; the embed page stays light however many points there are."""

import gzip
import json

import brotli
from wagtail.models import PageViewRestriction

from tests.factories import make_relic

FEED = "/api/geo/relics.geojson"


def _names(response):
    body = response.content
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    return sorted(f["properties"]["name"] for f in json.loads(body)["features"])


def test_an_unpublished_relic_leaves_the_stored_feed_at_once(client, geo_district):
    relic = geo_district["relics"][0]
    assert relic.title in _names(client.get(FEED))  # the body is stored now
    relic.unpublish()
    assert relic.title not in _names(client.get(FEED))
    relic.save_revision().publish()
    assert relic.title in _names(client.get(FEED))


def test_a_published_relic_or_a_new_name_shows_at_once(client, geo_district):
    before = _names(client.get(FEED))
    make_relic(geo_district["wards"][0], "Đình Mới", lat="20.861", lon="106.681")
    assert _names(client.get(FEED)) == sorted([*before, "Đình Mới"])
    relic = geo_district["relics"][0]
    relic.title = "Đình Đông Khê (đã sửa)"
    relic.save_revision().publish()
    names = _names(client.get(FEED))
    assert "Đình Đông Khê (đã sửa)" in names and "Đình Đông Khê" not in names


def test_a_view_restriction_hides_the_relic_from_the_stored_feed(client, geo_district):
    relic = geo_district["relics"][0]
    assert relic.title in _names(client.get(FEED))
    PageViewRestriction.objects.create(page=relic, restriction_type="password", password="x")
    assert relic.title not in _names(client.get(FEED))


def test_a_poller_with_the_etag_gets_a_304_until_something_changes(client, geo_district):
    first = client.get(FEED)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(FEED, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get(FEED, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    geo_district["relics"][1].unpublish()
    changed = client.get(FEED, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert geo_district["relics"][1].title not in _names(changed)


def test_the_stored_body_is_sent_compressed_as_the_client_accepts(client, geo_district):
    plain = client.get(FEED)
    for encoding in ("br", "gzip"):
        response = client.get(FEED, headers={"Accept-Encoding": encoding})
        assert response["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"] == "W/" + plain["ETag"]
        assert _names(response) == _names(plain)


def test_the_ioc_feed_answers_a_poll_that_changes_nothing_with_a_304(client, geo_district):
    first = client.get("/api/ioc/stats.json")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/api/ioc/stats.json", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    geo_district["relics"][0].unpublish()
    changed = client.get("/api/ioc/stats.json", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200


def test_the_embed_page_does_not_grow_with_the_number_of_points(client, geo_district):
    small = client.get("/map/embed/").content
    for i in range(40):
        make_relic(geo_district["wards"][0], f"Miếu {i}", lat="20.862", lon="106.683")
    large = client.get("/map/embed/").content
    assert len(large) == len(small) < 20_000
    assert b"Mi\xe1\xba\xbfu 3" not in large  # the points come from the feed
    assert "Miếu 39" in _names(client.get(FEED + "?lang=vi"))
