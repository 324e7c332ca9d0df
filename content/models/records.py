"""Inscriptions and artifacts: edited inline on their relic, reviewed and published with it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from content.blocks import ExtraImagesBlock, image_ids
from content.choices import ArtifactCondition, InscriptionKind
from content.models.base import DatingYearsMixin, normalize_instance_text
from content.models.pages import IMAGE_FK
from content.text import fold


class InventoryRecord(DatingYearsMixin, Orderable):
    """An inscription or artifact: NFC text, a folded search key and dating years on every save."""

    search_key = models.TextField(editable=False, blank=True)

    class Meta(Orderable.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        normalize_instance_text(self)
        self.search_key = self.search_text()
        self.set_dating_years()
        super().save(*args, **kwargs)

    def search_text(self) -> str:
        raise NotImplementedError


class Inscription(InventoryRecord):
    """A stele, board, couplet, royal decree or bell text, with its Hán Nôm and translations."""

    relic = ParentalKey("content.RelicPage", on_delete=models.CASCADE, related_name="inscriptions")
    kind = models.CharField(
        _("loại di văn"),
        max_length=20,
        choices=InscriptionKind.choices,
        default=InscriptionKind.VAN_BIA,
    )
    inventory_number = models.CharField(
        _("số kiểm kê"),
        max_length=50,
        blank=True,
        help_text=_("Số kiểm kê hoặc ký hiệu; cần có để nhập/xuất bảng tính."),
    )
    title = models.CharField(_("tên gọi"), max_length=255)
    original_text = models.TextField(
        _("nguyên văn Hán Nôm"), blank=True, help_text=_("Chữ Hán, chữ Nôm, kể cả chữ hiếm.")
    )
    transliteration = models.TextField(_("phiên âm"), blank=True)
    translation = models.TextField(_("dịch nghĩa"), blank=True)
    rubbing_image = models.ForeignKey(verbose_name=_("ảnh bản dập"), **IMAGE_FK)
    photo = models.ForeignKey(verbose_name=_("ảnh hiện trạng"), **IMAGE_FK)
    dating = models.CharField(_("niên đại"), max_length=255, blank=True)
    dimensions = models.CharField(_("kích thước"), max_length=255, blank=True)
    position = models.CharField(_("vị trí trong di tích"), max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("inventory_number")]),
        FieldPanel("title"),
        FieldPanel("original_text"),
        FieldPanel("transliteration"),
        FieldPanel("translation"),
        FieldRowPanel([FieldPanel("rubbing_image"), FieldPanel("photo")]),
        MultiFieldPanel(
            [FieldPanel("dating"), FieldPanel("dimensions"), FieldPanel("position")],
            heading=_("Mô tả"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("di văn")
        verbose_name_plural = _("di văn")
        constraints = [
            # Blank is allowed (entered in the admin without one); when given, one per relic.
            models.UniqueConstraint(
                fields=["relic", "inventory_number"],
                condition=~models.Q(inventory_number=""),
                name="inscription_inventory_number_per_relic",
            )
        ]

    def __str__(self):
        return self.title

    def search_text(self) -> str:
        """Title, phiên âm, translation and the Hán Nôm original (kept as is: `重修` finds it)."""
        parts = [self.title, self.transliteration, self.translation, self.original_text]
        return fold(" ".join(p for p in parts if p))


class Artifact(InventoryRecord):
    """An artifact (hiện vật) in the relic's inventory, known by its inventory number."""

    relic = ParentalKey("content.RelicPage", on_delete=models.CASCADE, related_name="artifacts")
    inventory_number = models.CharField(_("số kiểm kê"), max_length=50)
    name = models.CharField(_("tên hiện vật"), max_length=255)
    material = models.CharField(_("chất liệu"), max_length=255, blank=True)
    dimensions = models.CharField(_("kích thước"), max_length=255, blank=True)
    dating = models.CharField(_("niên đại"), max_length=255, blank=True)
    condition = models.CharField(
        _("tình trạng"), max_length=20, choices=ArtifactCondition.choices, blank=True
    )
    description = models.TextField(_("mô tả"), blank=True)
    image = models.ForeignKey(verbose_name=_("ảnh chính"), **IMAGE_FK)
    more_images = StreamField(ExtraImagesBlock(), blank=True, verbose_name=_("ảnh khác"))

    panels = [
        FieldRowPanel([FieldPanel("inventory_number"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("material"), FieldPanel("dimensions")]),
        FieldRowPanel([FieldPanel("dating"), FieldPanel("condition")]),
        FieldPanel("description"),
        FieldPanel("image"),
        FieldPanel("more_images"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("hiện vật")
        verbose_name_plural = _("hiện vật")
        constraints = [
            models.UniqueConstraint(
                fields=["relic", "inventory_number"], name="artifact_inventory_number_per_relic"
            )
        ]

    def __str__(self):
        return f"{self.inventory_number} — {self.name}"

    def search_text(self) -> str:
        return fold(" ".join([self.inventory_number, self.name, self.material, self.description]))

    def extra_image_ids(self) -> list[int]:
        """Image ids in `more_images`, read from raw data so no query is made per artifact."""
        return image_ids(self.more_images)
