"""Admin screens of the content app: the "Thuyết minh" (narration) list."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

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
