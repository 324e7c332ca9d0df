"""The tourism directory: places to eat, stay and visit and local products, under /du-lich/."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from content.models import TourismPlacePage
from tests.factories import make_image, make_place, make_relic, publish, translate


@pytest.fixture(autouse=True)
def vietnamese():
    """Page URLs computed in the test are the Vietnamese ones, whatever an earlier request left."""
    with translation.override("vi"):
        yield


def test_directory_filters_by_category_and_ward(client, district):
    east, west = district["wards"]
    make_place(east, "Quán Bánh đa cua", kind="restaurant", price_range="35.000 đ")
    make_place(west, "Khách sạn Hoa Phượng", kind="hotel", opening_hours="Cả ngày")
    make_place(east, "Nước mắm cốt", kind="product", ocop_stars=4, with_image=True)
    directory = TourismPlacePage.objects.first().get_parent()
    assert directory.url == "/du-lich/"

    html = client.get(directory.url).content.decode()
    assert all(n in html for n in ("Quán Bánh đa cua", "Khách sạn Hoa Phượng", "Nước mắm cốt"))
    assert "35.000 đ" in html and "OCOP 4 sao" in html and "srcset=" in html
    products = client.get(directory.url, {"kind": "product"}).content.decode()
    assert "Nước mắm cốt" in products and "Quán Bánh đa cua" not in products
    assert 'aria-current="page">Đặc sản, sản phẩm OCOP' in products
    in_west = client.get(directory.url, {"ward": west.slug}).content.decode()
    assert "Khách sạn Hoa Phượng" in in_west and "Quán Bánh đa cua" not in in_west
    junk = client.get(directory.url, {"kind": "<x>", "ward": "'", "page": "99"})
    assert junk.status_code == 200


def test_directory_pages_through_many_places(client, district):
    for n in range(26):
        make_place(district["wards"][0], f"Quán số {n:02d}")
    url = TourismPlacePage.objects.first().get_parent().url
    first, second = (client.get(url, {"page": p}).content.decode() for p in (1, 2))
    assert "Quán số 00" in first and "Quán số 25" not in first
    assert "Quán số 25" in second and "Trang 2/2" in second


def test_place_page_shows_contact_price_gallery_and_map(client, district):
    ward = district["wards"][0]
    place = make_place(
        ward,
        "Nhà hàng Bà Cụ",
        phone="0225 000 0101",
        opening_hours="6:00 – 21:00",
        price_range="35.000 – 60.000 đ/người",
        with_image=True,
    )
    place.gallery = [("image", make_image("ảnh 1")), ("image", make_image("ảnh 2"))]
    publish(place)
    html = client.get(place.url).content.decode()
    assert 'href="tel:02250000101"' in html and "6:00 – 21:00" in html
    assert "35.000 – 60.000 đ/người" in html and ward.title in html
    assert html.count('loading="lazy"') >= 2  # the two gallery photos, as renditions
    assert "/map/?bbox=106.67900,20.85300,106.68700,20.86100" in html


def test_foreign_visitors_see_untranslated_places(client, district):
    relic = make_relic(district["wards"][0])
    translate(relic, "en", title="Dong Khe Communal House")
    make_place(district["wards"][0], "Quán Bánh đa cua")
    html = client.get("/en/du-lich/").content.decode()
    assert "Quán Bánh đa cua" in html and 'href="/en/du-lich/quan-banh-da-cua/"' in html


def test_relic_page_lists_places_near_it_from_the_directory(client, district):
    ward = district["wards"][0]
    relic = make_relic(ward)
    make_place(district["wards"][1], "Đặc sản gần đình", kind="product", ocop_stars=3)
    html = client.get(relic.url).content.decode()
    assert "Đặc sản gần đình" in html and "/du-lich/dac-san-gan-dinh/" in html


def test_home_page_and_header_lead_to_every_section(client, district):
    make_place(district["wards"][0])
    html = client.get("/").content.decode()
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    for href in ('href="/di-tich/"', 'href="/map/"', 'href="/360/"', 'href="/du-lich/"'):
        assert href in nav
        assert href in html.split('class="explore"', 1)[1]
    en = client.get("/en/").content.decode()
    assert 'href="/en/du-lich/"' in en and 'href="/en/map/"' in en and 'href="/en/360/"' in en


def test_migration_moves_places_out_of_wards_and_keeps_old_addresses(client, district):
    """An older database: a place under its ward. The data migration moves it, with redirects."""
    ward = district["wards"][0]
    place = ward.add_child(instance=TourismPlacePage(title="Chợ đêm", slug="cho-dem"))
    publish(place)
    assert place.url_path == f"{ward.url_path}cho-dem/"
    migration = importlib.import_module("content.migrations.0006_places_into_directory")
    migration.move_places_into_directory(apps, None)

    place.refresh_from_db()
    assert place.url_path.endswith("/du-lich/cho-dem/") and place.ward_id == ward.pk
    assert place.get_parent().specific.title == "Du lịch" and place.get_parent().live
    for prefix in ("", "/en"):
        response = client.get(f"{prefix}/di-tich/{ward.slug}/cho-dem/")
        assert response.status_code == 301
        assert response["Location"] == f"{prefix}/du-lich/cho-dem/"
    assert Redirect.objects.filter(old_path=f"/di-tich/{ward.slug}/cho-dem").exists()
    assert not any(Page.find_problems())  # the tree's paths and child counts still agree


def test_translated_relic_lists_untranslated_places_near_it(client, district):
    ward = district["wards"][0]
    english = translate(make_relic(ward), "en", title="Dong Khe Communal House")
    make_place(ward, "Quán Bánh đa cua")
    with translation.override("en"):
        html = client.get(english.url).content.decode()
    assert "Quán Bánh đa cua" in html and 'href="/en/du-lich/quan-banh-da-cua/"' in html
