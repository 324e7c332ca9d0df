"""The "Ảnh 360°" admin: upload, status and progress while processing, retry after a failure.

Registered in wagtail_hooks.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import HelpPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import CreateView, IndexView, SnippetViewSet

from content.admin_views import InitialFromQueryMixin
from media_pipeline.admin_status import status_cell
from media_pipeline.panoramas.forms import PanoramaForm
from media_pipeline.panoramas.models import Panorama
from media_pipeline.panoramas.tasks import schedule_panorama

Status = Panorama.Status


def panorama_status(pano: Panorama):
    """The status cell, with a "Thử lại" button when processing failed."""
    return status_cell(pano, retry_url=reverse("media_pipeline_panorama:retry", args=[pano.pk]))


class PanoramaIndexView(IndexView):
    """The list reloads itself every few seconds while a panorama waits or is being processed."""

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["auto_refresh"] = Panorama.objects.filter(
            status__in=[Status.UPLOADED, Status.PROCESSING]
        ).exists()
        return context

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status in (Status.FAILED, Status.READY):
            label = _("Thử lại") if instance.status == Status.FAILED else _("Xử lý lại")
            url = reverse("media_pipeline_panorama:retry", args=[instance.pk])
            buttons.append(MenuItem(label, url=url, icon_name="rotate", priority=15))
        return buttons


class PanoramaCreateView(InitialFromQueryMixin, CreateView):
    """ "Thêm ảnh 360°", already pointing at the relic when opened from the to-do list."""


class PanoramaViewSet(SnippetViewSet):
    model = Panorama
    icon = "globe"
    menu_label = _("Ảnh 360°")
    menu_name = "panoramas"
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "panoramas"
    admin_url_namespace = "media_pipeline_panorama"
    index_view_class = PanoramaIndexView
    add_view_class = PanoramaCreateView
    index_template_name = "media_pipeline/panoramas/admin/index.html"
    copy_view_enabled = False
    list_display = [
        "title",
        Column("relic", label=_("Di tích")),
        Column("status", label=_("Trạng thái"), accessor=panorama_status),
        DateColumn("updated_at", label=_("Cập nhật"), sort_key="updated_at"),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            HelpPanel(
                template="media_pipeline/panoramas/admin/status_panel.html",
                heading=_("Trạng thái xử lý"),
            ),
            *Panorama.panels,
        ],
        base_form_class=PanoramaForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("retry/<int:pk>/", self.retry_view, name="retry"),
        ]

    def retry_view(self, request, pk):
        """Confirm, then queue the panorama again (after staff fixed its angles, for example)."""
        pano = get_object_or_404(Panorama, pk=pk)
        if not self.permission_policy.user_has_permission_for_instance(
            request.user, "change", pano
        ):
            return redirect("wagtailadmin_home")
        if request.method == "POST":
            schedule_panorama(pano.pk)
            messages.success(request, _("Đã đưa “%(title)s” vào hàng đợi xử lý.") % {"title": pano})
            return redirect(self.get_url_name("list"))
        return TemplateResponse(
            request,
            "media_pipeline/panoramas/admin/retry.html",
            {"panorama": pano, "header_icon": self.icon, "page_title": _("Xử lý lại ảnh 360°")},
        )
