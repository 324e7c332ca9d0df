import unicodedata

import pytest

from tests.factories import make_place, make_relic


@pytest.fixture
def relics(district):
    w1, w2 = district["wards"]
    return [
        make_relic(w1, "Đình Đông Khê", artifacts=2, inscriptions=1),
        make_relic(w2, "Chùa Phúc Lâm", summary="Ngôi chùa cổ thờ Phật."),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "Đình Đông Khê",
        "dinh dong khe",
        "DINH DONG KHE",
        unicodedata.normalize("NFD", "Đình Đông Khê"),
    ],
)
def test_search_finds_relic_with_or_without_diacritics(client, relics, query):
    html = client.get("/search/", {"q": query}).content.decode()
    assert "Đình Đông Khê" in html
    assert "Chùa Phúc Lâm" not in html


def test_search_finds_inscriptions_and_artifacts(client, relics):
    html = client.get("/search/", {"q": "trung tu dinh bi ky"}).content.decode()
    assert "Bia số 0" in html and "#di-van-" in html
    html = client.get("/search/", {"q": "hien vat 1"}).content.decode()
    assert "Hiện vật 1" in html and "HV-001" in html


def test_search_skips_unpublished_relics(client, relics):
    relics[1].unpublish()
    html = client.get("/search/", {"q": "chua phuc lam"}).content.decode()
    assert "Không tìm thấy kết quả" in html


@pytest.mark.parametrize("q", ["", "   ", "%00", "<script>", "x" * 5000, "' OR 1=1 --"])
def test_odd_queries_are_handled(client, relics, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_saving_a_record_folds_its_search_key_and_reads_its_years(district):
    relic = make_relic(district["wards"][0], artifacts=1, inscriptions=1)
    artifact, inscription = relic.artifacts.get(), relic.inscriptions.get()
    artifact.name, artifact.dating = unicodedata.normalize("NFD", "Chuông Đồng"), "năm 1890"
    inscription.title, inscription.dating = "Hậu Thần Bi Ký", "thế kỷ XVIII"
    for record in (artifact, inscription):
        record.save()
        record.refresh_from_db()
    assert artifact.name == "Chuông Đồng" and "chuong dong" in artifact.search_key
    assert (artifact.year_from, artifact.year_to) == (1890, 1890)
    assert inscription.search_key.startswith("hau than bi ky")
    assert (inscription.year_from, inscription.year_to) == (1701, 1800)


def _result_titles(html: str) -> list[str]:
    import re

    return re.findall(r'<h2><a href="[^"]+"(?: lang="vi")?>([^<]+)</a>', html)


def test_one_card_per_relic_with_its_matching_records(client, district):
    """`dinh` is in every relic's inscription: each relic once, its matches listed under it."""
    w1, w2 = district["wards"]
    for n in range(3):
        make_relic(w1, f"Đình số {n}", inscriptions=2, artifacts=1, ranking="quoc_gia")
    html = client.get("/search/", {"q": "dinh"}).content.decode()
    titles = _result_titles(html)
    assert sorted(titles) == ["Đình số 0", "Đình số 1", "Đình số 2"]
    assert "3 kết quả" in html
    assert html.count("Di văn: Bia số 0") == 3  # grouped under each relic, not a list apart
    card = html.split("Đình số 0</a></h2>", 1)[1].split("</li>\n", 1)[0]
    assert "Di tích quốc gia" in card and w1.title in card


def test_han_nom_original_text_is_searchable(client, relics):
    html = client.get("/search/", {"q": "重修"}).content.decode()
    assert _result_titles(html) == ["Đình Đông Khê"]
    assert "Di văn: Bia số 0" in html
    assert _result_titles(client.get("/search/", {"q": "重修 dinh"}).content.decode()) == [
        "Đình Đông Khê"
    ]
    assert "Không tìm thấy" in client.get("/search/", {"q": "聖躬"}).content.decode()


def test_places_and_products_are_found(client, district):
    make_place(district["wards"][0], "Nước mắm cốt Lạch Tray", kind="product", ocop_stars=4)
    make_place(district["wards"][0], "Khách sạn Hoa Phượng", kind="hotel", with_image=True)
    html = client.get("/search/", {"q": "nuoc mam"}).content.decode()
    assert _result_titles(html) == ["Nước mắm cốt Lạch Tray"]
    assert "Đặc sản, sản phẩm OCOP · OCOP 4 sao" in html
    assert _result_titles(client.get("/search/", {"q": "ocop"}).content.decode()) == [
        "Nước mắm cốt Lạch Tray"
    ]
    hotel = client.get("/search/", {"q": "khach san hoa phuong"}).content.decode()
    assert _result_titles(hotel) == ["Khách sạn Hoa Phượng"] and "srcset=" in hotel


def test_results_are_paginated(client, district):
    for n in range(23):
        make_relic(district["wards"][0], f"Chùa số {n:02d}", inscriptions=0)
    first = client.get("/search/", {"q": "chua so"}).content.decode()
    second = client.get("/search/", {"q": "chua so", "page": 2}).content.decode()
    assert len(_result_titles(first)) == 20 and len(_result_titles(second)) == 3
    assert "23 kết quả" in first and "Trang 2/2" in second
    assert not set(_result_titles(first)) & set(_result_titles(second))


def test_foreign_visitors_also_find_untranslated_pages(client, district):
    from tests.factories import translate

    relic = make_relic(district["wards"][0], "Đình Đông Khê", inscriptions=1)
    translate(relic, "en", title="Dong Khe Communal House")
    make_relic(district["wards"][1], "Chùa Phúc Lâm", inscriptions=1)
    make_place(district["wards"][0], "Khách sạn Hoa Phượng", kind="hotel")
    html = client.get("/en/search/", {"q": "chua phuc lam"}).content.decode()
    assert _result_titles(html) == ["Chùa Phúc Lâm"]
    # Marked as not translated yet, and opened under /en/ (the notice in English).
    assert 'lang="vi">Chùa Phúc Lâm</a> <span class="lang-badge"' in html
    assert 'href="/en/di-tich/lach-tray/chua-phuc-lam/"' in html
    assert "Hoa Phượng" in client.get("/en/search/", {"q": "hoa phuong"}).content.decode()
    # Each relic once: the English version where there is one, never both.
    titles = _result_titles(client.get("/en/search/", {"q": "重修"}).content.decode())
    assert sorted(titles) == ["Chùa Phúc Lâm", "Dong Khe Communal House"]
    assert 'lang="vi">Dong Khe' not in client.get("/en/search/", {"q": "重修"}).content.decode()
