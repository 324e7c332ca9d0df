"""Search engines find every published page: sitemap with hreflang, robots.txt, schema.org."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation
from wagtail.models import Locale

from content.structured_data import opening_hours
from tests.content.schema_vocabulary import json_ld_blocks, problems
from tests.factories import make_image, make_place, make_relic, publish

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(autouse=True)
def vietnamese_urls():
    with translation.override("vi"):
        yield


def _sitemap(client) -> dict[str, dict[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        for url in root.findall("sm:url", NS)
    }


def test_sitemap_lists_every_published_page_in_every_language(client, district):
    ward, other_ward = district["wards"]
    relic = make_relic(ward, title="Đình Hàng Kênh")
    place = make_place(ward)
    draft = make_relic(ward, title="Chùa Nháp")
    draft.unpublish()
    hidden = make_relic(other_ward, title="Miếu Trong Xã Ẩn")
    other_ward.unpublish()  # a live page below an unpublished one is not published
    en = Locale.objects.create(language_code="en")
    english = relic.copy_for_translation(en, copy_parents=True, alias=False)
    english.title = "Hang Kenh communal house"
    english.save_revision().publish()

    urls = _sitemap(client)
    vi_url, en_url = f"http://testserver{relic.url}", f"http://testserver{english.url}"
    assert en_url.startswith("http://testserver/en/")
    assert vi_url in urls and en_url in urls
    assert "http://testserver/" in urls  # the home page
    assert f"http://testserver{ward.url}" in urls
    for missing in (draft, hidden, other_ward):
        assert not any(missing.slug in u for u in urls), missing.slug
    # Real translations point at each other; Vietnamese is the x-default.
    expected = {"vi": vi_url, "en": en_url, "x-default": vi_url}
    assert urls[vi_url] == expected and urls[en_url] == expected
    # A page with no translation needs no alternates (and untranslated fallbacks are not listed).
    assert urls[f"http://testserver{place.url}"] == {}
    assert not any(u.startswith("http://testserver/fr/") for u in urls)


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /en/search/" in lines
    assert "Disallow: /" not in lines  # visitor pages stay crawlable


def test_relic_page_describes_the_landmark_in_schema_org(client, district):
    relic = make_relic(
        district["wards"][0],
        title="Đình Hàng Kênh",
        other_names="Đình Nghĩa Xá, Đình Hạ Đoạn",
        address="Số 1 phố Hàng Kênh",
        opening_hours="6:00 – 18:00 hằng ngày",
        summary='Ngôi đình gỗ </script><script>alert("x")</script> thế kỷ XVIII.',
    )
    relic.hero_image = make_image("đình", size=(1600, 900))
    publish(relic)
    html = client.get(relic.url).content.decode()
    assert html.count('<script type="application/ld+json">') == 1
    assert "</script><script>alert" not in html  # the summary cannot close the element
    (data,) = json_ld_blocks(html)
    assert problems(data) == []
    assert data["@type"] == "WebPage" and data["inLanguage"] == "vi"
    place = data["mainEntity"]
    assert place["@type"] == ["LandmarksOrHistoricalBuildings", "TouristAttraction"]
    assert place["name"] == "Đình Hàng Kênh"
    assert place["alternateName"] == ["Đình Nghĩa Xá", "Đình Hạ Đoạn"]
    assert place["description"].startswith("Ngôi đình gỗ </script>")
    assert place["url"] == f"http://testserver{relic.url}"
    assert place["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": float(relic.latitude),
        "longitude": float(relic.longitude),
    }
    assert place["address"]["streetAddress"] == "Số 1 phố Hàng Kênh"
    assert place["address"]["addressLocality"] == "Đông Khê"
    assert place["address"]["addressCountry"] == "VN"
    assert place["image"].startswith("http://testserver/media/images/")
    assert client.get(place["image"].removeprefix("http://testserver")).status_code == 200
    assert place["isAccessibleForFree"] is True
    assert place["openingHoursSpecification"]["opens"] == "06:00"
    assert place["openingHoursSpecification"]["closes"] == "18:00"
    # The page's CSP allows no inline script; a JSON-LD data block is not one it needs to allow.
    assert "script-src 'self';" in client.get(relic.url)["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        ("restaurant", "Restaurant"),
        ("hotel", "LodgingBusiness"),
        ("entertainment", "TouristAttraction"),
        ("service", "LocalBusiness"),
    ],
)
def test_tourism_place_type_follows_its_kind(client, district, kind, schema_type):
    place = make_place(district["wards"][0], title="Nhà nghỉ Hoa Sen", with_image=True)
    place.kind, place.phone, place.website = kind, "0225 3 123 456", "https://hoasen.example.vn"
    place.opening_hours = "Thứ Hai – Thứ Sáu 8:00 – 17:00"
    publish(place)
    (data,) = json_ld_blocks(client.get(place.url).content.decode())
    assert problems(data) == []
    entity = data["mainEntity"]
    assert entity["@type"] == schema_type
    assert (
        entity["telephone"] == "0225 3 123 456" and entity["sameAs"] == "https://hoasen.example.vn"
    )
    assert entity["geo"]["latitude"] == float(Decimal("20.857000"))
    assert "openingHoursSpecification" not in entity  # weekdays only: not guessed


def test_the_vocabulary_check_catches_mistakes():
    wrong = {
        "@context": "https://schema.org",
        "@type": "TouristAttraction",
        "name": "x",
        "inLanguage": "vi",  # a property of creative works, not of places
        "openingHours": "Mo-Su 06:00-18:00",  # LocalBusiness and CivicStructure only
        "geo": {"@type": "PostalAddress"},  # geo holds coordinates or a shape
        "isAccessibleForFree": "yes",
        "colour": "red",
    }
    found = "\n".join(problems(wrong))
    for name in ("inLanguage", "openingHours", "geo", "isAccessibleForFree", "colour"):
        assert name in found, name


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("6:00 – 18:00 hằng ngày", ("06:00", "18:00")),
        ("7h30-17h", ("07:30", "17:00")),
        ("8:00 - 11:30, 13:30 - 17:00", None),
        ("Mùng 1 và ngày rằm", None),
        ("", None),
    ],
)
def test_opening_hours_are_read_only_when_plain(text, hours):
    spec = opening_hours(text)
    assert (spec["opens"], spec["closes"]) == hours if hours else spec is None


def test_a_local_speciality_is_a_product_offered_where_it_is_sold(client, district):
    place = make_place(district["wards"][0], title="Bánh đa cua Hải Phòng", with_image=True)
    place.kind, place.ocop_stars, place.phone = "product", 4, "0225 3 555 666"
    publish(place)
    (data,) = json_ld_blocks(client.get(place.url).content.decode())
    assert problems(data) == []
    product = data["mainEntity"]
    assert product["@type"] == "Product" and product["name"] == "Bánh đa cua Hải Phòng"
    assert product["award"] == "OCOP 4 sao"
    seller = product["offers"]["availableAtOrFrom"]
    assert seller["@type"] == "LocalBusiness" and seller["telephone"] == "0225 3 555 666"
