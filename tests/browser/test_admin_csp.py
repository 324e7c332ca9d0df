"""The Wagtail admin works under its Content-Security-Policy: nothing is refused in Chromium.

Every CSP violation is caught in the page (`securitypolicyviolation` events) and in the console.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_district, make_image, make_relic

CATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile
    + ':' + e.lineNumber);
});
"""


@pytest.fixture
def editor(browser, live_server, django_user_model):
    django_user_model.objects.create_superuser("bientap", "bt@example.vn", "mat-khau-dai-123")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.add_init_script(CATCH_VIOLATIONS)
    page = context.new_page()
    page.console_csp = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.console_csp.append(m.text),
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "bientap")
    page.fill("input[name=password]", "mat-khau-dai-123")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    yield page
    context.close()


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp") + page.console_csp


@pytest.mark.django_db(transaction=True)
def test_admin_dashboard_editor_and_image_chooser_work_under_csp(editor, live_server):
    district = make_district()
    ward = district["wards"][0]
    relic = make_relic(ward)
    make_image("Cổng đình")
    base = live_server.url

    assert (
        "script-src 'self'"
        in editor.request.get(f"{base}/admin/").headers["content-security-policy"]
    )
    assert _violations(editor) == []

    # The relic index: type into its Draftail editor and save a draft.
    index = district["index"]
    editor.goto(f"{base}/admin/pages/{index.pk}/edit/")
    draftail = editor.locator(".Draftail-Editor [contenteditable=true]").first
    draftail.click()
    editor.keyboard.type("Phường có nhiều di tích cổ.")
    editor.keyboard.press("Control+b")
    editor.keyboard.type(" Đậm")
    # Draftail writes its content into the form's hidden input a moment after typing stops.
    expect(editor.locator("input[name=intro]")).to_have_value(re.compile("Đậm"))
    assert _violations(editor) == []
    with editor.expect_navigation():
        editor.locator("button.action-save").first.click()
    index.refresh_from_db()
    revision = index.get_latest_revision_as_object()
    assert "Phường có nhiều di tích cổ." in revision.intro
    assert "<b>" in revision.intro or "<strong>" in revision.intro

    # A relic page (InlinePanels, a date picker): add an artifact, choose a picture.
    editor.goto(f"{base}/admin/pages/{relic.pk}/edit/")
    editor.locator("#id_artifacts-ADD").click()
    editor.wait_for_selector("#inline_child_artifacts-0")
    editor.locator("#id_hero_image-chooser [data-chooser-action-choose]").first.click()
    modal = editor.locator(".modal-content")
    modal.get_by_text("Cổng đình").first.wait_for()
    modal.get_by_text("Cổng đình").first.click()
    editor.locator("#id_hero_image-chooser:not(.blank)").wait_for()
    assert editor.locator("#id_hero_image").input_value() != ""
    assert _violations(editor) == []
