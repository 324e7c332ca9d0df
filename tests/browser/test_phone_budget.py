"""Phone budget: each demo relic page's first load, measured in headless Chromium.

Bytes are counted as a production server would send them: text responses (HTML, CSS, JS,
JSON, SVG) gzip-compressed here at level 6, because the test server sends them uncompressed;
images and audio as they are. Everything the page and its service worker fetch counts, even
what the browser's own cache could have served, so the figure is an upper bound.
"""

import gzip

import pytest

from content.models import RelicPage
from tests.browser.chromium import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BUDGET = 150_000
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
NAMED_ROLES = {"button", "link", "textbox", "searchbox", "combobox", "checkbox", "slider"}


def transferred(response) -> tuple[int, str]:
    try:
        body = response.body()
    except Exception:  # noqa: BLE001 — redirects and aborted requests have no body to count
        return 0, ""
    kind = (response.headers.get("content-type") or "").split(";")[0]
    if kind.startswith(TEXT_TYPES):
        return len(gzip.compress(body, 6)), kind
    return len(body), kind


def first_load(browser, url: str) -> tuple[int, dict, list, float]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    responses = []
    context.on("response", lambda r: responses.append(r))
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(300)  # the worker's own precache and keep requests
    by_kind, total, urls = {}, 0, []
    for response in responses:
        if response.from_service_worker:
            continue  # already counted when the worker fetched it from the network
        size, kind = transferred(response)
        by_kind[kind or "other"] = by_kind.get(kind or "other", 0) + size
        total += size
        urls.append(response.url)
    shifts = page.evaluate(
        """() => new Promise((resolve) => {
            let cls = 0;
            new PerformanceObserver((list) => {
                for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value;
            }).observe({type: "layout-shift", buffered: true});
            setTimeout(() => resolve(cls), 100);
        })"""
    )
    context.close()
    return total, by_kind, urls, shifts


def test_phone_budget_layout_shift_and_accessible_names(browser, demo):
    report, over = [], []
    relics = RelicPage.objects.live().filter(locale__language_code="vi").order_by("title")
    for relic in relics:
        total, by_kind, urls, shifts = first_load(browser, f"{demo}{relic.url}")
        assert not [u for u in urls if "/narrations/" in u], "audio loaded before play"
        assert shifts < 0.1, f"{relic.title}: layout shift {shifts:.3f}"
        kinds = ", ".join(f"{k} {v / 1000:.1f}" for k, v in sorted(by_kind.items()))
        report.append(f"{total / 1000:7.1f} KB  {relic.title}  ({kinds})")
        if total > BUDGET:
            over.append(relic.title)
    print("\nFirst load of each demo relic page (compressed, KB):")  # noqa: T201
    print("\n".join(report))  # noqa: T201
    assert len(report) == 18
    assert not over, f"over {BUDGET / 1000:.0f} KB: {over}"
    # One demo district serves both checks: loading it is the slow part.
    every_control_has_an_accessible_name(browser, demo)


def every_control_has_an_accessible_name(browser, demo):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    nameless = []
    for path in [
        "/",
        "/di-tich/dong-khe/dinh-dong-khe/",
        "/en/di-tich/lach-tray/chua-phuc-lam/",
        "/near-me/",
        "/di-tich/",
        "/search/?q=dinh",
    ]:
        page.goto(f"{demo}{path}", wait_until="load")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        cdp = context.new_cdp_session(page)
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        for node in nodes:
            role = node.get("role", {}).get("value")
            if node.get("ignored") or role not in NAMED_ROLES:
                continue
            if not (node.get("name", {}).get("value") or "").strip():
                nameless.append((path, role, node.get("backendDOMNodeId")))
        cdp.detach()
    context.close()
    assert nameless == []
