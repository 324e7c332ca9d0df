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


def _later(monkeypatch, seconds):
    """The local-memory cache's clock ``seconds`` ahead: what it stored for less has expired."""
    import time
    from types import SimpleNamespace

    from django.core.cache.backends import locmem

    now = time.time() + seconds
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: now))


def test_ioc_scans_show_within_the_refresh_time_and_a_publish_at_once(
    client, geo_district, settings, monkeypatch
):
    from media_pipeline.qr.short_codes import code_for_page

    settings.IOC_STATS_SECONDS = 60
    relic, other = geo_district["relics"][0], geo_district["relics"][1]
    code = code_for_page(relic).code
    first = client.get("/api/ioc/stats.json").json()
    assert first["refreshed_every_seconds"] == 60
    scan = {"HTTP_USER_AGENT": "iPhone Mobile"}
    client.get(f"/Q/{code}", **scan)

    def scans():
        doc = client.get("/api/ioc/stats.json").json()
        return {r["name"]: r["scans_total"] for r in doc["relics"]}

    assert scans()[relic.title] == 0  # the scan waits for the next refresh
    other.unpublish()  # a publish or unpublish shows at once
    assert other.title not in scans() and scans()[relic.title] == 1
    client.get(f"/Q/{code}", **scan)
    assert scans()[relic.title] == 1
    _later(monkeypatch, 61)
    assert scans()[relic.title] == 2


def test_ogc_pages_at_any_offset_are_cut_from_one_stored_list(
    client, geo_district, django_assert_max_num_queries
):
    url = "/api/ogc/collections/relics/items?f=json&limit=1&offset={}"
    first = client.get(url.format(0)).json()
    matched = first["numberMatched"]
    assert matched >= 2 and first["numberReturned"] == 1
    with django_assert_max_num_queries(4):  # the content version only: no feature is read
        second = client.get(url.format(1)).json()
    ids = [first["features"][0]["id"], second["features"][0]["id"]]
    assert len(set(ids)) == 2 and second["numberMatched"] == matched
    assert any(link["rel"] == "prev" for link in second["links"])
    past = client.get(url.format(matched)).json()
    assert past["numberReturned"] == 0 and past["features"] == []
    geo_district["relics"][0].unpublish()
    after = client.get(url.format(1)).json()
    assert after["numberMatched"] == matched - 1
