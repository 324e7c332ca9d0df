"""360° panoramas: the uploaded original, its published tile pyramid, hotspots and the gallery."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from content.models.base import HeritagePageMixin
from content.public import public_ids
from heritage_site.jobs import LeasedJob

TILES_DIR = "panoramas/tiles"


def public_q() -> models.Q:
    """Published, and of a public relic (content.public) or of none (the district's own)."""
    from content.models import RelicPage

    relics = public_ids(RelicPage.objects.all())
    on_view = models.Q(relic__isnull=True) | models.Q(relic__in=relics)
    return on_view & ~models.Q(tiles_version="")


class PanoramaQuerySet(models.QuerySet):
    def published(self):
        """Panoramas with tiles, with their hotspots and the hotspots' targets (two queries).

        A panorama being processed again, or whose new run failed, keeps showing its last tiles.
        Each hotspot knows whether its target panorama is public (``target_public``).
        """
        target_public = models.Exists(
            Panorama.objects.filter(public_q(), pk=models.OuterRef("target_panorama_id"))
        )
        hotspots = Hotspot.objects.select_related(
            "target_panorama", "target_inscription", "target_artifact"
        ).annotate(target_public=target_public)
        return self.exclude(tiles_version="").prefetch_related(
            models.Prefetch("hotspots", queryset=hotspots)
        )

    def public(self):
        """Published panoramas a visitor may see: a relic taken down (or under a ward taken
        down) takes its panoramas along."""
        return self.published().filter(public_q())


class Panorama(LeasedJob, ClusterableModel):
    """A 360° photo of a relic: the original is kept; a background task publishes its tiles."""

    class Kind(models.TextChoices):
        FULL = "full", _("Toàn cảnh 360°")
        PARTIAL = "partial", _("Toàn cảnh một phần")
        PHOTOS = "photos", _("Ghép từ nhiều ảnh")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Chờ xử lý")
        PROCESSING = "processing", _("Đang xử lý")
        READY = "ready", _("Sẵn sàng")
        FAILED = "failed", _("Lỗi")

    objects = PanoramaQuerySet.as_manager()

    title = models.CharField(_("tên ảnh"), max_length=255)
    relic = models.ForeignKey(
        "content.RelicPage",
        verbose_name=_("di tích"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panoramas",
    )
    kind = models.CharField(
        _("loại ảnh"), max_length=10, choices=Kind.choices, default=Kind.FULL, editable=False
    )
    original = models.FileField(
        _("tệp ảnh 360° gốc"),
        upload_to="panoramas/originals/",
        max_length=500,
        blank=True,
        help_text=_(
            "Ảnh equirectangular (tỉ lệ 2:1) JPEG, PNG hoặc TIFF, tối đa 16384×8192 điểm ảnh. "
            "Tệp gốc luôn được giữ lại."
        ),
    )
    haov = models.FloatField(
        _("góc nhìn ngang (°)"),
        null=True,
        blank=True,
        help_text=_("Chỉ cho ảnh toàn cảnh một phần không có thông tin GPano, ví dụ 180."),
    )
    vaov = models.FloatField(_("góc nhìn dọc (°)"), null=True, blank=True)
    v_offset = models.FloatField(
        _("độ lệch dọc (°)"), null=True, blank=True, help_text=_("Góc ngẩng của tâm ảnh.")
    )
    initial_yaw = models.FloatField(
        _("hướng nhìn ban đầu (°)"),
        null=True,
        blank=True,
        help_text=_("Để trống: lấy từ thông tin GPano của ảnh nếu có."),
    )
    initial_pitch = models.FloatField(_("góc ngẩng ban đầu (°)"), null=True, blank=True)
    initial_hfov = models.FloatField(_("độ rộng khung nhìn ban đầu (°)"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=Status.choices,
        default=Status.UPLOADED,
        editable=False,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0, editable=False)
    error_message = models.TextField(_("thông báo lỗi"), blank=True, editable=False)
    width = models.PositiveIntegerField(_("rộng (điểm ảnh)"), null=True, editable=False)
    height = models.PositiveIntegerField(_("cao (điểm ảnh)"), null=True, editable=False)
    # Hash of source and settings: the published folder's name, so its URLs can be cached forever.
    tiles_version = models.CharField(max_length=32, blank=True, editable=False)
    viewer_config = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("relic"),
        FieldPanel("original"),
        FieldPanel("photo_files"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("haov"), FieldPanel("vaov"), FieldPanel("v_offset")])],
            heading=_("Ảnh toàn cảnh một phần"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("initial_yaw"),
                        FieldPanel("initial_pitch"),
                        FieldPanel("initial_hfov"),
                    ]
                )
            ],
            heading=_("Khung nhìn ban đầu"),
        ),
        InlinePanel("hotspots", label=_("Điểm nóng"), heading=_("Điểm nóng")),
    ]

    class Meta:
        verbose_name = _("ảnh 360°")
        verbose_name_plural = _("ảnh 360°")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        """Tiles were published once; they stay on view while a later run works or fails."""
        return bool(self.tiles_version)

    @property
    def tiles_root(self) -> Path:
        """Every published version of this panorama lives below this folder (on a local disk;
        in a bucket, below the same prefix of the ``panorama_tiles`` storage)."""
        return Path(settings.MEDIA_ROOT) / TILES_DIR / str(self.pk)

    @property
    def tiles_url(self) -> str:
        """URL of the published pyramid, versioned so browsers may cache its tiles forever."""
        return f"{settings.MEDIA_URL}{TILES_DIR}/{self.pk}/{self.tiles_version}"

    @property
    def preview_url(self) -> str:
        return f"{self.tiles_url}/preview.jpg"

    def delete(self, *args, **kwargs):
        from heritage_site.storage import delete_tree, tile_storage

        prefix = f"{TILES_DIR}/{self.pk}"
        result = super().delete(*args, **kwargs)
        # Tiles are derived data; the original upload stays stored like every upload.
        delete_tree(tile_storage(), prefix)
        return result


class PanoramaPhoto(models.Model):
    """One of the overlapping photos a partial panorama is stitched from (kept forever)."""

    panorama = models.ForeignKey(Panorama, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("ảnh"), upload_to="panoramas/photos/", max_length=500)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ảnh chụp để ghép")
        verbose_name_plural = _("ảnh chụp để ghép")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return Path(self.file.name).name


class Hotspot(Orderable):
    """A point in a panorama: a link to another panorama (tour) or to an inscription/artifact."""

    class Kind(models.TextChoices):
        SCENE = "scene", _("Chuyển sang ảnh 360° khác")
        INFO = "info", _("Thông tin")

    panorama = ParentalKey(Panorama, on_delete=models.CASCADE, related_name="hotspots")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.INFO)
    pitch = models.FloatField(_("góc ngẩng (°)"), default=0)
    yaw = models.FloatField(_("hướng (°)"), default=0)
    text = models.CharField(
        _("chú thích"), max_length=255, blank=True, help_text=_("Để trống: dùng tên đích.")
    )
    target_panorama = models.ForeignKey(
        Panorama,
        verbose_name=_("ảnh 360° đích"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_inscription = models.ForeignKey(
        "content.Inscription",
        verbose_name=_("di văn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_artifact = models.ForeignKey(
        "content.Artifact",
        verbose_name=_("hiện vật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("pitch"), FieldPanel("yaw")]),
        FieldPanel("text"),
        FieldPanel("target_panorama"),
        FieldRowPanel([FieldPanel("target_inscription"), FieldPanel("target_artifact")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("điểm nóng")
        verbose_name_plural = _("điểm nóng")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.text:
            return self.text
        target = self.target_panorama or self.target_inscription or self.target_artifact
        return str(target) if target else str(self.get_kind_display())

    def clean(self):
        errors = {}
        if not -90 <= self.pitch <= 90:
            errors["pitch"] = _("Góc ngẩng phải từ -90° đến 90°.")
        if not -180 <= self.yaw <= 360:
            errors["yaw"] = _("Hướng phải từ -180° đến 360°.")
        if self.kind == self.Kind.SCENE:
            if not self.target_panorama_id:
                errors["target_panorama"] = _("Điểm chuyển cảnh cần chọn ảnh 360° đích.")
            elif self.target_panorama_id == self.panorama_id:
                errors["target_panorama"] = _("Ảnh đích phải khác ảnh đang sửa.")
        elif not (self.text or self.target_inscription_id or self.target_artifact_id):
            errors["text"] = _("Điểm thông tin cần chú thích, di văn hoặc hiện vật.")
        if errors:
            raise ValidationError(errors)


class PanoramaGalleryPage(HeritagePageMixin, Page):
    """The "Du lịch 360°" page: every published panorama, each opening a tour in the viewer."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("thư viện ảnh 360°")
        verbose_name_plural = _("thư viện ảnh 360°")

    def get_context(self, request, *args, **kwargs):
        from media_pipeline.panoramas.viewer import gallery_context

        context = super().get_context(request, *args, **kwargs)
        context.update(gallery_context(request, Panorama.objects.public()))
        return context
