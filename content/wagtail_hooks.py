"""Admin registrations of the content app: narrations here, inventory import/export in its room.

Wagtail finds hooks in an app's own ``wagtail_hooks``; the inventory room registers its own.
"""

from wagtail.snippets.models import register_snippet

from content.admin_views import NarrationViewSet
from content.inventory import wagtail_hooks as inventory_hooks  # noqa: F401

register_snippet(NarrationViewSet)
