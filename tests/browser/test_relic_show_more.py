"""A visitor on a relic with many artifacts taps "Xem thêm": the next ones appear in place."""

import pytest

from tests.browser.chromium import wait_until
from tests.factories import add_records, make_district, make_image, make_relic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def relic_url(live_server):
    ward = make_district()["wards"][0]
    relic = make_relic(ward, title="Đình Nhiều Hiện Vật")
    add_records(relic, artifacts=30, inscriptions=8, image=make_image("ảnh chung"))
    return f"{live_server.url}{relic.url}"


def test_show_more_adds_the_next_artifacts_without_leaving_the_page(phone, relic_url):
    assert phone.goto(relic_url, wait_until="load").status == 200
    artifacts = phone.locator(".artifact-list > li.artifact")
    assert artifacts.count() == 12
    button = phone.locator(".artifacts button.load-more")
    assert button.is_visible() and "(18)" in button.inner_text()

    button.click()
    wait_until(phone, "document.querySelectorAll('.artifact-list > li.artifact').length === 24")
    assert phone.url == relic_url  # the same page, grown
    assert phone.locator("#hien-vat-hv-023").is_visible()
    # The next button carries on where this one stopped, then goes away at the end.
    button = phone.locator(".artifacts button.load-more")
    assert "(6)" in button.inner_text()
    button.click()
    wait_until(phone, "document.querySelectorAll('.artifact-list > li.artifact').length === 30")
    assert phone.locator(".artifacts button.load-more").count() == 0
    numbers = artifacts.evaluate_all("items => items.map(li => li.id)")
    assert numbers == [f"hien-vat-hv-{n:03d}" for n in range(30)]

    # The inscriptions have their own button.
    phone.locator(".inscriptions button.load-more").click()
    wait_until(phone, "document.querySelectorAll('.inscription-list > .inscription').length === 8")
    assert phone.console_errors == []


def test_an_old_link_to_a_later_artifact_finds_it(phone, relic_url):
    phone.goto(f"{relic_url}#hien-vat-hv-029", wait_until="load")
    phone.wait_for_url("**xem=hien-vat-hv-029**", wait_until="load")
    assert phone.locator("#hien-vat-hv-029").is_visible()
    assert phone.console_errors == []


def test_without_javascript_the_page_links_lead_on(browser, relic_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(relic_url, wait_until="load")
        assert not page.locator(".artifacts button.load-more").is_visible()
        page.locator(".artifacts a[rel=next]").click()
        page.wait_for_load_state("load")
        assert "hien-vat=2" in page.url
        assert page.locator("#hien-vat-hv-012").is_visible()
        assert page.locator("#hien-vat-hv-000").count() == 0
    finally:
        context.close()
