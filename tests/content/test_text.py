import unicodedata

import pytest

from content.models import Artifact, RelicPage
from content.text import fold, fold_key, nfc, strip_diacritics, vietnamese_slugify
from tests.factories import make_relic

NFD = unicodedata.normalize("NFD", "Đình Đông Khê")
NFD_CODE = unicodedata.normalize("NFD", "Mã di tích")


@pytest.mark.parametrize("title", ["Đình Đông Khê", NFD])
def test_vietnamese_slug_is_readable_ascii(title):
    assert vietnamese_slugify(title) == "dinh-dong-khe"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Chùa Phúc Lâm", "chua-phuc-lam"),
        ("Đền Nghè — Mẫu", "den-nghe-mau"),
        ("Nhà thờ họ Nguyễn Đức", "nha-tho-ho-nguyen-duc"),
        ("Miếu Ba Xã (cũ)", "mieu-ba-xa-cu"),
    ],
)
def test_more_vietnamese_slugs(title, slug):
    assert vietnamese_slugify(title) == slug


def test_fold_ignores_diacritics_case_and_form():
    assert fold("Đình ĐÔNG  Khê") == "dinh dong khe"
    assert fold(NFD) == fold("Đình Đông Khê") == "dinh dong khe"
    assert fold(" HV-001\tBát  hương ") == "hv-001 bat huong"
    assert fold("") == fold(None) == ""


def test_fold_keeps_han_nom_and_folds_other_scripts_case():
    assert fold("Bia 重修亭碑記") == "bia 重修亭碑記"
    assert fold("STRASSE Straße") == "strasse strasse"
    assert strip_diacritics("Đình Đông Khê") == "Dinh Dong Khe"


@pytest.mark.parametrize(
    "header", ["Mã di tích", "MÃ DI TÍCH", "ma di tich", "ma_di_tich", " Mã-di-tích: ", NFD_CODE]
)
def test_fold_key_matches_headers_however_written(header):
    assert fold_key(header) == "ma_di_tich"


def test_fold_key_of_geodata_attributes():
    assert fold_key("Tên di tích") == "ten_di_tich"
    assert fold_key("Loại hình (DT)") == "loai_hinh_dt"
    assert fold_key("重修") == fold_key(None) == ""


def test_page_without_slug_gets_ascii_slug(district):
    relic = make_relic(district["wards"][0], title=NFD)
    assert relic.slug == "dinh-dong-khe"
    assert relic.url.endswith("/dinh-dong-khe/")


def test_text_typed_in_nfd_is_stored_in_nfc(district):
    summary = unicodedata.normalize("NFD", "Ngôi đình thờ Thành hoàng, dựng thời Lê.")
    relic = make_relic(district["wards"][0], title=NFD, summary=summary, artifacts=1)
    stored = RelicPage.objects.get(pk=relic.pk)
    assert stored.title == nfc(NFD) == "Đình Đông Khê"
    assert unicodedata.is_normalized("NFC", stored.summary)
    artifact = Artifact.objects.get(relic=relic)
    artifact.name = unicodedata.normalize("NFD", "Hạc đồng")
    artifact.save()
    artifact.refresh_from_db()
    assert artifact.name == "Hạc đồng" and unicodedata.is_normalized("NFC", artifact.name)


def test_streamfield_text_is_stored_in_nfc(district):
    relic = make_relic(district["wards"][0])
    relic.body = [("quote", {"text": unicodedata.normalize("NFD", "Uống nước nhớ nguồn")})]
    relic.save_revision().publish()
    stored = RelicPage.objects.get(pk=relic.pk)
    assert stored.body[0].value["text"] == "Uống nước nhớ nguồn"


def test_han_nom_beyond_the_basic_plane_round_trips(district):
    # U+20027 and U+2A6D6 sit in CJK Extension B, outside the Basic Multilingual Plane.
    text = "𠀧𡨸𠊛 \U0002a6d6 重修亭碑記"
    relic = make_relic(district["wards"][0], inscriptions=1)
    ins = relic.inscriptions.first()
    ins.original_text = text
    ins.save()
    ins.refresh_from_db()
    assert ins.original_text == text
