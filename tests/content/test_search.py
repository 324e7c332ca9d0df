import unicodedata

import pytest

from tests.factories import make_relic


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
