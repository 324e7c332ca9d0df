"""Audio narration (thuyết minh) of a relic, one recording per language."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from content.audio import AudioError, format_duration, inspect_audio
from content.uploads import stored_name


def language_choices():
    return settings.LANGUAGES


def narration_upload_to(instance, filename: str) -> str:
    # The extension comes from the content we checked, not from what the file was called; the
    # random part keeps a draft relic's recording from being found by guessing its name.
    stem = f"{instance.relic_id or 0}-{instance.language}"
    return f"narrations/{instance.language}/{stored_name(instance.detected_extension, stem=stem)}"


class Narration(models.Model):
    """A recorded narration that visitors play on the relic page, with its transcript."""

    relic = models.ForeignKey(
        "content.RelicPage",
        verbose_name=_("di tích"),
        on_delete=models.CASCADE,
        related_name="narrations",
    )
    language = models.CharField(
        _("ngôn ngữ"), max_length=10, choices=language_choices, default="vi"
    )
    file = models.FileField(
        _("tệp âm thanh"),
        upload_to=narration_upload_to,
        max_length=255,
        help_text=_("MP3, M4A (AAC) hoặc OGG; tối đa 30 MB và 20 phút."),
    )
    transcript = models.TextField(
        _("lời thuyết minh"), blank=True, help_text=_("Văn bản đầy đủ, cho người không nghe được.")
    )
    narrator = models.CharField(_("người đọc"), max_length=255, blank=True)
    duration_seconds = models.FloatField(_("thời lượng (giây)"), default=0)
    mime_type = models.CharField(max_length=40, blank=True, editable=False)
    file_size = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("relic"),
        FieldRowPanel([FieldPanel("language"), FieldPanel("narrator")]),
        FieldPanel("file"),
        FieldPanel("duration_seconds", read_only=True),
        FieldPanel("transcript"),
    ]

    class Meta:
        verbose_name = _("thuyết minh")
        verbose_name_plural = _("thuyết minh")
        ordering = ["relic__title", "language"]
        constraints = [
            models.UniqueConstraint(fields=["relic", "language"], name="one_narration_per_language")
        ]

    detected_extension = ""

    def __str__(self):
        return f"{self.relic.title} ({self.get_language_display()})"

    @property
    def duration_display(self) -> str:
        return format_duration(self.duration_seconds)

    def clean(self):
        super().clean()
        upload = self.file.file if self.file and not self.file._committed else None
        if upload is None:
            return
        try:
            info = inspect_audio(
                upload,
                self.file.size,
                max_bytes=settings.NARRATION_MAX_BYTES,
                max_seconds=settings.NARRATION_MAX_SECONDS,
            )
        except AudioError as exc:
            raise ValidationError({"file": str(exc)}) from exc
        finally:
            upload.seek(0)
        self.duration_seconds = round(info.duration_seconds, 1)
        self.mime_type, self.file_size = info.mime_type, info.size
        self.detected_extension = info.extension
