"""The feedback app in Wagtail: its part of the relic page, the moderation menu and views,
and the dashboard panel on the admin home."""

from django.conf import settings
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from feedback import admin_views as views

RELIC_TEMPLATE = "feedback/includes/relic_feedback.html"
COMMENTS_ON_PAGE = 10

app_name = "feedback_admin"
urlpatterns = [
    path("comments/", views.CommentsView.as_view(), name="comments"),
    path("comments/<int:pk>/", views.CommentView.as_view(), name="comment"),
    path("reports/", views.ReportsView.as_view(), name="reports"),
    path("reports/<int:pk>/", views.ReportView.as_view(), name="report"),
]


@hooks.register("construct_relic_page_context")
def add_relic_feedback(page, context: dict) -> None:
    """The forms, the approved comments with their replies and the summary: two queries."""
    from feedback.models import COMMENT_MAX_CHARS, Rating, ReportKind
    from feedback.stats import relic_summary

    comments = list(
        Rating.objects.filter(
            relic__translation_key=page.translation_key, status=Rating.Status.APPROVED
        )
        .exclude(comment="")
        .order_by("-created_at")[:COMMENTS_ON_PAGE]
    )
    context.update(
        feedback_template=RELIC_TEMPLATE,
        feedback_comments=comments,
        feedback_summary=relic_summary(page.translation_key),
        feedback_report_kinds=ReportKind.choices,
        feedback_comment_max=COMMENT_MAX_CHARS,
        feedback_photo_max_mb=settings.FEEDBACK_PHOTO_MAX_BYTES // (1024 * 1024),
        feedback_retention_months=max(1, round(settings.FEEDBACK_CONTACT_RETENTION_DAYS / 30.4)),
    )


@hooks.register("register_admin_urls")
def register_feedback_urls():
    return [path("feedback/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_feedback_menu():
    items = [
        MenuItem(_("Góp ý chờ duyệt"), reverse("feedback_admin:comments"), icon_name="comment"),
        MenuItem(_("Báo sự cố"), reverse("feedback_admin:reports"), icon_name="warning"),
    ]
    return SubmenuMenuItem(
        _("Phản hồi của khách"), Menu(items=items), icon_name="comment", order=360
    )


class DashboardPanel(Component):
    """Scans, relics, silent plaques, ratings, open reports and panoramas at a glance."""

    name = "feedback_dashboard"
    template_name = "feedback/admin/dashboard_panel.html"
    order = 110

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        from content.models import DistrictSettings
        from feedback.dashboard import bar_chart_svg, build_dashboard
        from media_pipeline.qr.scan_stats import SILENT_DAYS

        board = build_dashboard()
        district = DistrictSettings.for_request(self.request)
        return {
            "board": board,
            "district": district,
            "silent_days": SILENT_DAYS,
            "chart": bar_chart_svg(board.scans_per_day, str(_("Lượt quét mỗi ngày"))),
        }


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    panels.append(DashboardPanel(request))
