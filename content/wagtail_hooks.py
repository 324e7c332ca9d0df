"""Admin additions of the content app: the inventory import/export pages."""

from django.urls import include, path
from wagtail import hooks

from content import inventory_admin


@hooks.register("register_admin_urls")
def register_inventory_urls():
    return [path("kiem-ke/", include(inventory_admin))]


@hooks.register("register_admin_menu_item")
def register_inventory_menu_item():
    return inventory_admin.menu_item()
