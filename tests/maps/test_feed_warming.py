"""After a publish the map's feeds are built again in the background, so that the next visitor
or IOC poll is served a stored body; a failing rebuild never stops a publish."""

import logging

import pytest

FEED = "/api/geo/relics.geojson?lang=vi"


@pytest.fixture
def warming(settings):
    settings.MAP_WARM_FEEDS = True


def test_after_a_publish_the_feeds_are_ready_before_anyone_asks(
    client, geo_district, warming, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.get(FEED)  # a visitor: the feeds are built for this host from now on
    relic = geo_district["relics"][0]
    relic.title = "Đình Đông Khê (sửa)"
    with django_capture_on_commit_callbacks(execute=True):
        relic.save_revision().publish()
    with django_assert_max_num_queries(4):  # the content version only: no feature is read
        response = client.get(FEED, headers={"Accept-Encoding": "br"})
    assert response["Content-Encoding"] == "br"
    with django_assert_max_num_queries(4):
        stats = client.get("/api/ioc/stats.json")
    assert "Đình Đông Khê (sửa)" in {r["name"] for r in stats.json()["relics"]}


def test_a_failing_rebuild_is_logged_and_the_publish_stands(
    client, geo_district, warming, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from maps import warm

    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setattr(warm, "warm_feeds", broken)
    relic = geo_district["relics"][0]
    relic.title = "Đình mới sửa"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        relic.save_revision().publish()
    assert "Đình mới sửa" in client.get(FEED).content.decode()
    assert any(r.levelno >= logging.ERROR for r in caplog.records)
