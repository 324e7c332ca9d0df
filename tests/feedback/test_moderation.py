"""Staff moderate in the Vietnamese admin: ward editors their ward's relics, reviewers all;
comments wait for approval, get a reply, and go with their contact on request; reports are a
to-do list per ward; contacts past their retention date are wiped."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from content.permissions import REVIEWERS_GROUP, ensure_review_workflow, ward_group_name
from feedback.models import Rating, Report
from tests.factories import make_relic
from tests.feedback.helpers import post_json, rating_url


def make_rating(relic, comment="Đình đẹp", **fields):
    fields.setdefault("client_key", f"key-{Rating.objects.count()}-{relic.pk}-abcdef")
    return Rating.objects.create(relic=relic, language="vi", score=4, comment=comment, **fields)


def make_report(relic, **fields):
    fields.setdefault("client_key", f"rep-{Report.objects.count()}-{relic.pk}-abcdef")
    return Report.objects.create(
        relic=relic,
        ward=relic.get_parent().specific,
        language="vi",
        kind="damaged_plaque",
        **fields,
    )


@pytest.fixture
def staff(district):
    User = get_user_model()
    ensure_review_workflow(district["home"])
    east, west = district["wards"]
    editor = User.objects.create_user("bien_tap_dk", password="x")
    editor.groups.add(Group.objects.get(name=ward_group_name(east)))
    reviewer = User.objects.create_user("nguoi_duyet", password="x")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    return {
        "editor": editor,
        "reviewer": reviewer,
        "own": make_relic(east, "Đình Đông Khê"),
        "other": make_relic(west, "Chùa Lạch Tray"),
    }


def test_ward_editors_moderate_their_ward_and_reviewers_everything(client, staff):
    mine, theirs = (
        make_rating(staff["own"], "Góp ý phường mình"),
        make_rating(staff["other"], "Góp ý phường khác"),
    )
    client.force_login(staff["editor"])
    html = client.get("/admin/feedback/comments/").content.decode()
    assert "Góp ý phường mình" in html and "Góp ý phường khác" not in html
    assert client.get(f"/admin/feedback/comments/{theirs.pk}/").status_code in (302, 403)
    assert client.post(
        f"/admin/feedback/comments/{theirs.pk}/", {"action": "approve"}
    ).status_code in (302, 403)
    theirs.refresh_from_db()
    assert theirs.status == Rating.Status.PENDING
    client.force_login(staff["reviewer"])
    html = client.get("/admin/feedback/comments/").content.decode()
    assert "Góp ý phường mình" in html and "Góp ý phường khác" in html
    assert mine.pk != theirs.pk


def test_an_approved_comment_shows_with_the_staff_reply(client, staff):
    rating = make_rating(staff["own"], "Cổng đẹp nhưng thiếu biển chỉ dẫn.")
    client.force_login(staff["editor"])
    url = f"/admin/feedback/comments/{rating.pk}/"
    client.post(url, {"action": "approve"})
    client.post(url, {"action": "reply", "reply": "Chúng tôi sẽ lắp biển chỉ dẫn trong tháng này."})
    rating.refresh_from_db()
    assert rating.status == Rating.Status.APPROVED and rating.moderated_by == staff["editor"]
    client.logout()
    html = client.get(staff["own"].url).content.decode()
    assert "Cổng đẹp nhưng thiếu biển chỉ dẫn." in html
    assert "Chúng tôi sẽ lắp biển chỉ dẫn trong tháng này." in html
    assert "Trả lời của cán bộ văn hóa" in html


def test_a_rejected_comment_stays_off_the_page_but_its_stars_count(client, staff):
    rating = make_rating(staff["own"], "Quảng cáo bán hàng")
    client.force_login(staff["reviewer"])
    client.post(f"/admin/feedback/comments/{rating.pk}/", {"action": "reject"})
    client.logout()
    assert "Quảng cáo bán hàng" not in client.get(staff["own"].url).content.decode()
    assert Rating.objects.get().status == Rating.Status.REJECTED


def test_staff_delete_a_comment_with_its_contact_on_request(client, staff):
    rating = make_rating(staff["own"], contact="0912345678", contact_purpose="reply")
    client.force_login(staff["editor"])
    page = client.get(f"/admin/feedback/comments/{rating.pk}/").content.decode()
    assert "0912345678" in page and "Xoá góp ý cùng liên hệ" in page
    client.post(f"/admin/feedback/comments/{rating.pk}/", {"action": "delete"})
    assert not Rating.objects.exists()


def test_reports_are_a_to_do_list_with_status_and_ward(client, staff):
    report = make_report(staff["own"], description="Biển bị nứt")
    make_report(staff["other"], description="Rác ở sân")
    client.force_login(staff["editor"])
    html = client.get("/admin/feedback/reports/").content.decode()
    assert "Biển bị nứt" in html and "Rác ở sân" not in html and "Đông Khê" in html
    url = f"/admin/feedback/reports/{report.pk}/"
    ward = staff["own"].get_parent().pk
    client.post(url, {"status": "in_progress", "ward": ward, "staff_note": "Đã báo thợ"})
    report.refresh_from_db()
    assert report.status == "in_progress" and report.updated_by == staff["editor"]
    client.post(url, {"status": "fixed", "ward": ward, "staff_note": "Đã thay biển"})
    assert "Biển bị nứt" not in client.get("/admin/feedback/reports/").content.decode()
    assert "Biển bị nứt" in client.get("/admin/feedback/reports/?status=fixed").content.decode()


def test_comments_are_escaped_in_the_admin_and_on_the_page(client, staff):
    script = "<script>alert('x')</script>"
    rating = make_rating(staff["own"], script, status="approved", reply="<b>trả lời</b>")
    client.force_login(staff["reviewer"])
    for url in ["/admin/feedback/comments/?status=all", f"/admin/feedback/comments/{rating.pk}/"]:
        html = client.get(url).content.decode()
        assert script not in html and "&lt;script&gt;" in html
    client.logout()
    html = client.get(staff["own"].url).content.decode()
    assert script not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>trả lời</b>" not in html and "&lt;b&gt;trả lời&lt;/b&gt;" in html


def test_contacts_past_retention_are_wiped_by_the_command(staff):
    now = timezone.now()
    old = make_rating(
        staff["own"],
        contact="khach@example.vn",
        contact_purpose="reply",
        contact_consent_at=now - datetime.timedelta(days=400),
        contact_keep_until=now - datetime.timedelta(days=35),
    )
    fresh = make_report(
        staff["own"],
        contact="0912345678",
        contact_purpose="follow_up",
        contact_consent_at=now,
        contact_keep_until=now + datetime.timedelta(days=365),
    )
    call_command("purge_feedback_contacts", "--dry-run")
    old.refresh_from_db()
    assert old.contact == "khach@example.vn"
    call_command("purge_feedback_contacts")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.contact == "" and old.contact_keep_until is None and old.score == 4
    assert fresh.contact == "0912345678"


def test_the_first_post_of_the_day_runs_the_purge_in_the_worker(client, staff):
    expired = make_rating(
        staff["own"],
        contact="khach@example.vn",
        contact_purpose="reply",
        contact_keep_until=timezone.now() - datetime.timedelta(days=1),
    )
    assert post_json(client, rating_url(staff["own"]), {"score": "5"}).status_code == 201
    expired.refresh_from_db()
    assert expired.contact == ""  # the test settings run tasks at once
