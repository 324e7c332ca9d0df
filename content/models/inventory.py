"""An inventory spreadsheet uploaded in the admin: the original file, its preview and result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from content.inventory.charsets import ENCODING_CHOICES
from heritage_site.jobs import LeasedJob


class InventoryImport(LeasedJob):
    """One upload → preview → confirm cycle; the file is kept for the record."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Đang kiểm tra tệp")
        PREVIEWED = "previewed", _("Đã xem trước")
        QUEUED = "queued", _("Đang chờ nhập")
        RUNNING = "running", _("Đang nhập")
        DONE = "done", _("Đã nhập")
        REFUSED = "refused", _("Không nhập (có lỗi)")
        FAILED = "failed", _("Lỗi hệ thống")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("Tất cả hoặc không (mặc định)")
        GOOD_ROWS = "good_rows", _("Chỉ nhập các dòng đúng, nhận lại tệp các dòng lỗi")

    class Kind(models.TextChoices):
        AUTO = "", _("Tự nhận theo tên trang / cột")
        RELIC = "relic", _("Di tích")
        ARTIFACT = "artifact", _("Hiện vật")
        INSCRIPTION = "inscription", _("Di văn")

    original_name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp bảng tính"), upload_to="inventory/imports/%Y/%m/")
    images_name = models.CharField(_("tên tệp ảnh"), max_length=255, blank=True)
    images = models.FileField(_("tệp ZIP ảnh"), upload_to="inventory/imports/%Y/%m/", blank=True)
    kind = models.CharField(_("loại bản ghi"), max_length=20, choices=Kind.choices, blank=True)
    encoding = models.CharField(
        _("bảng mã"),
        max_length=20,
        blank=True,
        choices=[("", _("Tự nhận")), *ENCODING_CHOICES.items()],
    )
    mode = models.CharField(
        _("cách nhập"), max_length=20, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    preview = models.JSONField(_("xem trước"), default=dict, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    rejects = models.FileField(
        _("tệp các dòng lỗi"), upload_to="inventory/rejects/%Y/%m/", blank=True
    )
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_done = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    finished_at = models.DateTimeField(_("lúc nhập xong"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập kiểm kê")
        verbose_name_plural = _("các lần nhập kiểm kê")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.REFUSED, self.Status.FAILED}
