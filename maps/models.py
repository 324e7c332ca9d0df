"""Ward boundaries for the map and the record of each geodata import staff ran."""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from heritage_site.jobs import LeasedJob


class WardBoundary(models.Model):
    """A ward's outline in WGS84 (GeoJSON), with its extent for quick bbox filtering."""

    ward = models.OneToOneField(
        "content.WardPage",
        on_delete=models.CASCADE,
        related_name="boundary",
        verbose_name=_("phường / xã"),
    )
    geojson = models.TextField(_("ranh giới (GeoJSON, WGS84)"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    source = models.ForeignKey(
        "maps.GeoImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lần nhập"),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ranh giới phường / xã")
        verbose_name_plural = _("ranh giới phường / xã")

    def __str__(self):
        return str(self.ward)

    @property
    def geometry(self) -> dict:
        return json.loads(self.geojson)

    def set_geometry(self, geometry: dict) -> None:
        from maps.features import dumps, geometry_bounds

        self.geojson = dumps(geometry)
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geometry_bounds(geometry)


class GeoImport(LeasedJob):
    """One file staff uploaded to import relic points or ward boundaries, kept with its report."""

    class Kind(models.TextChoices):
        POINTS = "points", _("Tọa độ di tích (điểm)")
        BOUNDARIES = "boundaries", _("Ranh giới phường / xã (vùng)")

    class Status(models.TextChoices):
        CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận")
        RUNNING = "running", _("Đang nhập")
        DONE = "done", _("Đã nhập")
        FAILED = "failed", _("Không nhập được")

    file = models.FileField(_("tệp"), upload_to="geoimports/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(_("loại dữ liệu"), max_length=20, choices=Kind.choices)
    crs = models.CharField(_("hệ tọa độ"), max_length=40, blank=True)
    skip_bad_rows = models.BooleanField(_("bỏ qua các dòng lỗi"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.CHECKED
    )
    report = models.JSONField(_("báo cáo"), default=dict, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu bản đồ")
        verbose_name_plural = _("các lần nhập dữ liệu bản đồ")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_kind_display()})"
