"""The resolver: counts scans without personal data, in two queries, and never fails on junk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from media_pipeline.models import DailyScanCount
from media_pipeline.qr.short_codes import code_for_page
from tests.factories import make_relic

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ZALO = IPHONE + " Zalo iOS/531"


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0])


@pytest.fixture
def code(relic):
    return code_for_page(relic).code


def scan(client, code, ua=IPHONE, language="vi-VN,vi;q=0.9"):
    return client.get(
        f"/Q/{code}", HTTP_USER_AGENT=ua, HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR="203.0.113.7"
    )


def counts():
    return sorted(DailyScanCount.objects.values_list("language", "device_class", "count", "date"))


def test_scans_are_counted_by_day_language_and_device(client, code):
    today = timezone.localdate()
    for _ in range(3):
        scan(client, code)
    scan(client, code, ua=ZALO, language="ko-KR,ko;q=0.9,en;q=0.5")
    scan(client, code, ua=ANDROID_TABLET, language="de-DE,en;q=0.7")
    scan(client, code, ua=IPHONE, language="de-DE")
    assert counts() == [
        ("en", "tablet", 1, today),
        ("ko", "phone", 1, today),
        ("other", "phone", 1, today),
        ("vi", "phone", 3, today),
    ]


@pytest.mark.parametrize("ua", [GOOGLEBOT, "curl/8.5.0", "facebookexternalhit/1.1", ""])
def test_bots_and_scripts_are_redirected_but_not_counted(client, code, relic, ua):
    response = scan(client, code, ua=ua)
    assert response.status_code == 302 and response.url == relic.url
    assert counts() == []


def test_heads_and_prefetches_are_answered_but_not_counted(client, code, relic):
    assert client.head(f"/Q/{code}", HTTP_USER_AGENT=IPHONE).url == relic.url
    prefetch = client.get(f"/Q/{code}", HTTP_USER_AGENT=IPHONE, HTTP_SEC_PURPOSE="prefetch")
    assert prefetch.url == relic.url
    assert counts() == []


def test_nothing_personal_is_kept_and_no_cookie_is_set(client, code):
    response = scan(client, code)
    assert response.status_code == 302
    assert not response.cookies and "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "no-store" in response["Cache-Control"]
    fields = {f.name for f in DailyScanCount._meta.get_fields()}
    assert fields == {"id", "code", "date", "language", "device_class", "count"}
    stored = " ".join(str(v) for row in DailyScanCount.objects.values() for v in row.values())
    assert "203.0.113.7" not in stored and "iPhone" not in stored and "Mozilla" not in stored


def test_a_scan_takes_at_most_two_queries(client, code):
    Site.get_site_root_paths()  # Wagtail caches these for every page URL it builds
    for language in ("vi", "en"):
        with CaptureQueriesContext(connection) as first:
            assert scan(client, code, language=language).status_code == 302
        with CaptureQueriesContext(connection) as again:
            assert scan(client, code, language=language).status_code == 302
        assert len(first.captured_queries) <= 2, first.captured_queries
        assert len(again.captured_queries) <= 2, again.captured_queries


@pytest.mark.parametrize(
    "path",
    [
        "/Q/2345",  # well-formed, unknown
        "/Q/ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
        "/Q/%E0%A4%A",
        "/Q/%00%01",
        "/Q/AB%2FCD",
        "/Q/<script>",
        "/Q/7F3K2/extra/path",
        "/Q/",
        "/Q/ǅ1I0O",
        "/q/%FF%FE%FD",
    ],
)
def test_junk_after_q_gets_a_friendly_404_with_a_search_box(client, district, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'role="search"' in html and 'action="/en/search/"' in html and 'lang="en"' in html
    assert response["Content-Language"] == "en" and "Page not found" in html
    assert not response.cookies


def test_404_falls_back_to_vietnamese(client, district):
    html = client.get("/Q/2345", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'lang="vi"' in html and "Không tìm thấy trang" in html and 'action="/search/"' in html


def test_each_scan_is_counted_once_whichever_layer_answers(client, code, relic, settings):
    scan(client, code)  # redirect, answered by the middleware
    relic.unpublish()
    assert scan(client, code).status_code == 200  # closed page, answered by the view
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("QrResolverMiddleware")]
    relic.save_revision().publish()
    response = scan(client, code)  # redirect, answered by the view alone
    assert response.status_code == 302 and response.url == relic.url
    assert "no-store" in response["Cache-Control"] and response["Vary"] == "Accept-Language"
    assert counts() == [("vi", "phone", 3, timezone.localdate())]
