"""Admin screens of the content app: the "Thuyết minh" (narration) list."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from content.models import Narration


class InitialFromQueryMixin:
    """An add form that starts filled from the query string (`?relic=12&language=en`), as the
    digitisation to-do list links to it; anything else in the query is ignored."""

    initial_from_query: tuple[str, ...] = ("relic",)

    def get_initial(self):
        initial = super().get_initial()
        for name in self.initial_from_query:
            value = self.request.GET.get(name, "")
            if value and len(value) <= 20:
                initial[name] = value
        return initial


class NarrationCreateView(InitialFromQueryMixin, CreateView):
    initial_from_query = ("relic", "language")


class NarrationViewSet(SnippetViewSet):
    model = Narration
    icon = "media"
    menu_label = _("Thuyết minh")
    menu_order = 250
    add_to_admin_menu = True
    add_view_class = NarrationCreateView
    list_display = [
        "relic",
        "language",
        Column("duration_display", label=_("thời lượng")),
        "narrator",
        "updated_at",
    ]
    list_filter = ["language"]
