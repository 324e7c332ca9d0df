"""Hooks of the content app: narrations in the admin, inventory import/export in its room, and
pages under an unpublished ward hidden from visitors.

Wagtail finds hooks in an app's own ``wagtail_hooks``; the inventory room registers its own.
"""

from django.http import Http404
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from content.admin_views import NarrationViewSet
from content.inventory import wagtail_hooks as inventory_hooks  # noqa: F401
from content.public import under_hidden_branch

register_snippet(NarrationViewSet)


@hooks.register("before_serve_page")
def hide_pages_under_unpublished(page, request, serve_args, serve_kwargs):
    """Wagtail serves a live page under an unpublished ward; visitors must not see it either
    (content.public). View restrictions Wagtail checks itself, with its password form."""
    if under_hidden_branch(page):
        raise Http404
