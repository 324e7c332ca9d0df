import unicodedata

import pytest

from content.models import Artifact, RelicPage
from content.text import fold, nfc, vietnamese_slugify
from tests.factories import make_relic

NFD = unicodedata.normalize("NFD", "Đình Đông Khê")


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
