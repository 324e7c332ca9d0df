"""A scan lands in the visitor's language, translated or not: the translation where there is
one, else the Vietnamese page under the visitor's prefix with a notice in their language."""

import pytest
from django.utils import timezone, translation

from media_pipeline.models import DailyScanCount
from media_pipeline.qr.short_codes import code_for_page
from tests.factories import make_relic, translate

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/120.0 Mobile"
VI_PATH = "/di-tich/dong-khe/dinh-dong-khe/"


@pytest.fixture(autouse=True)
def vietnamese_urls():
    with translation.override("vi"):
        yield


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0])


@pytest.fixture
def code(relic):
    return code_for_page(relic).code


def scan(client, code, language):
    return client.get(f"/Q/{code}", HTTP_USER_AGENT=PHONE, HTTP_ACCEPT_LANGUAGE=language)


# Accept-Language → the prefix the scan lands on, and the bucket it is counted in.
HEADERS = [
    ("vi-VN,vi;q=0.9", "", "vi"),
    ("en-US,en;q=0.9", "/en", "en"),
    ("en-GB", "/en", "en"),
    ("zh-CN,zh;q=0.9", "/zh-hans", "zh"),
    ("zh-TW,zh;q=0.9,en;q=0.5", "/zh-hans", "zh"),
    ("ko-KR,ko;q=0.9", "/ko", "ko"),
    ("ja", "/ja", "ja"),
    ("fr-FR,fr;q=0.9,en;q=0.8", "/fr", "fr"),
    ("*", "", "other"),
    ("de-DE,pt;q=0.5", "", "other"),
    ("\x00;;q=abc,,", "", "other"),
    ("x" * 3000, "", "other"),
    ("", "", "other"),
]
NOTICES = {
    "/en": "not been translated",
    "/zh-hans": "尚未",
    "/ko": "아직",
    "/ja": "まだ",
    "/fr": "pas encore traduite",
}


@pytest.mark.parametrize(("header", "prefix", "bucket"), HEADERS)
def test_an_untranslated_relic_opens_under_the_visitors_language(
    client, relic, code, header, prefix, bucket
):
    response = scan(client, code, header)
    assert response.status_code == 302
    assert response.url == prefix + VI_PATH
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE=header)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Đình Đông Khê</h1>" in html
    language = prefix.strip("/") or "vi"
    assert f'<html lang="{language}">' in html
    if prefix:
        assert NOTICES[prefix] in html
    # Exactly one scan, in the visitor's bucket; following the redirect counts nothing more.
    assert list(DailyScanCount.objects.values_list("language", "count")) == [(bucket, 1)]
    assert DailyScanCount.objects.get().date == timezone.localdate()


@pytest.mark.parametrize(("header", "prefix", "_bucket"), HEADERS)
def test_a_translated_relic_opens_its_translation(client, relic, code, header, prefix, _bucket):
    english = translate(relic, "en", title="Dong Khe Communal House", slug="dong-khe-house")
    response = scan(client, code, header)
    if prefix == "/en":
        assert response.url == english.url and english.url.startswith("/en/")
        assert "<h1>Dong Khe Communal House</h1>" in client.get(response.url).content.decode()
    else:
        assert response.url == prefix + VI_PATH


def test_a_draft_translation_is_not_where_a_scan_lands(client, relic, code):
    english = translate(relic, "en", title="Dong Khe Communal House")
    english.unpublish()
    response = scan(client, code, "en-US")
    assert response.url == "/en" + VI_PATH
    html = client.get(response.url).content.decode()
    assert "<h1>Đình Đông Khê</h1>" in html and "not been translated" in html


def test_a_rating_code_keeps_its_anchor_in_the_visitors_language(client, relic):
    from media_pipeline.qr.models import Purpose
    from media_pipeline.qr.short_codes import assign_code

    rating = assign_code(relic, purpose=Purpose.RATING).code
    assert scan(client, rating, "ja-JP").url == "/ja" + VI_PATH + "#danh-gia"


def test_the_redirect_varies_by_language_and_is_never_cached(client, relic, code):
    response = scan(client, code, "ko")
    assert "Accept-Language" in response["Vary"] and "no-store" in response["Cache-Control"]
