from django.contrib.auth.models import Group
from wagtail.models import Task, Workflow


def test_wagtail_default_groups_and_workflow_have_vietnamese_names(db):
    groups = set(Group.objects.values_list("name", flat=True))
    assert {"Điều phối viên", "Biên tập viên"} <= groups
    assert not groups & {"Moderators", "Editors"}
    assert Workflow.objects.filter(name="Phê duyệt của điều phối viên").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
