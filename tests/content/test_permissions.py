"""Ward editors edit only their ward; publishing goes through a reviewer."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from content.models import RelicPage
from content.permissions import REVIEWERS_GROUP, ensure_review_workflow, ward_group_name
from tests.factories import make_relic


@pytest.fixture
def people(district):
    User = get_user_model()
    ensure_review_workflow(district["home"])
    w1, w2 = district["wards"]
    editor = User.objects.create_user("bien_tap_dk", password="x")
    editor.groups.add(Group.objects.get(name=ward_group_name(w1)))
    reviewer = User.objects.create_user("nguoi_duyet", password="x")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    return {
        "editor": editor,
        "reviewer": reviewer,
        "own": make_relic(w1, "Đình Đông Khê"),
        "other": make_relic(w2, "Chùa Lạch Tray"),
    }


def test_each_new_ward_gets_its_editors_group(district):
    for ward in district["wards"]:
        assert Group.objects.filter(name=ward_group_name(ward)).exists()


def test_ward_editor_edits_own_ward_only(client, people):
    client.force_login(people["editor"])
    assert client.get(f"/admin/pages/{people['own'].pk}/edit/").status_code == 200
    response = client.get(f"/admin/pages/{people['other'].pk}/edit/")
    assert response.status_code in (302, 403)
    assert people["own"].permissions_for_user(people["editor"]).can_edit()
    assert not people["other"].permissions_for_user(people["editor"]).can_edit()
    assert not people["own"].permissions_for_user(people["editor"]).can_publish()


def test_editor_submits_and_reviewer_approves(client, people):
    relic = people["own"]
    client.force_login(people["editor"])
    edit_url = f"/admin/pages/{relic.pk}/edit/"
    assert client.get(edit_url).status_code == 200
    data = {
        "title": "Đình Đông Khê (đã sửa)",
        "slug": relic.slug,
        "relic_type": relic.relic_type,
        "ranking": relic.ranking,
        "latitude": str(relic.latitude),
        "longitude": str(relic.longitude),
        "summary": relic.summary,
        "body": streamfield([]),
        "inscriptions": inline_formset([]),
        "artifacts": inline_formset([]),
        "action-submit": "Submit",
    }
    response = client.post(edit_url, nested_form_data(data))
    assert response.status_code == 302
    assert response.url != "/admin/"  # not bounced for lack of permission
    relic.refresh_from_db()
    assert relic.title == "Đình Đông Khê"  # not published yet
    state = relic.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.workflow == Workflow.objects.get(name="Duyệt nội dung di sản")

    task_state = state.current_task_state
    client.force_login(people["reviewer"])
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[relic.pk, "approve", task_state.pk]
    )
    response = client.post(approve_url, {"comment": "Đồng ý"})
    assert response.status_code in (200, 302)
    relic = RelicPage.objects.get(pk=relic.pk)
    assert relic.title == "Đình Đông Khê (đã sửa)"
    assert relic.live
