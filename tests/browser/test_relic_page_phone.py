"""A tourist opens a demo relic page on a phone: what they see, and where it loads from."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("load_demo_district", verbosity=0)
    return live_server.url


def test_demo_relic_on_a_phone(phone, demo):
    response = phone.goto(f"{demo}/di-tich/dong-khe/dinh-dong-khe/", wait_until="load")
    assert response.status == 200

    assert phone.locator("h1").inner_text() == "Đình Đông Khê"
    assert phone.get_by_text("Nội dung mẫu").first.is_visible()
    hero = phone.locator(".relic-hero img")
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")
    # The phone gets a phone-sized WebP rendition, not the original upload.
    assert ".webp" in hero.evaluate("img => img.currentSrc")

    inscriptions = phone.locator(".inscription")
    assert inscriptions.count() >= 1
    assert "重修亭碑記" in inscriptions.first.locator(".text-original").inner_text()
    assert inscriptions.first.locator(".text-transliteration").is_visible()
    assert phone.locator(".artifact").count() >= 2
    assert phone.locator(".nearby li").count() >= 1

    # Nothing wider than the screen, nothing from another host, no script errors.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    hosts = {urlsplit(u).netloc for u in phone.requested_urls if u.startswith("http")}
    assert hosts == {urlsplit(demo).netloc}
    assert phone.console_errors == []


def test_visitor_searches_without_diacritics(phone, demo):
    phone.goto(f"{demo}/", wait_until="load")
    phone.get_by_role("searchbox").fill("dinh dong khe")
    phone.get_by_role("button", name="Tìm").first.click()
    phone.wait_for_load_state("load")
    first = phone.locator(".results a").first
    assert first.inner_text() == "Đình Đông Khê"
    first.click()
    phone.wait_for_load_state("load")
    assert phone.locator("h1").inner_text() == "Đình Đông Khê"


def test_language_switcher_opens_the_english_page(phone, demo):
    phone.goto(f"{demo}/di-tich/dong-khe/dinh-dong-khe/", wait_until="load")
    phone.get_by_role("link", name="English").click()
    phone.wait_for_load_state("load")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("h1").inner_text() == "Đông Khê Communal House"
