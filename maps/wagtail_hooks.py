"""The admin's "Nhập dữ liệu bản đồ" item under Settings."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from maps import admin_views


class GeoImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_urls")
def register_geodata_import_urls():
    urls = [
        path("", admin_views.upload, name="upload"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/thu-lai/", admin_views.retry, name="retry"),
    ]
    return [path("nhap-ban-do/", include((urls, "maps_import"), namespace="maps_import"))]


@hooks.register("register_settings_menu_item")
def register_geodata_import_menu_item():
    return GeoImportMenuItem(
        _("Nhập dữ liệu bản đồ"), reverse("maps_import:upload"), icon_name="site", order=900
    )
