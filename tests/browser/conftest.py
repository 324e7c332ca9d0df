"""Browser tests: Debian's chromium driven by Playwright, against the live test server."""

import os

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, PHONE


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls in tests are safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page that records every request it makes."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda req: page.requested_urls.append(req.url))
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


@pytest.fixture
def demo(live_server):
    """The demo district behind the live test server; its base URL."""
    from django.core.management import call_command

    call_command("load_demo_district", verbosity=0)
    return live_server.url
