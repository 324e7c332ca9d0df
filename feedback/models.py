"""What visitors send from a relic page or a plaque scan, with no account.

A rating counts at once; its comment shows only once staff approve it. A report is a to-do item
for the ward responsible. Contact details are kept only with consent, until `contact_keep_until`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from heritage_site.memo import RememberedSiteSetting

COMMENT_MAX_CHARS = 2000
CONTACT_MAX_CHARS = 120
CLIENT_KEY_MAX = 64


class ContactPurpose(models.TextChoices):
    """The one use a visitor agrees to when leaving a phone number or e-mail address."""

    REPLY = "reply", _("Để cán bộ văn hóa trả lời góp ý của tôi")
    FOLLOW_UP = "follow_up", _("Để cán bộ văn hóa báo cho tôi khi sự cố được xử lý")


class VisitorPost(models.Model):
    """What ratings and reports share: the relic, the language, the phone's key and contact."""

    # Always the Vietnamese page: figures and moderation follow the relic, not its translation.
    relic = models.ForeignKey(
        "content.RelicPage", verbose_name=_("di tích"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("ngôn ngữ của khách"), max_length=8)
    # Made on the phone for each post: a post replayed by the offline queue is stored once.
    client_key = models.CharField(max_length=CLIENT_KEY_MAX, unique=True, editable=False)
    created_at = models.DateTimeField(_("thời điểm gửi"), default=timezone.now, db_index=True)
    contact = models.CharField(_("liên hệ của khách"), max_length=CONTACT_MAX_CHARS, blank=True)
    contact_purpose = models.CharField(
        _("mục đích dùng liên hệ"), max_length=12, choices=ContactPurpose.choices, blank=True
    )
    contact_consent_at = models.DateTimeField(_("khách đồng ý lúc"), null=True, blank=True)
    contact_keep_until = models.DateTimeField(
        _("giữ liên hệ đến"), null=True, blank=True, db_index=True
    )

    class Meta:
        abstract = True

    def forget_contact(self) -> None:
        self.contact, self.contact_purpose = "", ""
        self.contact_consent_at = self.contact_keep_until = None


class Rating(VisitorPost):
    """A 1–5 rating with an optional comment; the comment is public only once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Không đăng")

    score = models.PositiveSmallIntegerField(_("điểm"))
    comment = models.TextField(_("góp ý"), max_length=COMMENT_MAX_CHARS, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reply = models.TextField(_("trả lời của cán bộ"), max_length=COMMENT_MAX_CHARS, blank=True)
    replied_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            )
        ]
        indexes = [models.Index(fields=["relic", "status"], name="rating_relic_status_idx")]

    def __str__(self):
        return f"{self.score}★ · {self.created_at:%d/%m/%Y}"

    @property
    def has_comment(self) -> bool:
        return bool(self.comment.strip())


class ReportKind(models.TextChoices):
    DAMAGED_PLAQUE = "damaged_plaque", _("Biển thông tin hỏng")
    CLOSED_GATE = "closed_gate", _("Cổng đóng trong giờ mở cửa")
    WRONG_INFORMATION = "wrong_info", _("Thông tin sai")
    LITTER_SAFETY = "litter_safety", _("Rác thải hoặc mất an toàn")


class Report(VisitorPost):
    """ "Something is broken here": a to-do item for the ward responsible, with a photo."""

    Kind = ReportKind

    class Status(models.TextChoices):
        NEW = "new", _("Mới")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        FIXED = "fixed", _("Đã xử lý")

    kind = models.CharField(_("loại sự cố"), max_length=16, choices=ReportKind.choices)
    description = models.TextField(_("mô tả"), max_length=COMMENT_MAX_CHARS, blank=True)
    # A generated name; the visitor's file name is never kept (it may name a person or a place).
    photo = models.FileField(_("ảnh"), upload_to="feedback/reports/%Y/%m/", blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    ward = models.ForeignKey(
        "content.WardPage",
        verbose_name=_("phường/xã phụ trách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_note = models.TextField(_("ghi chú của cán bộ"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("báo sự cố")
        verbose_name_plural = _("báo sự cố")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "ward"], name="report_status_ward_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.FIXED


@register_setting(icon="comment")
class FeedbackSettings(RememberedSiteSetting, BaseSiteSetting):
    """Cài đặt → Phản hồi của khách: whether relic pages show their satisfaction figures."""

    show_public_summary = models.BooleanField(
        _("hiện điểm hài lòng trên trang di tích"),
        default=False,
        help_text=_("Số lượt đánh giá và điểm trung bình, dưới phiếu đánh giá của mỗi di tích."),
    )

    class Meta:
        verbose_name = _("phản hồi của khách")
