"""The digitisation to-do list in the admin: its screens, a menu item and a dashboard panel."""

from django.conf import settings
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from progress import admin_views as views

app_name = "progress"
urlpatterns = [
    path("", views.TodoView.as_view(), name="index"),
    path("xuat.<str:fmt>", views.TodoExportView.as_view(), name="export"),
]


@hooks.register("register_admin_urls")
def register_progress_urls():
    return [path("so-hoa/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_progress_menu_item():
    return MenuItem(_("Việc số hóa"), reverse("progress:index"), icon_name="tasks", order=150)


class TodoPanel(Component):
    """The report's figures and each ward's gaps, linking to the full list."""

    name = "digitisation_todo"
    template_name = "progress/admin/panel.html"
    order = 90  # first: what the culture office works from

    def get_context_data(self, parent_context=None):
        from progress.checklist import report_lines, totals, ward_rows
        from progress.facts import collect, relics_for

        request = parent_context["request"]
        facts = collect(relics_for(request.user))
        languages = list(settings.LANGUAGES)
        figures = totals(facts, languages)
        return {
            "totals": figures,
            "report": report_lines(figures),
            "ward_rows": ward_rows(facts, languages),
            "shown": bool(facts),
        }


@hooks.register("construct_homepage_panels")
def add_todo_panel(request, panels):
    panels.append(TodoPanel())
