"""The deep-zoom tile set of one image (a rubbing or a large artifact photo), with its status."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TILES_DIR = "iiif"


class IIIFTileSet(models.Model):
    """IIIF level 0 tiles of a Wagtail image; a background task builds and publishes them."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ xử lý")
        PROCESSING = "processing", _("Đang xử lý")
        READY = "ready", _("Sẵn sàng")
        FAILED = "failed", _("Lỗi")

    image = models.OneToOneField(
        "wagtailimages.Image",
        verbose_name=_("ảnh"),
        on_delete=models.CASCADE,
        related_name="iiif_tiles",
        editable=False,
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
        editable=False,
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0, editable=False)
    error_message = models.TextField(_("thông báo lỗi"), blank=True, editable=False)
    # What the published set was built from: a changed file name or size means build again.
    source_name = models.CharField(max_length=500, blank=True, editable=False)
    source_bytes = models.BigIntegerField(null=True, editable=False)
    # Hash of source and parameters: the published folder's name, so tiles may be cached forever.
    version = models.CharField(max_length=32, blank=True, editable=False)
    base_id = models.URLField(_("địa chỉ IIIF"), max_length=500, blank=True, editable=False)
    width = models.PositiveIntegerField(_("rộng (điểm ảnh)"), null=True, editable=False)
    height = models.PositiveIntegerField(_("cao (điểm ảnh)"), null=True, editable=False)
    info = models.JSONField(default=dict, blank=True, editable=False)
    tile_count = models.PositiveIntegerField(_("số ô ảnh"), default=0, editable=False)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("ảnh phóng to (IIIF)")
        verbose_name_plural = _("ảnh phóng to (IIIF)")
        ordering = ["-updated_at", "pk"]

    def __str__(self):
        return str(self.image)

    @property
    def is_published(self) -> bool:
        """Tiles were published once; they stay on view while a later run works or fails."""
        return bool(self.version)

    @property
    def tiles_root(self) -> Path:
        return Path(settings.MEDIA_ROOT) / TILES_DIR / str(self.image_id)

    @property
    def info_url(self) -> str:
        return f"{self.base_id}/info.json"

    @property
    def info_path(self) -> str:
        """info.json on our own host, for the page's viewer."""
        return f"{settings.MEDIA_URL}{TILES_DIR}/{self.image_id}/{self.version}/info.json"

    def delete(self, *args, **kwargs):
        from heritage_site.storage import delete_tree, tile_storage

        prefix = f"{TILES_DIR}/{self.image_id}"
        result = super().delete(*args, **kwargs)
        delete_tree(tile_storage(), prefix)  # derived data; the image stays
        return result
