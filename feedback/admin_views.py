"""Moderation in the admin ("Phản hồi của khách"): comments wait for approval and get a reply;
reports are a to-do list per ward. Each user sees the relics they may edit (moderation.py).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from content.models import WardPage
from feedback.models import COMMENT_MAX_CHARS, Rating, Report
from feedback.moderation import can_moderate, scoped

PER_PAGE = 30


class FeedbackAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "comment"
    index_url_name = ""
    index_label = ""

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if self.index_url_name:
            items.append({"url": reverse(self.index_url_name), "label": self.index_label})
        return [*items, {"url": "", "label": self.get_page_title()}]


class ModeratedRowMixin:
    """A rating or report by its id, for users who may edit its relic."""

    model: type[Rating] | type[Report]

    def dispatch(self, request, *args, **kwargs):
        self.row = get_object_or_404(self.model.objects.select_related("relic"), pk=kwargs["pk"])
        if not can_moderate(request.user, self.row.relic):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Trả lời của cán bộ (hiện dưới góp ý trên trang di tích)"),
        max_length=COMMENT_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["status", "ward", "staff_note"]
        widgets = {"staff_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = WardPage.objects.filter(locale__language_code="vi").order_by(
            "title"
        )


class CommentsView(FeedbackAdminMixin, TemplateView):
    """Ratings with a comment, pending first; filter by status and relic."""

    template_name = "feedback/admin/comments.html"
    page_title = _("Góp ý của khách")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", Rating.Status.PENDING)
        rows = scoped(Rating.objects.select_related("relic"), self.request.user).exclude(comment="")
        if status in Rating.Status.values:
            rows = rows.filter(status=status)
        relic_id = self.request.GET.get("relic", "")
        if relic_id.isdigit():
            rows = rows.filter(relic_id=relic_id)
        context.update(
            rows=Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p")),
            status=status,
            statuses=Rating.Status.choices,
        )
        return context


class CommentView(ModeratedRowMixin, FeedbackAdminMixin, TemplateView):
    """One comment: approve, hide, reply, or delete it with its contact on the visitor's request."""

    model = Rating
    template_name = "feedback/admin/comment.html"
    index_url_name = "feedback_admin:comments"
    index_label = _("Góp ý của khách")

    @property
    def rating(self) -> Rating:
        return self.row

    def get_page_title(self):
        return _("Góp ý về %(relic)s") % {"relic": self.rating.relic.title}

    def post(self, request, pk):
        action, rating = request.POST.get("action"), self.rating
        now = timezone.now()
        if action == "delete":
            rating.delete()
            messages.success(request, _("Đã xoá góp ý cùng liên hệ của khách."))
            return redirect("feedback_admin:comments")
        if action in ("approve", "reject"):
            rating.status = (
                Rating.Status.APPROVED if action == "approve" else Rating.Status.REJECTED
            )
            rating.moderated_by, rating.moderated_at = request.user, now
            rating.save(update_fields=["status", "moderated_by", "moderated_at"])
            messages.success(
                request,
                _("Đã duyệt, góp ý hiện trên trang di tích.")
                if action == "approve"
                else _("Góp ý sẽ không hiện trên trang di tích."),
            )
        elif action == "reply":
            form = ReplyForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(reply_form=form))
            rating.reply = form.cleaned_data["reply"]
            rating.replied_at = now if rating.reply else None
            rating.save(update_fields=["reply", "replied_at"])
            messages.success(request, _("Đã lưu câu trả lời."))
        elif action == "forget_contact":
            rating.forget_contact()
            rating.save()
            messages.success(request, _("Đã xoá liên hệ của khách."))
        return redirect("feedback_admin:comment", rating.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("reply_form", ReplyForm(initial={"reply": self.rating.reply}))
        context["rating"] = self.rating
        return context


class ReportsView(FeedbackAdminMixin, TemplateView):
    """The to-do list: open reports (new, in progress) by default; filter by status and ward."""

    template_name = "feedback/admin/reports.html"
    page_title = _("Báo sự cố")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = scoped(Report.objects.select_related("relic", "ward"), user)
        status = self.request.GET.get("status", "open")
        if status == "open":
            rows = rows.exclude(status=Report.Status.FIXED)
        elif status in Report.Status.values:
            rows = rows.filter(status=status)
        ward_id = self.request.GET.get("ward", "")
        if ward_id.isdigit():
            rows = rows.filter(ward_id=ward_id)
        context.update(
            rows=Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p")),
            status=status,
            statuses=[("open", _("Chưa xử lý xong")), *Report.Status.choices],
            wards=WardPage.objects.filter(locale__language_code="vi").order_by("title"),
            ward_id=ward_id,
        )
        return context


class ReportView(ModeratedRowMixin, FeedbackAdminMixin, TemplateView):
    """One report: its status, the ward responsible, a note; or delete it on request."""

    model = Report
    template_name = "feedback/admin/report.html"
    index_url_name = "feedback_admin:reports"
    index_label = _("Báo sự cố")

    @property
    def report(self) -> Report:
        return self.row

    def get_page_title(self):
        return _("%(kind)s tại %(relic)s") % {
            "kind": self.report.get_kind_display(),
            "relic": self.report.relic.title,
        }

    def post(self, request, pk):
        action = request.POST.get("action")
        if action == "delete":
            self.report.delete()
            messages.success(request, _("Đã xoá báo sự cố cùng ảnh và liên hệ của khách."))
            return redirect("feedback_admin:reports")
        if action == "forget_contact":
            self.report.forget_contact()
            self.report.save()
            messages.success(request, _("Đã xoá liên hệ của khách."))
            return redirect("feedback_admin:report", self.report.pk)
        form = ReportForm(request.POST, instance=self.report)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        report = form.save(commit=False)
        report.updated_by = request.user
        report.save()
        messages.success(request, _("Đã cập nhật báo sự cố."))
        return redirect("feedback_admin:report", report.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReportForm(instance=self.report))
        context["report"] = self.report
        return context
