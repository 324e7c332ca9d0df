"""Culture staff's admin in Chromium: the main screens pass axe with no serious violation, the
rich-text box has a name, and autosave stops once "Gửi duyệt" sends the form."""

import pytest
from wagtail.models import Page

from content.models import Narration
from tests.browser.axe import assert_no_serious_violations, axe_violations
from tests.factories import make_relic, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = [
    "/admin/",
    "/admin/so-hoa/",
    "/admin/qr/",
    "/admin/kiem-ke/",
    "/admin/panoramas/",
    "/admin/panoramas/add/",
    "/admin/huong-dan/",
]


@pytest.fixture
def office(live_server, district):
    staff = make_staff(district)
    relic = make_relic(district["wards"][0], "Đình Đông Khê", artifacts=1, inscriptions=1)
    relic.body = [("text", "<p>Lịch sử đình.</p>")]
    relic.save_revision().publish()
    Narration.objects.create(relic=relic, language="vi", file="n/vi.mp3")
    for user in (staff["editor"], staff["reviewer"]):
        user.set_password("mat-khau-thu")
        user.save()
    return {"url": live_server.url, "relic": relic, **staff}


@pytest.fixture
def desk(browser):
    """A desktop-sized page, as culture staff work at a desk."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/admin/login/")
    assert_no_serious_violations(page)
    page.fill("#id_username", username)
    page.fill("#id_password", "mat-khau-thu")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/admin/")


def test_main_admin_screens_have_no_serious_axe_violations(desk, office):
    sign_in(desk, office["url"], "nguoi_duyet")
    for path in [*SCREENS, f"/admin/pages/{office['relic'].pk}/edit/"]:
        desk.goto(office["url"] + path, wait_until="networkidle")
        assert_no_serious_violations(desk)


def test_an_editor_submits_for_review_and_autosave_follows_what_happened(desk, office):
    relic, url = office["relic"], office["url"]
    edit = f"{url}/admin/pages/{relic.pk}/edit/"
    requests = []
    desk.on("request", lambda r: r.method == "POST" and "/edit/" in r.url and requests.append(r))
    sign_in(desk, url, "bien_tap")
    desk.goto(edit, wait_until="networkidle")

    # The rich-text box is named after its field, for screen readers.
    editor = desk.locator('.Draftail-Editor [contenteditable="true"][role="textbox"]').first
    labelled_by = editor.get_attribute("aria-labelledby")
    assert labelled_by and desk.locator(f"#{labelled_by}").inner_text().strip()
    only_names = {"runOnly": {"type": "rule", "values": ["aria-input-field-name"]}}
    assert axe_violations(desk, options=only_names) == []

    # "Gửi duyệt" right after typing: the autosave waiting for its turn is dropped.
    desk.wait_for_timeout(2500)  # Wagtail notes the form's first state two seconds after load
    desk.fill("#id_summary", "Tóm tắt mới, gửi duyệt ngay")
    desk.wait_for_timeout(300)
    desk.locator("footer [data-w-dropdown-target='toggle']").last.click()
    desk.locator("button[name=action-submit]").click()
    desk.wait_for_url(f"{url}/admin/pages/{relic.get_parent().pk}/")
    desk.wait_for_timeout(2500)  # long past the autosave's interval
    kinds = [
        "autosave" if r.headers.get("accept") == "application/json" else "form" for r in requests
    ]
    assert kinds[-1] == "form" and kinds.count("form") == 1, kinds
    assert "Đã gửi duyệt" in desk.locator(".messages").inner_text()
    page = Page.objects.get(pk=relic.pk)
    state = page.workflow_states.get(status="in_progress")
    # What the reviewer approves is the last thing the editor saved.
    assert state.current_task_state.revision_id == page.latest_revision_id
    assert page.latest_revision.as_object().summary == "Tóm tắt mới, gửi duyệt ngay"

    # Back on the page while it waits for review: an autosave is refused, and says so on screen.
    desk.goto(edit, wait_until="networkidle")
    desk.wait_for_timeout(2500)
    desk.fill("#id_summary", "Sửa khi trang đang chờ duyệt")
    refusal = desk.get_by_text("Không lưu được trang vì trang đang bị khóa.").first
    refusal.wait_for(timeout=10_000)
    assert refusal.is_visible()
    assert "tạm dừng" in desk.locator("#w-autosave-indicator").inner_text()
