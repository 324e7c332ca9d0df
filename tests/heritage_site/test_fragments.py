"""Rendered parts of relic and home pages kept until visitor content changes, with the page
cache off (heritage_site/fragments.py), and pages found by their path (content/routing.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import HomePage, RelicPage, TourismPlacePage
from tests.factories import (
    add_records,
    make_narration,
    make_place,
    make_relic,
    publish,
    translate,
)
from tests.media_pipeline.panorama_helpers import make_panorama


@pytest.fixture(autouse=True)
def fragments_only(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0], title="Đình Đông Khê")


def behind_the_cache(model, page, **fields):
    """Change the rows without any signal, as kept parts would hide it."""
    model.objects.filter(pk=page.pk).update(**fields)


def queries_of(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    assert "X-Page-Cache" not in response  # the page cache is off: every answer is rendered
    return len(ctx.captured_queries), response.content.decode()


def test_a_relic_article_is_rendered_once_until_the_content_changes(client, relic):
    add_records(relic, artifacts=3, inscriptions=2)
    first_queries, first = queries_of(client, relic.url)
    behind_the_cache(RelicPage, relic, summary="Tóm tắt đổi ngầm.")
    again_queries, again = queries_of(client, relic.url)
    # The article is as kept (the page's own row, read to find it, fills the <head>).
    article = again.split("<main")[1]
    assert article == first.split("<main")[1] and "Tóm tắt đổi ngầm." not in article
    # The article's queries are skipped, and so are the site's lookups (which site, which page
    # a path names, which branches are hidden): the page's row is read, and the generation.
    assert again_queries <= 3 < first_queries
    relic.refresh_from_db()
    relic.summary = "Tóm tắt mới."
    publish(relic)
    assert "Tóm tắt mới." in client.get(relic.url).content.decode()


def test_a_narration_and_a_panorama_show_at_once(client, relic, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert "<audio" not in client.get(relic.url).content.decode()
    make_narration(relic)
    assert "<audio" in client.get(relic.url).content.decode()
    make_panorama(relic=relic)
    assert "Xem 360°" in client.get(relic.url).content.decode()


def test_list_pages_and_languages_are_kept_apart(client, relic):
    relic = add_records(relic, artifacts=30, inscriptions=10)
    english = translate(relic, title="Dong Khe Communal House")
    # URLs taken before any request: the test client leaves the last request's language active.
    vi_url, en_url = relic.url, english.url
    urls = {
        vi_url: 'id="hien-vat-hv-000"',
        f"{vi_url}?hien-vat=2": 'id="hien-vat-hv-012"',
        f"{vi_url}?hien-vat=3&di-van=2": 'id="hien-vat-hv-024"',
        f"{vi_url}?xem=hien-vat-hv-029": 'id="hien-vat-hv-029"',
        en_url: "<h1>Dong Khe Communal House</h1>",
    }
    for _ in range(2):  # rendered, then as kept
        for url, wanted in urls.items():
            page = client.get(url).content.decode()
            assert wanted in page, url
            assert ("Dong Khe" in page) == (url == en_url), url
    more = client.get(f"{vi_url}?hien-vat=2&phan=hien-vat").content
    assert b"<html" not in more and b'id="hien-vat-hv-012"' in more
    # Odd or past-the-end page numbers stay 404s once the first pages are kept.
    for query in ("hien-vat=0", "hien-vat=4", "di-van=abc", "hien-vat=1e9"):
        assert client.get(f"{vi_url}?{query}").status_code == 404, query


def test_staff_and_previews_never_share_kept_parts(client, admin_client, relic):
    client.get(relic.url)
    behind_the_cache(RelicPage, relic, summary="Bản nháp của cán bộ.")
    assert "Bản nháp của cán bộ." in admin_client.get(relic.url).content.decode()
    assert "Bản nháp của cán bộ." not in client.get(relic.url).content.decode().split("<main")[1]
    preview = admin_client.get(f"/admin/pages/{relic.pk}/edit/preview/")
    assert preview.status_code == 200


def test_the_home_page_lists_a_published_relic_at_once(client, district, relic):
    home = district["home"]
    first = client.get(home.url).content.decode()
    behind_the_cache(HomePage, home, title="Trang chủ đổi ngầm")
    assert "Trang chủ đổi ngầm" not in client.get(home.url).content.decode().split("<main")[1]
    make_relic(district["wards"][0], title="Chùa Mới Xây")
    now = client.get(home.url).content.decode()
    assert "Chùa Mới Xây" in now and "Chùa Mới Xây" not in first


def test_a_page_is_found_in_one_query_and_follows_moves_and_unpublishing(client, district, relic):
    client.get(relic.url)  # the path's page is remembered
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(relic.url).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    # No walk down the tree a level at a time (Wagtail's asks each level for a child by slug).
    assert not [q for q in sql if '"wagtailcore_page"."slug" =' in q]
    assert len([q for q in sql if 'FROM "content_relicpage"' in q]) == 1
    old_url = relic.url
    relic.move(district["wards"][1], pos="last-child")
    relic = RelicPage.objects.get(pk=relic.pk)
    moved = client.get(old_url)  # Wagtail's automatic redirect, not the remembered page
    assert moved.status_code == 301 and moved["Location"] == relic.url
    assert client.get(relic.url).status_code == 200
    relic.unpublish()
    assert client.get(relic.url).status_code == 404


def test_a_place_article_is_kept_until_the_place_is_published(client, district):
    place = make_place(district["wards"][0], address="Số 1 phố Cầu Đất")
    first = client.get(place.url).content.decode().split("<main")[1]
    behind_the_cache(TourismPlacePage, place, address="Địa chỉ đổi ngầm")
    assert client.get(place.url).content.decode().split("<main")[1] == first
    place.refresh_from_db()
    place.address = "Số 9 phố Mới"
    publish(place)
    assert "Số 9 phố Mới" in client.get(place.url).content.decode()
