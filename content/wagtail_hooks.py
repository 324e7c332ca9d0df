"""Admin registrations of the content app: narrations, and the inventory import/export pages."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content import inventory_admin
from content.models import Narration


class NarrationViewSet(SnippetViewSet):
    model = Narration
    icon = "media"
    menu_label = _("Thuyết minh")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "relic",
        "language",
        Column("duration_display", label=_("thời lượng")),
        "narrator",
        "updated_at",
    ]
    list_filter = ["language"]


register_snippet(NarrationViewSet)


@hooks.register("register_admin_urls")
def register_inventory_urls():
    return [path("kiem-ke/", include(inventory_admin))]


@hooks.register("register_admin_menu_item")
def register_inventory_menu_item():
    return inventory_admin.menu_item()
