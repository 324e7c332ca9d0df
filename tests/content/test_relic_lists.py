"""A relic with hundreds of artifacts and inscriptions: a light first page, the rest a page at
a time (links without JavaScript, a fragment for "Xem thêm"), links to any item still land."""

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from content.models import Artifact
from content.models.page_context import ARTIFACTS_PER_PAGE, INSCRIPTIONS_PER_PAGE
from tests.factories import add_records, make_district, make_image, make_relic, translate

BIG_ARTIFACTS, BIG_INSCRIPTIONS = 600, 200


@pytest.fixture(scope="module")
def _big_module(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction; each test runs in a savepoint in it."""
    with django_db_blocker.unblock(), transaction.atomic():
        district = make_district()
        image = make_image("ảnh chung")  # one shared file keeps the test quick
        relic = make_relic(district["wards"][0], "Đình Lớn", hero_image=make_image("hero"))
        add_records(relic, BIG_ARTIFACTS, BIG_INSCRIPTIONS, image=image)
        small = make_relic(district["wards"][0], "Đình Nhỏ", hero_image=image)
        add_records(small, 5, 3, image=image)
        yield {"district": district, "big": relic, "small": small}
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture
def big(db, _big_module):
    return _big_module["big"]


@pytest.fixture
def small(db, _big_module):
    return _big_module["small"]


@pytest.fixture
def ward(db, _big_module):
    return _big_module["district"]["wards"][0]


def artifact_numbers(html: str) -> list[str]:
    return re.findall(r'id="hien-vat-(hv-\d+)"', html)


def inscription_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="di-van-(\d+)"', html)]


def queries(client, url) -> int:
    client.get(url)  # renditions are made on the first visit; count the steady state
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_the_first_load_of_a_relic_with_600_artifacts_is_light(client, big):
    response = client.get(big.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 80_000, len(response.content)
    assert html.count("<img") <= 20
    # The first page of each list, and how many there are in all.
    assert artifact_numbers(html) == [f"hv-{n:03d}" for n in range(ARTIFACTS_PER_PAGE)]
    assert len(inscription_ids(html)) == INSCRIPTIONS_PER_PAGE
    assert f"({BIG_ARTIFACTS})" in html and f"({BIG_INSCRIPTIONS})" in html
    # The rest without JavaScript: plain links; with it, a button the script reveals.
    assert f'href="{big.url}?hien-vat=2#hien-vat" rel="next"' in html
    assert f'href="{big.url}?di-van=2#di-van" rel="next"' in html
    assert f'data-part="{big.url}?hien-vat=2&amp;phan=hien-vat"' in html
    assert "Xem thêm" in html
    # Every picture below the hero waits until it is scrolled to.
    imgs = re.findall(r"<img [^>]*>", html)
    assert all('loading="lazy"' in tag for tag in imgs[1:])
    assert f'<link rel="canonical" href="http://testserver{big.url}">' in html


def test_a_later_page_is_reachable_without_javascript(client, big):
    html = client.get(f"{big.url}?hien-vat=3").content.decode()
    assert artifact_numbers(html) == [f"hv-{n:03d}" for n in range(24, 36)]
    assert f'href="{big.url}?hien-vat=2#hien-vat" rel="prev"' in html
    assert f'href="{big.url}?hien-vat=4#hien-vat" rel="next"' in html
    # The page of inscriptions is kept when the artifacts move on, and the other way round.
    both = client.get(f"{big.url}?hien-vat=3&di-van=2").content.decode()
    assert f'href="{big.url}?di-van=2&amp;hien-vat=4#hien-vat"' in both
    assert f'href="{big.url}?hien-vat=3&amp;di-van=3#di-van"' in both
    # Search engines are told the relic page is the one to list.
    assert f'<link rel="canonical" href="http://testserver{big.url}">' in html
    last = client.get(f"{big.url}?hien-vat=50").content.decode()
    assert artifact_numbers(last)[-1] == "hv-599" and 'rel="next"' not in last.split("hien-vat")[-1]


def test_the_more_button_gets_only_the_next_items(client, big):
    response = client.get(f"{big.url}?hien-vat=2&phan=hien-vat")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<header" not in html and len(html) < 12_000
    assert artifact_numbers(html) == [f"hv-{n:03d}" for n in range(12, 24)]
    assert f'data-part="{big.url}?hien-vat=3&amp;phan=hien-vat"' in html
    inscriptions = client.get(f"{big.url}?di-van=2&phan=di-van").content.decode()
    first_page = inscription_ids(client.get(big.url).content.decode())
    assert len(inscription_ids(inscriptions)) == INSCRIPTIONS_PER_PAGE
    assert not set(inscription_ids(inscriptions)) & set(first_page)


def test_queries_do_not_grow_with_artifacts_and_inscriptions(client, big, small):
    assert queries(client, big.url) == queries(client, small.url)
    assert queries(client, f"{big.url}?hien-vat=40&di-van=20") == queries(client, small.url)
    assert queries(client, f"{big.url}?hien-vat=2&phan=hien-vat") == queries(
        client, f"{small.url}?phan=hien-vat"
    )


def test_a_search_result_opens_the_page_that_holds_the_artifact(client, big):
    html = client.get("/search/", {"q": "HV-500"}).content.decode()
    link = re.search(r'href="([^"]*#hien-vat-hv-500)"', html).group(1)
    assert link == f"{big.url}?xem=hien-vat-hv-500#hien-vat-hv-500"
    page = client.get(link.replace("&amp;", "&").split("#")[0]).content.decode()
    assert 'id="hien-vat-hv-500"' in page and 'id="hien-vat-hv-000"' not in page


def test_a_link_to_an_inscription_opens_the_page_that_holds_it(client, big):
    last = big.inscriptions.order_by("sort_order", "pk").last()
    html = client.get(big.url, {"xem": f"di-van-{last.pk}"}).content.decode()
    assert f'id="di-van-{last.pk}"' in html
    assert "Trang 34/34" in html  # 200 inscriptions, 6 a page
    # An item that is gone (or never was) shows the first pages, not an error.
    for gone in ("di-van-999999", "hien-vat-khong-co", "abc", "\x00", "x" * 5000):
        response = client.get(big.url, {"xem": gone})
        assert response.status_code == 200
        assert artifact_numbers(response.content.decode())[0] == "hv-000"


def test_an_artifact_slug_is_what_the_anchor_uses(client, ward):
    relic = add_records(make_relic(ward, "Chùa"), artifacts=30)
    Artifact.objects.filter(relic=relic, inventory_number="HV-029").update(
        inventory_number="BT 2019/07"
    )
    anchor = f"hien-vat-{slugify('BT 2019/07')}"
    html = client.get(relic.url, {"xem": anchor}).content.decode()
    assert f'id="{anchor}"' in html and "Trang 3/3" in html


@pytest.mark.parametrize(
    "value", ["0", "-1", "abc", "\x00", "1e9", "9223372036854775808", "99999999999999999999", "٣"]
)
def test_odd_page_numbers_are_not_found(client, big, value):
    for param in ("hien-vat", "di-van"):
        assert client.get(big.url, {param: value}).status_code == 404
        assert client.get(big.url, {param: value, "phan": param}).status_code == 404


def test_a_page_past_the_end_is_not_found_and_page_one_always_exists(client, ward, big):
    assert client.get(big.url, {"hien-vat": "51"}).status_code == 404
    assert client.get(big.url, {"di-van": "35"}).status_code == 404
    empty = make_relic(ward, "Miếu")
    assert client.get(empty.url, {"hien-vat": "1"}).status_code == 200
    assert client.get(empty.url, {"hien-vat": "2"}).status_code == 404


def test_the_english_page_offers_show_more_in_english(client, ward):
    english = translate(make_relic(ward, "Đình Vừa"), "en", title="Middle Communal House")
    add_records(english, artifacts=20)
    html = client.get(english.url).content.decode()
    assert "Show more" in html and "Xem thêm" not in html
    assert f'href="{english.url}?hien-vat=2#hien-vat"' in html


def test_the_offline_manifest_keeps_the_first_page_images_only(client, big):
    manifest = client.get("/offline/manifest.json").json()
    entry = next(r for r in manifest["relics"] if r["url"] == big.url)
    # The hero, one shared artifact picture and one shared rubbing: not 800 files.
    assert 1 <= len(entry["images"]) <= 1 + ARTIFACTS_PER_PAGE + 2 * INSCRIPTIONS_PER_PAGE
