"""The admin's "Nhập/xuất kiểm kê" menu item and its pages under /admin/kiem-ke/."""

from django.urls import include, path, re_path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from content.inventory import admin_views as views

app_name = "content_inventory"
urlpatterns = [
    path("", views.index, name="index"),
    path("mau.xlsx", views.template, name="template"),
    re_path(
        r"^xuat/(?P<kind>relic|artifact|inscription|all)\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="export",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/nhap/", views.confirm, name="confirm"),
    path("<int:pk>/thu-lai/", views.retry, name="retry"),
    path("<int:pk>/dong-loi/", views.rejects, name="rejects"),
]


class InventoryMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_manage_inventory(request.user)


@hooks.register("register_admin_urls")
def register_inventory_urls():
    return [path("kiem-ke/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_inventory_menu_item():
    return InventoryMenuItem(
        "Nhập/xuất kiểm kê", reverse("content_inventory:index"), icon_name="table", order=340
    )
