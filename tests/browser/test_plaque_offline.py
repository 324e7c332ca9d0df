"""A visitor scans a plaque in a courtyard with no signal: the saved district (or the relic seen
before) opens from the phone, in the phone's language; the relic index, near me and a map of
the saved relics work offline too. Online, every scan still reaches the server and is counted."""

import pytest
from django.db.models import Sum

from media_pipeline.models import DailyScanCount
from tests.browser.chromium import PHONE, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DONG_KHE = "/di-tich/dong-khe/dinh-dong-khe/"
PHUC_LAM = "/di-tich/lach-tray/chua-phuc-lam/"
# A person's phone: headless Chromium's own user agent is counted as a bot, not a scan.
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
HERE = {"latitude": 20.85612, "longitude": 106.68237}


def code_of(path: str) -> str:
    from wagtail.models import Page

    from media_pipeline.qr.short_codes import code_for_page

    slug = path.rstrip("/").rsplit("/", 1)[1]
    page = Page.objects.get(slug=slug, locale__language_code="vi")
    return code_for_page(page).code


def scans() -> int:
    return DailyScanCount.objects.aggregate(n=Sum("count"))["n"] or 0


def visitor(browser, locale: str):
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale=locale,
        user_agent=ANDROID,
        geolocation=HERE,
        permissions=["geolocation"],
    )
    return context, context.new_page()


def controlled(page):
    wait_until(page, "!!navigator.serviceWorker.controller")


def code_is_kept(page, code: str):
    wait_until(
        page,
        f"caches.open('plaque-codes-v1').then(c => c.match('/__plaque-codes/{code}'))"
        ".then(r => !!r)",
    )


def h1(page) -> str:
    return page.locator("h1").first.inner_text()


def test_saved_district_opens_from_any_plaque_offline(browser, demo):
    context, page = visitor(browser, "vi-VN")
    dong_khe, phuc_lam = code_of(DONG_KHE), code_of(PHUC_LAM)
    page.goto(f"{demo}/", wait_until="load")
    controlled(page)

    # Online, a scan goes to the server, which counts it and sends the visitor on.
    page.goto(f"{demo}/Q/{dong_khe}", wait_until="load")
    assert h1(page) == "Đình Đông Khê" and page.url == f"{demo}{DONG_KHE}"
    assert scans() == 1

    page.get_by_role("button", name="Lưu cả quận để xem ngoại tuyến").click()
    page.locator(".offline-size").get_by_text("18 di tích").wait_for()
    page.get_by_role("button", name="Tải về").click()
    saved = "document.querySelector('.offline-status').textContent.includes('Đã lưu')"
    wait_until(page, saved, attempts=900)
    assert "Đã lưu 18 di tích" in page.locator(".offline-status").inner_text()

    context.set_offline(True)
    # Any case, with or without the slash: the kept page, at its own address.
    for plaque in (f"/Q/{phuc_lam}", f"/q/{phuc_lam.lower()}", f"/q/{phuc_lam.lower()}/"):
        page.goto(f"{demo}{plaque}", wait_until="load")
        assert h1(page) == "Chùa Phúc Lâm", plaque
        assert page.url == f"{demo}{PHUC_LAM}"
    page.goto(f"{demo}/Q/{dong_khe}", wait_until="load")
    assert h1(page) == "Đình Đông Khê"
    assert scans() == 1  # nothing reached the server, nothing was counted twice
    # A code the phone knows nothing about: the offline notice, not the browser's error.
    page.goto(f"{demo}/Q/ZZZZZ", wait_until="load")
    assert h1(page) == "Không có kết nối mạng"

    # The relic index, kept with the district.
    page.goto(f"{demo}/di-tich/", wait_until="load")
    assert h1(page) == "Di tích"
    assert page.locator(f'main a[href="{PHUC_LAM}"]').count() >= 1

    # Near me, from the old address too: distances from the kept list.
    page.goto(f"{demo}/gan-toi/", wait_until="load")
    assert page.url == f"{demo}/near-me/"
    page.get_by_role("button", name="Tìm quanh tôi").click()
    page.locator(".nearby-results li").first.wait_for()
    assert page.locator(".nearby-results li").count() >= 10
    assert "Đình Đông Khê" in page.locator(".nearby-results").inner_text()

    # The map: the saved relics as dots over no base map, and a list of links.
    page.goto(f"{demo}/map/", wait_until="load")
    assert h1(page) == "Bản đồ khi không có mạng"
    assert page.locator("svg.offline-map-svg .marker-relic").count() == 18
    assert page.locator("svg.offline-map-svg").is_visible()
    page.locator(".offline-map-list").get_by_role("link", name="Chùa Phúc Lâm").click()
    page.wait_for_url(f"{demo}{PHUC_LAM}")
    assert h1(page) == "Chùa Phúc Lâm"
    context.close()


def test_a_relic_seen_in_english_opens_from_its_plaque_offline_in_english(browser, demo):
    context, page = visitor(browser, "en-US")
    code = code_of(DONG_KHE)
    # Scanned online once: counted, and the English page is kept on the phone with its code.
    page.goto(f"{demo}/q/{code.lower()}", wait_until="load")
    assert page.url == f"{demo}/en{DONG_KHE}"
    assert h1(page) == "Đông Khê Communal House"
    assert scans() == 1
    controlled(page)
    code_is_kept(page, code)
    wait_until(page, "caches.open('pages-v1').then(c => c.match(location.href)).then(r => !!r)")

    context.set_offline(True)
    page.goto(f"{demo}/Q/{code}/", wait_until="load")
    assert h1(page) == "Đông Khê Communal House"
    assert page.url == f"{demo}/en{DONG_KHE}"
    # A relic never seen: the offline notice in English.
    page.goto(f"{demo}/Q/{code_of(PHUC_LAM)}", wait_until="load")
    assert h1(page) == "No connection"

    context.set_offline(False)
    page.goto(f"{demo}/Q/{code}", wait_until="load")
    assert h1(page) == "Đông Khê Communal House"
    assert scans() == 2  # back online, the scan reaches the server again
    context.close()
