"""Sharing a page: the phone's share sheet (Zalo is there) where the phone has one; on a desktop,
copy the link or scan a QR code drawn by this site. Nothing is loaded from another host."""

import subprocess
from urllib.parse import urlsplit

import pytest

from tests.browser.axe import AXE_JS, axe_violations, describe
from tests.browser.chromium import PHONE
from tests.installed import tool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RELIC = "/di-tich/dong-khe/dinh-dong-khe/"
PLACE = "/du-lich/banh-da-do-lang-dong-khe/"


def test_on_a_desktop_the_button_opens_copy_link_and_a_qr_of_the_page(browser, demo, tmp_path):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="vi-VN",
        permissions=["clipboard-read", "clipboard-write"],
    )
    # A desktop browser without a share sheet.
    context.add_init_script(
        "delete Navigator.prototype.share; delete Navigator.prototype.canShare;"
    )
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{demo}{RELIC}", wait_until="load")
    button = page.get_by_role("button", name="Chia sẻ")
    assert button.get_attribute("aria-expanded") == "false"
    assert not [u for u in requested if "/share/qr.svg" in u]  # nothing fetched before asked

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    panel = page.locator(".share-panel")
    assert panel.is_visible()
    link = page.get_by_label("Liên kết đến trang này")
    assert link.input_value() == f"{demo}{RELIC}"
    qr = page.get_by_role("img", name="Mã QR của trang này")
    page.wait_for_function(
        "() => { const i = document.querySelector('.share-qr img'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    png = tmp_path / "qr.png"
    qr.screenshot(path=str(png))
    read = subprocess.run(
        [tool("zbarimg"), "--raw", "-q", str(png)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert read == [f"{demo}{RELIC}"]  # the camera opens this very page

    page.get_by_role("button", name="Sao chép liên kết").click()
    page.get_by_role("status").filter(has_text="Đã sao chép liên kết.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{demo}{RELIC}"

    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # past the CSP, which refuses a <script>
    open_panel = axe_violations(page, context=".share")
    assert not open_panel, describe(open_panel)

    host = urlsplit(demo).netloc
    assert all(urlsplit(u).netloc == host for u in requested if u.startswith("http"))
    button.click()  # closes again
    assert not panel.is_visible() and button.get_attribute("aria-expanded") == "false"
    context.close()


def test_on_a_phone_the_button_opens_the_share_sheet(browser, demo):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    # The share sheet as a phone offers it (headless Chromium has none): record what it gets.
    context.add_init_script(
        """window.__shared = [];
        Navigator.prototype.share = function (data) {
            window.__shared.push(data);
            return Promise.resolve();
        };
        Navigator.prototype.canShare = function () { return true; };"""
    )
    page = context.new_page()
    page.goto(f"{demo}/en{RELIC}", wait_until="load")
    page.get_by_role("button", name="Share").click()
    assert page.evaluate("window.__shared") == [
        {"title": "Đông Khê Communal House", "url": f"{demo}/en{RELIC}"}
    ]
    assert not page.locator(".share-panel").is_visible()

    # A place and the 360° gallery have the same button.
    for path in (f"/en{PLACE}", "/en/360/"):
        page.goto(f"{demo}{path}", wait_until="load")
        page.get_by_role("button", name="Share").click()
        assert page.evaluate("window.__shared.at(-1).url") == f"{demo}{path}"
    context.close()


def test_without_javascript_no_dead_share_button_shows(browser, demo):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{demo}{RELIC}", wait_until="load")
    assert page.locator(".share-button").count() == 1
    assert not page.locator(".share-button").is_visible()
    assert not page.locator(".share-panel").is_visible()
    assert page.get_by_role("button", name="Chia sẻ").count() == 0  # hidden from screen readers
    context.close()
