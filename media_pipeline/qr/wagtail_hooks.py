"""QR plaques in the Wagtail admin: the "Biển QR" menu, a "Mã QR" button on pages, and the
dashboard panel with this week's scans."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from media_pipeline.qr import admin_views as views

app_name = "media_pipeline_qr"
urlpatterns = [
    path("", views.PlaquesView.as_view(), name="index"),
    path("batches/<int:batch_id>/", views.BatchView.as_view(), name="batch"),
    path(
        "batches/<int:batch_id>/download/",
        views.BatchDownloadView.as_view(),
        name="batch_download",
    ),
    path("pages/<int:page_id>/", views.PageCodesView.as_view(), name="page"),
    path("pages/<int:page_id>/plaque/", views.PagePlaqueView.as_view(), name="page_plaque"),
    path("codes/<str:code>/", views.CodeView.as_view(), name="code"),
]


@hooks.register("register_admin_urls")
def register_qr_urls():
    return [path("qr/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_qr_menu_item():
    return MenuItem(_("Biển QR"), reverse("media_pipeline_qr:index"), icon_name="grid", order=350)


def _qr_button(page, priority: int):
    if page.is_root():
        return []
    url = reverse("media_pipeline_qr:page", args=[page.pk])
    return [Button(_("Mã QR và biển"), url, icon_name="grid", priority=priority)]


@hooks.register("register_page_header_buttons")
def qr_page_header_button(page, user, view_name=None, next_url=None):
    return _qr_button(page, priority=62)


@hooks.register("register_page_listing_more_buttons")
def qr_page_listing_button(page, user, next_url=None):
    return _qr_button(page, priority=45)


class ScanPanel(Component):
    """Scans this week, the most scanned relics, and plaques nobody scanned for 30 days."""

    name = "qr_scans"
    template_name = "media_pipeline/qr/admin/scan_panel.html"
    order = 120

    def get_context_data(self, parent_context=None):
        from media_pipeline.qr.scan_stats import SILENT_DAYS, scan_summary

        return {"summary": scan_summary(), "silent_days": SILENT_DAYS}


class PlaqueHostPanel(Component):
    """The address plaques will carry, and whether it may be printed, before anyone prints."""

    name = "qr_plaque_host"
    template_name = "media_pipeline/qr/admin/plaque_host_panel.html"
    order = 115

    def get_context_data(self, parent_context=None):
        from media_pipeline.qr.plaque_batches import plaque_host

        return {"plaque_host": plaque_host()}


@hooks.register("construct_homepage_panels")
def add_scan_panel(request, panels):
    panels.append(PlaqueHostPanel())
    panels.append(ScanPanel())


def plaque_codes(translation_keys) -> dict:
    """Each page's plaque codes, by translation key: `7F3K2`, or `7F3K2#danh-gia` for a code that
    lands on the rating form. One query."""
    from media_pipeline.qr.models import PURPOSE_FRAGMENTS, ShortCode

    codes: dict = {}
    rows = (
        ShortCode.objects.filter(page__translation_key__in=list(translation_keys))
        .order_by("created_at", "pk")
        .values_list("page__translation_key", "code", "purpose")
    )
    for key, code, purpose in rows:
        codes.setdefault(key, []).append(code + PURPOSE_FRAGMENTS.get(purpose, ""))
    return codes


@hooks.register("construct_offline_manifest")
def add_plaque_codes_to_manifest(request, manifest: dict, relics) -> None:
    """With the district saved, a plaque scanned without signal opens the kept page: the
    service worker reads each relic's codes from here."""
    codes = plaque_codes(r.translation_key for r in relics)
    for entry, relic in zip(manifest["relics"], relics, strict=True):
        entry["codes"] = codes.get(relic.translation_key, [])


@hooks.register("construct_relic_page_context")
def add_plaque_codes_to_page(page, context: dict) -> None:
    """The page names its codes, so that a visited relic opens from its plaque offline too."""
    context["qr_codes"] = plaque_codes([page.translation_key]).get(page.translation_key, [])
