"""Who may edit what: one editors' group per ward, one reviewers' group, one workflow."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

REVIEWERS_GROUP = "Người duyệt nội dung"
WORKFLOW_NAME = "Duyệt nội dung di sản"
EDITOR_PAGE_PERMS = ["add_page", "change_page", "lock_page", "unlock_page"]
REVIEWER_PAGE_PERMS = [*EDITOR_PAGE_PERMS, "publish_page"]
IMAGE_PERMS = [("wagtailimages", "add_image"), ("wagtailimages", "choose_image")]


def ward_group_name(ward_page: Page) -> str:
    return f"Biên tập viên – {ward_page.title}"


def _perm(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_admin_and_images(group: Group) -> None:
    group.permissions.add(_perm("wagtailadmin", "access_admin"))
    root = Collection.get_first_root_node()
    for app_label, codename in IMAGE_PERMS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=_perm(app_label, codename)
        )


def _grant_pages(group: Group, page: Page, codenames: list[str]) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_perm("wagtailcore", codename)
        )


def ensure_ward_editors(ward_page: Page) -> Group:
    """The ward's editors may add and edit pages under their ward only, never publish."""
    group, _created = Group.objects.get_or_create(name=ward_group_name(ward_page))
    _grant_admin_and_images(group)
    _grant_pages(group, ward_page, EDITOR_PAGE_PERMS)
    return group


def ensure_review_workflow(home_page: Page) -> Workflow:
    """Reviewers approve and publish everything under the district home page."""
    reviewers, _created = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    _grant_admin_and_images(reviewers)
    _grant_pages(reviewers, home_page, REVIEWER_PAGE_PERMS)
    task, _created = GroupApprovalTask.objects.get_or_create(name="Người duyệt phê duyệt")
    task.groups.add(reviewers)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home_page, defaults={"workflow": workflow})
    return workflow
