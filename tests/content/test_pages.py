"""Render and admin-create tests for the page types other than the relic page."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from content.models import (
    HomePage,
    RelicIndexPage,
    RelicPage,
    TourismIndexPage,
    TourismPlacePage,
    WardPage,
)
from tests.factories import make_district, make_place, make_relic


def test_home_page_lists_featured_relics(client, district):
    make_relic(district["wards"][0], "Đình Đông Khê")
    html = client.get("/").content.decode()
    assert "Quận Thử" in html and "Đình Đông Khê" in html
    assert "Xem 1 di tích" in html


def test_relic_index_filters_by_ward_type_and_ranking(client, district):
    w1, w2 = district["wards"]
    make_relic(w1, "Đình Đông Khê", relic_type="dinh", ranking="quoc_gia")
    make_relic(w2, "Chùa Lạch Tray", relic_type="chua", ranking="cap_tinh")
    url = district["index"].url
    assert "Chùa Lạch Tray" in client.get(url).content.decode()
    by_ward = client.get(url, {"ward": w1.slug}).content.decode()
    assert "Đình Đông Khê" in by_ward and "Chùa Lạch Tray" not in by_ward
    by_type = client.get(url, {"type": "chua"}).content.decode()
    assert "Chùa Lạch Tray" in by_type and "Đình Đông Khê" not in by_type
    by_rank = client.get(url, {"ranking": "quoc_gia"}).content.decode()
    assert "Đình Đông Khê" in by_rank and "Chùa Lạch Tray" not in by_rank
    # Junk in the query string is ignored, not an error.
    assert client.get(url, {"ward": "<x>", "type": "'", "page": "999"}).status_code == 200


def test_ward_page_lists_its_relics_and_places(client, district):
    ward = district["wards"][0]
    make_relic(ward, "Đình Đông Khê")
    make_place(ward, "Quán Bánh đa cua")
    html = client.get(ward.url).content.decode()
    assert "Phường Đông Khê" in html
    assert "Đình Đông Khê" in html and "Quán Bánh đa cua" in html


def test_tourism_place_page_renders(client, district):
    place = make_place(district["wards"][0], "Khách sạn Hoa Phượng")
    html = client.get(place.url).content.decode()
    assert "<h1>Khách sạn Hoa Phượng</h1>" in html


class TestCreatePages(WagtailPageTestCase):
    def setUp(self):
        self.login()

    def test_create_home_index_ward_and_place(self):
        root = Page.get_first_root_node()
        self.assertCanCreate(
            root,
            HomePage,
            nested_form_data(
                {
                    "title": "Huyện Gia Lâm",
                    "slug": "gia-lam",
                    "intro": rich_text("<p>Giới thiệu</p>"),
                }
            ),
        )
        home = HomePage.objects.get()
        self.assertCanCreate(
            home,
            RelicIndexPage,
            nested_form_data({"title": "Di tích", "slug": "di-tich", "intro": rich_text("")}),
        )
        index = RelicIndexPage.objects.get()
        self.assertCanCreate(
            index,
            WardPage,
            nested_form_data({"title": "Xã Bát Tràng", "slug": "xã-bát-tràng", "ward_kind": "xa"}),
        )
        ward = WardPage.objects.get()
        assert ward.slug == "xa-bat-trang"
        self.assertCanCreate(
            home,
            TourismIndexPage,
            nested_form_data({"title": "Du lịch", "slug": "du-lich", "intro": rich_text("")}),
        )
        directory = TourismIndexPage.objects.get()
        self.assertCanCreate(
            directory,
            TourismPlacePage,
            nested_form_data(
                {
                    "title": "Gốm Bát Tràng",
                    "slug": "gom-bat-trang",
                    "kind": "product",
                    "ocop_stars": "4",
                    "ward": ward.pk,
                    "price_range": "từ 50.000 đ",
                    "latitude": "20.9760",
                    "longitude": "105.9130",
                    "gallery": streamfield([]),
                }
            ),
        )
        place = TourismPlacePage.objects.get()
        assert (place.ward_id, place.ocop_stars) == (ward.pk, 4)
        assert place.url_path.endswith("/du-lich/gom-bat-trang/")
        self.assertAllowedParentPageTypes(WardPage, {RelicIndexPage})
        self.assertAllowedSubpageTypes(WardPage, {RelicPage})
        self.assertAllowedParentPageTypes(TourismPlacePage, {TourismIndexPage})

    def test_ocop_stars_only_for_products(self):
        district = make_district()
        place = make_place(district["wards"][0], "Khách sạn")
        place.ocop_stars = 4
        with pytest.raises(ValidationError) as raised:
            place.full_clean()
        assert "ocop_stars" in raised.value.message_dict

    def test_pages_render(self):
        district = make_district()
        self.assertPageIsRenderable(district["home"])
        self.assertPageIsRenderable(district["index"])
        self.assertPageIsRenderable(district["wards"][0])
