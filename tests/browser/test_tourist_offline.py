"""A tourist in a courtyard with one bar of signal: offline reload, saving the district,
narration controls and "near me" without the location leaving the phone."""

import pytest

from tests.browser.chromium import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RELIC = "/di-tich/dong-khe/dinh-dong-khe/"
OTHER = "/di-tich/lach-tray/chua-phuc-lam/"


def wait_until_kept(page, timeout=15000):
    """The service worker is active and this page's HTML is in the offline cache."""
    page.wait_for_function(
        """async () => {
            if (!navigator.serviceWorker.controller) return false;
            const cache = await caches.open("pages-v1");
            return !!(await cache.match(location.href));
        }""",
        timeout=timeout,
        polling=200,
    )


def image_shows(page, selector: str) -> bool:
    try:
        page.wait_for_function(
            f"() => {{ const i = document.querySelector({selector!r}); "
            "return i && i.complete && i.naturalWidth > 0; }",
            timeout=10000,
        )
    except Exception:  # noqa: BLE001 — say which image failed, then fail
        state = page.locator(selector).evaluate("i => [i.currentSrc, i.complete, i.naturalWidth]")
        keys = page.evaluate(
            "caches.open('media-v1').then(c => c.keys()).then(k => k.map(r => r.url))"
        )
        pytest.fail(f"{selector} did not load offline: {state}; kept: {keys[:50]}")
    return True


def test_tourist_listens_then_reopens_the_page_offline(phone, demo):
    phone.goto(f"{demo}{RELIC}", wait_until="load")
    # The narration: nothing downloaded before play, speed buttons, transcript.
    audio = phone.locator("audio.narration")
    assert audio.get_attribute("preload") == "none"
    phone.get_by_role("button", name="1,5×").click()
    assert audio.evaluate("a => a.playbackRate") == 1.5
    assert phone.get_by_role("button", name="1,5×").get_attribute("aria-pressed") == "true"
    phone.locator(".transcript summary").click()
    assert "Kính chào quý khách" in phone.locator(".transcript").inner_text()

    wait_until_kept(phone)
    phone.wait_for_timeout(500)  # let the worker finish keeping the page's images
    phone.context.set_offline(True)
    phone.reload(wait_until="load")
    assert phone.locator("h1").inner_text() == "Đình Đông Khê"
    assert image_shows(phone, ".relic-hero img")
    # A page never visited gets the offline notice instead of the browser's error page.
    phone.goto(f"{demo}{OTHER}", wait_until="load")
    assert phone.locator("h1").inner_text() == "Không có kết nối mạng"


def test_save_the_district_shows_the_size_then_keeps_every_relic(phone, demo):
    phone.goto(f"{demo}/", wait_until="load")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.get_by_role("button", name="Lưu cả quận để xem ngoại tuyến").click()
    size = phone.locator(".offline-size")
    size.wait_for(state="visible")
    assert "18 di tích" in size.inner_text() and "MB" in size.inner_text()
    phone.get_by_role("button", name="Tải về").click()
    phone.get_by_text("Đã lưu 18 di tích").wait_for(timeout=60000)
    phone.context.set_offline(True)
    phone.goto(f"{demo}{OTHER}", wait_until="load")
    assert phone.locator("h1").inner_text() == "Chùa Phúc Lâm"
    assert image_shows(phone, ".relic-hero img")


def test_near_me_keeps_the_location_and_listen_uses_the_phone_voice(browser, demo):
    here = {"latitude": 20.85612, "longitude": 106.68237}
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        locale="vi-VN",
        geolocation=here,
        permissions=["geolocation"],
    )
    page = context.new_page()
    sent = []
    context.on("request", lambda r: sent.append(r.url + " " + (r.post_data or "")))
    page.goto(f"{demo}/near-me/", wait_until="load")
    assert page.locator(".nearby-results li").count() == 0  # nothing before the visitor asks
    page.get_by_role("button", name="Tìm quanh tôi").click()
    page.locator(".nearby-results li").first.wait_for()
    rows = page.locator(".nearby-results li")
    assert rows.count() >= 10
    first = rows.first.inner_text()
    assert " m · " in first and "phút đi bộ" in first
    directions = rows.first.get_by_role("link", name="Chỉ đường đến").first
    assert "destination=" in directions.get_attribute("href")
    assert "20.85612" not in directions.get_attribute("href")
    assert not [u for u in sent if "20.856" in u or "106.682" in u]
    context.close()
    listen_with_the_phone_voice(browser, demo)


def listen_with_the_phone_voice(browser, demo):
    """Without a recording in English, "Listen" reads the Vietnamese text in a Vietnamese voice."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="en-US")
    # Record what would be spoken; headless Chromium has no voices of its own.
    context.add_init_script(
        """window.__spoken = [];
        speechSynthesis.speak = (u) => window.__spoken.push({text: u.text, lang: u.lang});"""
    )
    page = context.new_page()
    page.goto(f"{demo}/en{OTHER}", wait_until="load")
    assert page.locator(".fallback-notice").is_visible()
    page.locator("button.speak").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and spoken[0]["lang"] == "vi-VN"
    assert "Chùa Phúc Lâm" in spoken[0]["text"]
    context.close()
