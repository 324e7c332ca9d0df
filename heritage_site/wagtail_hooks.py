"""The district's own admin: colours, the help menu with our guide, the review panel, and the
two-factor login step with its account menu item."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

from heritage_site import two_factor
from heritage_site.admin_theme import theme_css
from heritage_site.admin_views import EditorGuideView

# Wagtail's help items that send staff to English pages elsewhere.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("register_admin_urls")
def register_guide_url():
    return [path("huong-dan/", EditorGuideView.as_view(), name="editor_guide")]


@hooks.register("insert_global_admin_css")
def admin_colours():
    css = theme_css(settings.ADMIN_PRIMARY_COLOR, settings.ADMIN_SECONDARY_COLOR)
    return format_html("<style>{}</style>", css)


@hooks.register("insert_editor_js")
def editor_js():
    """Draftail named for screen readers; no autosave once the form is submitted."""
    return format_html('<script src="{}"></script>', static("js/admin-editor.js"))


@hooks.register("construct_help_menu")
def our_guide_first(request, menu_items):
    menu_items[:] = [
        item for item in menu_items if not str(item.name).startswith(WAGTAIL_HELP_ITEMS)
    ]
    menu_items.insert(
        0,
        MenuItem(
            _("Hướng dẫn biên tập"),
            reverse("editor_guide"),
            name="huong-dan-bien-tap",
            icon_name="help",
            order=100,
        ),
    )


class ReviewPanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "Awaiting your review", with the step and its state written out in words."""

    template_name = "heritage_site/admin/review_panel.html"


@hooks.register("construct_homepage_panels")
def review_panel_with_steps(request, panels):
    panels[:] = [
        ReviewPanel() if type(panel) is WorkflowObjectsToModeratePanel else panel
        for panel in panels
    ]


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
