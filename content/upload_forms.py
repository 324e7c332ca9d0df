"""Wagtail's image and document forms, checked by content and stored under generated names.

Set as WAGTAILIMAGES_IMAGE_FORM_BASE and WAGTAILDOCS_DOCUMENT_FORM_BASE, so the single and the
multiple uploaders of both use them. Messages are for staff, in Vietnamese.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from content.text import vietnamese_slugify
from content.uploads import rename_upload, sniff

IMAGE_KINDS = {"jpg": "jpg", "png": "png", "webp": "webp", "gif": "gif"}
DOCUMENT_KINDS = {"pdf": "pdf", "zip": "zip", "xlsx": "xlsx", "txt": "txt"}


class CheckedImageField(WagtailImageField):
    """Wagtail's image field that counts pixels from the header before anything is decoded,
    and turns a file the image library cannot read (truncated, corrupt) into a form error."""

    def to_python(self, data):
        if data in self.empty_values or not getattr(data, "size", 1):
            return super().to_python(data)  # Django's own messages: no file, empty file
        stream = data.file if hasattr(data, "file") else data
        if sniff(stream) not in IMAGE_KINDS:
            raise forms.ValidationError(
                _("Tệp này không phải ảnh JPEG, PNG, WebP hay GIF (đã kiểm tra nội dung tệp)."),
                code="invalid_image",
            )
        self._check_header(stream)
        try:
            return super().to_python(data)
        except forms.ValidationError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            # Pillow raises these for a truncated or corrupt file while Willow decodes it.
            raise forms.ValidationError(
                _("Ảnh bị hỏng hoặc tải lên chưa hết, không đọc được. Hãy tải lên lại tệp gốc."),
                code="invalid_image",
            ) from exc

    def _check_header(self, stream) -> None:
        from PIL import Image, UnidentifiedImageError

        limit = self.max_image_pixels
        stream.seek(0)
        try:
            with Image.open(stream) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
        except Image.DecompressionBombError:
            width, height, frames = limit or 1, 2, 1
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise forms.ValidationError(
                _("Ảnh bị hỏng hoặc tải lên chưa hết, không đọc được. Hãy tải lên lại tệp gốc."),
                code="invalid_image",
            ) from exc
        finally:
            stream.seek(0)
        if limit and width * height * frames > limit:
            raise forms.ValidationError(
                _("Ảnh có quá nhiều điểm ảnh (%(w)d×%(h)d); giới hạn %(limit)d triệu điểm ảnh.")
                % {"w": width, "h": height, "limit": limit // 1_000_000},
                code="file_too_many_pixels",
            )


class CheckedImageForm(BaseImageForm):
    """Images: checked as above, then stored as ``<random>.<format>``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            self.fields["file"] = CheckedImageField(
                label=field.label, required=field.required, widget=field.widget
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            rename_upload(upload, allowed=IMAGE_KINDS)
        return upload


class CheckedDocumentForm(BaseDocumentForm):
    """Documents: PDF, ZIP, XLSX, CSV or plain text by content, stored as ``<name>-<random>.<ext>``
    and always downloaded, never shown inline (WAGTAILDOCS_INLINE_CONTENT_TYPES is empty)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data:
            return upload
        declared = Path(upload.name).suffix.lower().lstrip(".")
        kinds = {**DOCUMENT_KINDS, "txt": "csv" if declared == "csv" else "txt"}
        if sniff(upload.file) not in kinds:
            raise forms.ValidationError(
                _(
                    "Chỉ nhận tài liệu PDF, ZIP, XLSX, CSV hoặc văn bản thuần "
                    "(đã kiểm tra nội dung tệp, không theo tên tệp)."
                ),
                code="invalid_document",
            )
        stem = vietnamese_slugify(Path(upload.name).stem, max_length=40) or "tai-lieu"
        rename_upload(upload, allowed=kinds, stem=stem)
        return upload
