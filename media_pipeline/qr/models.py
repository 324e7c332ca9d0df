"""QR plaques: permanent short codes, where they pointed over time, daily scan counts, batches.

A code row is never deleted (history and scan counts protect it), so a code is never handed out
twice; when its page is deleted the code stays, answering with a tombstone.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heritage_site.jobs import LeasedJob
from media_pipeline.qr.codes import MAX_CODE_LENGTH
from media_pipeline.qr.plaque_layout import SIZES


class Purpose(models.TextChoices):
    """What a scan opens: the page itself, or straight at its rating form (a second plaque)."""

    PAGE = "page", _("Trang di tích")
    RATING = "rating", _("Phiếu đánh giá")


# Where on the page a code of each purpose lands; the page's own code lands at the top.
PURPOSE_FRAGMENTS = {Purpose.RATING: "#danh-gia"}


class ShortCode(models.Model):
    """The code printed on a plaque, e.g. `7F3K2` in `HTTPS://HOST/Q/7F3K2`; points at one page."""

    Purpose = Purpose

    code = models.CharField(_("mã"), max_length=MAX_CODE_LENGTH, unique=True, editable=False)
    # Every code existing before this field opened its page: the default keeps them so.
    purpose = models.CharField(
        _("mục đích"), max_length=10, choices=Purpose.choices, default=Purpose.PAGE
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("trang"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="short_codes",
    )
    # The page's title when it was last linked or deleted: the tombstone names the relic by it.
    page_title = models.CharField(_("tên trang"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now, editable=False)
    retired_at = models.DateTimeField(
        _("ngày trang bị xoá"),
        null=True,
        blank=True,
        help_text=_("Trang đã bị xoá: mã vẫn giữ nguyên, không cấp lại cho trang khác tự động."),
    )

    class Meta:
        verbose_name = _("mã QR")
        verbose_name_plural = _("mã QR")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.code

    @property
    def path(self) -> str:
        return f"/Q/{self.code}"


class ShortCodeHistory(models.Model):
    """One change of where a code points: created, re-pointed by staff, or its page deleted."""

    class Reason(models.TextChoices):
        CREATED = "created", _("Tạo mã")
        REPOINTED = "repointed", _("Chuyển sang trang khác")
        PAGE_DELETED = "page_deleted", _("Trang bị xoá")

    code = models.ForeignKey(
        ShortCode, verbose_name=_("mã"), on_delete=models.PROTECT, related_name="history"
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("trang"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page_title = models.CharField(_("tên trang"), max_length=255, blank=True)
    reason = models.CharField(_("lý do"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("lịch sử mã QR")
        verbose_name_plural = _("lịch sử mã QR")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.code_id}: {self.get_reason_display()} {self.page_title}"


class DeviceClass(models.TextChoices):
    PHONE = "phone", _("Điện thoại")
    TABLET = "tablet", _("Máy tính bảng")
    DESKTOP = "desktop", _("Máy tính")


class DailyScanCount(models.Model):
    """Scans of one code on one day, by visitor language and device class: nothing personal.

    No IP address, cookie or user-agent string is stored, only these counters.
    """

    code = models.ForeignKey(
        ShortCode, verbose_name=_("mã"), on_delete=models.PROTECT, related_name="daily_scans"
    )
    date = models.DateField(_("ngày"))
    language = models.CharField(_("ngôn ngữ"), max_length=8)
    device_class = models.CharField(_("loại thiết bị"), max_length=8, choices=DeviceClass.choices)
    count = models.PositiveIntegerField(_("số lượt quét"), default=0)

    class Meta:
        verbose_name = _("lượt quét theo ngày")
        verbose_name_plural = _("lượt quét theo ngày")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "date", "language", "device_class"],
                name="one_scan_count_per_code_day_language_device",
            )
        ]
        indexes = [models.Index(fields=["date"], name="scan_count_date_idx")]

    def __str__(self):
        return f"{self.code_id} {self.date} {self.language} {self.device_class}: {self.count}"


class PlaqueBatch(LeasedJob):
    """Plaques for many relics, made by a background task that records its progress here."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF in sẵn (mỗi biển một trang)")
        SVG_ZIP = "svg-zip", _("SVG véc-tơ (nhiều biển: tệp ZIP)")

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    size = models.CharField(
        _("khổ biển"), max_length=20, choices=[(s.key, s.label) for s in SIZES.values()]
    )
    format = models.CharField(_("định dạng"), max_length=10, choices=Format.choices)
    purpose = models.CharField(
        _("loại biển"), max_length=10, choices=Purpose.choices, default=Purpose.PAGE
    )
    page_ids = models.JSONField(_("các trang"), default=list)
    total = models.PositiveIntegerField(_("tổng số biển"), default=0)
    progress = models.PositiveIntegerField(_("đã tạo"), default=0)
    file = models.FileField(_("tệp"), upload_to="plaques/%Y/%m/", blank=True)
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đợt in biển QR")
        verbose_name_plural = _("đợt in biển QR")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_format_display()} · {self.total} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return round(100 * self.progress / self.total) if self.total else 0

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
