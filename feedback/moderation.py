"""Who moderates what: the relics a user may edit. Ward editors edit their ward's subtree,
reviewers the whole district (content.permissions), so moderation follows the same lines."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.models import GroupPagePermission, Page


def editable_paths(user) -> list[str] | None:
    """Tree paths under which `user` may edit pages; None for a superuser (everything)."""
    if user.is_superuser:
        return None
    paths = GroupPagePermission.objects.filter(
        group__user=user, permission__codename="change_page"
    ).values_list("page__path", flat=True)
    return sorted(set(paths))


def relic_filter(user, field: str = "relic") -> Q | None:
    """A filter keeping rows whose relic `user` may edit; None when no filter is needed."""
    paths = editable_paths(user)
    if paths is None:
        return None
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__path__startswith": path})
    return q


def scoped(queryset: QuerySet, user) -> QuerySet:
    q = relic_filter(user)
    return queryset if q is None else queryset.filter(q)


def can_moderate(user, relic: Page) -> bool:
    return relic.permissions_for_user(user).can_edit()
