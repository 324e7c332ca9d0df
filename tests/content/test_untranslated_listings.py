"""A visitor in another language sees every relic, place and ward: translations where they
exist, the Vietnamese pages not translated yet marked "Vietnamese only" and opened under the
visitor's prefix (where a notice in their language says so)."""

import re

import pytest
from django.utils import translation

from tests.factories import directory_of, make_place, make_relic, publish, translate


@pytest.fixture(autouse=True)
def vietnamese_urls():
    with translation.override("vi"):
        yield


@pytest.fixture
def relics(district):
    w1, w2 = district["wards"]
    dinh = make_relic(w1, "Đình Đông Khê")
    chua = make_relic(w1, "Chùa Phổ Chiếu")
    den = make_relic(w2, "Đền Nghè")
    return {"dinh": dinh, "chua": chua, "den": den}


@pytest.fixture
def english(relics):
    """The English home, index and first ward, with one of the three relics."""
    return translate(relics["dinh"], "en", title="Dong Khe Communal House")


def badged(html: str) -> list[str]:
    """Titles carrying lang="vi" (the untranslated ones)."""
    return sorted(re.findall(r'<span class="card-title" lang="vi">([^<]+)</span>', html))


def titles(html: str) -> list[str]:
    return sorted(re.findall(r'<span class="card-title"(?: lang="vi")?>([^<]+)</span>', html))


def test_english_home_counts_and_shows_every_relic(client, english):
    html = client.get("/en/").content.decode()
    assert "See all 3 relics" in html or "3 relics" in html
    assert titles(html) == ["Chùa Phổ Chiếu", "Dong Khe Communal House", "Đền Nghè"]
    assert badged(html) == ["Chùa Phổ Chiếu", "Đền Nghè"]
    assert html.count("Vietnamese only") == 2
    assert 'href="/en/di-tich/dong-khe/chua-pho-chieu/"' in html


@pytest.mark.parametrize("prefix", ["/en", "/zh-hans", "/ko", "/ja", "/fr"])
def test_relic_index_lists_every_relic_in_each_language(client, english, prefix):
    response = client.get(f"{prefix}/di-tich/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(titles(html)) == 3
    if prefix == "/en":
        assert badged(html) == ["Chùa Phổ Chiếu", "Đền Nghè"]
    else:  # nothing in this language yet: all three in Vietnamese, all marked
        assert badged(html) == ["Chùa Phổ Chiếu", "Đình Đông Khê", "Đền Nghè"]
    # Each opens under the visitor's prefix, where the notice is.
    assert f'href="{prefix}/di-tich/lach-tray/den-nghe/"' in html
    assert client.get(f"{prefix}/di-tich/lach-tray/den-nghe/").status_code == 200


def test_the_index_filters_by_an_untranslated_ward(client, english):
    html = client.get("/en/di-tich/").content.decode()
    # The ward with no English page is still offered.
    assert '<option value="lach-tray"' in html and '<option value="dong-khe"' in html
    assert titles(client.get("/en/di-tich/", {"ward": "lach-tray"}).content.decode()) == [
        "Đền Nghè"
    ]
    in_dong_khe = client.get("/en/di-tich/", {"ward": "dong-khe"}).content.decode()
    assert titles(in_dong_khe) == ["Chùa Phổ Chiếu", "Dong Khe Communal House"]


def test_ward_pages_list_their_untranslated_relics_and_places(client, district, english):
    make_place(district["wards"][0], "Quán Bánh đa cua")
    english_ward = english.get_parent()
    html = client.get(english_ward.url).content.decode()
    assert titles(html) == ["Chùa Phổ Chiếu", "Dong Khe Communal House"]
    assert badged(html) == ["Chùa Phổ Chiếu"]
    assert '<span class="place-name" lang="vi">Quán Bánh đa cua</span>' in html
    # A ward with no English page, under /en/: its relic, marked.
    other = client.get("/en/di-tich/lach-tray/").content.decode()
    assert badged(other) == ["Đền Nghè"]


def test_tourism_directory_marks_untranslated_places(client, district, english):
    place = make_place(district["wards"][0], "Khách sạn Hoa Phượng", kind="hotel")
    translated = make_place(district["wards"][1], "Quán Bánh đa cua")
    translate(translated, "en", title="Crab Noodle Shop")
    html = client.get("/en" + directory_of(place).url).content.decode()
    assert titles(html) == ["Crab Noodle Shop", "Khách sạn Hoa Phượng"]
    assert badged(html) == ["Khách sạn Hoa Phượng"]


def test_vietnamese_listings_carry_no_mark(client, english):
    for path in ("/", "/di-tich/", "/di-tich/dong-khe/"):
        html = client.get(path).content.decode()
        assert 'lang="vi">' not in html.split("<main", 1)[1] and "lang-badge" not in html


def test_listings_still_follow_the_public_rule(client, relics, english):
    relics["den"].get_parent().specific.unpublish()  # the ward of Đền Nghè taken down
    for path in ("/en/", "/en/di-tich/", "/ko/di-tich/"):
        assert "Đền Nghè" not in client.get(path).content.decode()
    draft = relics["chua"]
    draft.unpublish()
    assert "Chùa Phổ Chiếu" not in client.get("/en/di-tich/").content.decode()
    publish(draft)
    assert "Chùa Phổ Chiếu" in client.get("/en/di-tich/").content.decode()


def test_near_me_list_marks_untranslated_relics_and_places(client, district, english):
    make_place(district["wards"][0], "Quán Bánh đa cua")
    doc = client.get("/en/offline/manifest.json").json()
    relics = {r["title"]: r for r in doc["relics"]}
    assert sorted(relics) == ["Chùa Phổ Chiếu", "Dong Khe Communal House", "Đền Nghè"]
    assert relics["Dong Khe Communal House"]["translated"] is True
    assert relics["Đền Nghè"]["translated"] is False
    assert relics["Đền Nghè"]["url"] == "/en/di-tich/lach-tray/den-nghe/"
    assert [(p["title"], p["translated"]) for p in doc["places"]] == [("Quán Bánh đa cua", False)]
    assert all(r["translated"] for r in client.get("/offline/manifest.json").json()["relics"])
    page = client.get("/en/near-me/").content.decode()
    assert 'data-untranslated-label="Vietnamese only"' in page
