import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from content.models import RelicPage, WardPage
from tests.factories import make_district, make_image, make_place, make_relic


def test_relic_page_shows_what_a_visitor_needs(client, district):
    ward = district["wards"][0]
    relic = make_relic(
        ward,
        artifacts=2,
        inscriptions=1,
        with_images=True,
        worshipped_figures="Thành hoàng làng",
        hero_image=make_image("hero"),
    )
    make_place(ward, "Quán Bánh đa cua")
    make_place(ward, "Khách sạn xa", lat="21.500000", lon="105.800000")
    response = client.get(relic.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Đình Đông Khê</h1>" in html
    assert "Thành hoàng làng" in html
    # Inscriptions side by side: original, transliteration, translation.
    assert (
        html.index("重修亭碑記")
        < html.index("Trùng tu đình bi ký")
        < html.index("Bia ghi việc trùng tu đình")
    )
    assert "HV-000" in html and "HV-001" in html
    assert "Quán Bánh đa cua" in html
    assert "Khách sạn xa" not in html  # 80 km away is not nearby
    assert 'type="image/webp"' in html and "srcset=" in html


def test_user_content_is_escaped(client, district):
    relic = make_relic(district["wards"][0], title="<script>alert(1)</script> Đình")
    html = client.get(relic.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Đình" in html


def _render_queries(client, relic) -> int:
    client.get(relic.url)  # first render creates renditions; count the steady state
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(relic.url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_children(client, district):
    ward = district["wards"][0]
    small = make_relic(ward, "Đình Nhỏ", artifacts=1, inscriptions=1, with_images=True)
    make_place(ward, "Quán một", with_image=True)
    baseline = _render_queries(client, small)
    big = make_relic(ward, "Đình Lớn", artifacts=12, inscriptions=6, with_images=True)
    for n in range(5):
        make_place(ward, f"Quán thêm {n}", with_image=True)
    assert _render_queries(client, big) == baseline


def test_nearby_places_are_sorted_by_distance(district):
    ward = district["wards"][0]
    relic = make_relic(ward)
    make_place(ward, "Xa hơn", lat="20.866000", lon="106.682200")
    make_place(ward, "Gần nhất", lat="20.856500", lon="106.682200")
    places = relic.nearby_places()
    assert [p.title for p in places] == ["Gần nhất", "Xa hơn"]
    assert 40 < places[0].distance_m < 50


class TestRelicPageAdmin(WagtailPageTestCase):
    def setUp(self):
        self.district = make_district()
        self.ward = self.district["wards"][0]
        self.login()

    def _form(self, **overrides):
        data = {
            "title": "Đình Đông Khê",
            # What the admin's JavaScript fills in from the title, before we make it ASCII.
            "slug": "đình-đông-khê",
            "relic_type": "dinh",
            "ranking": "quoc_gia",
            "latitude": "20.8561",
            "longitude": "106.6822",
            "body": streamfield([("text", rich_text("<p>Lịch sử</p>"))]),
            "inscriptions": inline_formset(
                [{"kind": "van_bia", "title": "Bia", "original_text": "重修亭碑記"}]
            ),
            "artifacts": inline_formset(
                [{"inventory_number": "HV-1", "name": "Long ngai", "more_images": streamfield([])}]
            ),
        }
        data.update(overrides)
        return nested_form_data(data)

    def test_editor_can_create_a_relic(self):
        self.assertCanCreateAt(WardPage, RelicPage)
        self.assertCanCreate(self.ward, RelicPage, self._form())
        relic = RelicPage.objects.get()
        assert relic.slug == "dinh-dong-khe"
        assert relic.artifacts.get().name == "Long ngai"
        assert relic.inscriptions.get().original_text == "重修亭碑記"

    def test_duplicate_inventory_numbers_get_a_message_not_an_error(self):
        artifacts = inline_formset(
            [
                {"inventory_number": "HV-1", "name": "Long ngai", "more_images": streamfield([])},
                {"inventory_number": "HV-1", "name": "Bát hương", "more_images": streamfield([])},
            ]
        )
        url = f"/admin/pages/add/content/relicpage/{self.ward.pk}/"
        response = self.client.post(url, self._form(artifacts=artifacts))
        assert response.status_code == 200
        assert "Hãy sửa các giá trị trùng lặp dưới đây" in response.content.decode()
        assert not RelicPage.objects.exists()

    def test_swapped_coordinates_are_refused_with_a_hint(self):
        url = f"/admin/pages/add/content/relicpage/{self.ward.pk}/"
        response = self.client.post(url, self._form(latitude="106.6822", longitude="20.8561"))
        assert response.status_code == 200
        assert "bị đảo cho nhau" in response.content.decode()
        assert not RelicPage.objects.exists()


@pytest.mark.parametrize(
    ("lat", "lon", "hint"),
    [
        ("95", "106", False),
        ("20.8", "200", False),
        ("106.68", "20.85", True),
        ("48.85", "2.35", False),
    ],
)
def test_coordinates_outside_vietnam_are_refused(db, lat, lon, hint):
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    relic = RelicPage(title="Đình", latitude=Decimal(lat), longitude=Decimal(lon))
    with pytest.raises(ValidationError) as excinfo:
        relic.clean_coordinates()
    message = " ".join(excinfo.value.message_dict["latitude"])
    assert "ngoài lãnh thổ Việt Nam" in message
    assert ("bị đảo cho nhau" in message) is hint
