"""The project's own admin pages: the two-factor login step and its account menu item."""

from django.urls import path, reverse
from wagtail import hooks

from heritage_site import two_factor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("xac-thuc-hai-buoc/", two_factor.verify, name="two_factor_verify"),
        path("xac-thuc-hai-buoc/cai-dat/", two_factor.setup, name="two_factor_setup"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_setup"),
        "label": "Xác thực hai bước",
        "help_text": "Dùng mã trong ứng dụng xác thực trên điện thoại khi đăng nhập.",
    }
