"""The admin form for panoramas: every upload is inspected before anything is saved."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from content.models import Artifact, Inscription
from content.uploads import rename_upload
from heritage_site.storage import local_path as stored_path
from media_pipeline.panoramas.inspection import PanoramaError, inspect_image, inspect_panorama
from media_pipeline.panoramas.limits import (
    FOV_FIELDS,
    MAX_PHOTOS,
    initial_view,
    panorama_limits,
    photo_limits,
)
from media_pipeline.panoramas.models import Panorama, PanoramaPhoto

# A file that is a sound image but lacks its field of view is saved (marked failed, with the
# message), so that staff can type the angles in and retry without uploading it again.
FIXABLE_BY_STAFF = {"needs_fov", "bad_gpano"}
PANORAMA_KINDS = {"jpg": "jpg", "png": "png", "tif": "tif"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input multiple>, cleaned one by one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


@contextmanager
def local_path(upload: UploadedFile):
    """A filesystem path for an upload: Django's own temporary file, or a copy of a small one."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(prefix="panorama-upload-") as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        upload.seek(0)
        yield Path(tmp.name)


class PanoramaForm(WagtailAdminModelForm):
    """Checks the original (or the photos to stitch) and the field of view; then queues the work."""

    photo_files = MultipleFileField(
        label=_("Hoặc: các ảnh chụp chồng nhau để ghép"),
        required=False,
        help_text=_(
            "Từ 2 ảnh trở lên, chụp xoay quanh một điểm, mỗi ảnh trùng 30–50% với ảnh bên cạnh. "
            "Chọn ảnh mới sẽ thay bộ ảnh cũ."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixable_error = ""
        hotspots = self.formsets.get("hotspots") if hasattr(self, "formsets") else None
        if hotspots is not None:
            hotspots.form = _hotspot_form_for(hotspots.form, self.instance)

    def clean(self):
        cleaned = self._clean_files()
        if not self.errors:
            # Stored under generated names with the extension of their content
            # (content.uploads); renamed before the model instance takes the files.
            original = cleaned.get("original")
            if isinstance(original, UploadedFile):
                rename_upload(original, allowed=PANORAMA_KINDS)
            for photo in cleaned.get("photo_files") or []:
                rename_upload(photo, allowed=PANORAMA_KINDS)
        return cleaned

    def _clean_files(self):
        cleaned = super().clean()
        original = cleaned.get("original")
        photos = cleaned.get("photo_files") or []
        new_original = isinstance(original, UploadedFile)
        if photos and new_original:
            self.add_error(
                "photo_files",
                _("Hãy chọn một ảnh 360° hoặc một bộ ảnh để ghép, không chọn cả hai."),
            )
            return cleaned
        if photos:
            self._check_photos(photos)
            return cleaned
        has_photos = self.instance.pk and self.instance.photos.exists()
        if not original and not has_photos:
            self.add_error("original", _("Hãy tải lên ảnh 360° hoặc các ảnh chụp để ghép."))
            return cleaned
        fov_changed = any(f in self.changed_data for f in FOV_FIELDS)
        if original and (new_original or fov_changed):
            self._check_panorama(original, cleaned)
        return cleaned

    def _check_panorama(self, original, cleaned) -> None:
        fov = {f: cleaned.get(f) for f in FOV_FIELDS}
        try:
            if isinstance(original, UploadedFile):
                with local_path(original) as path:
                    info = inspect_panorama(path, **panorama_limits(), **fov)
            else:  # the stored file, wherever the storage keeps it
                with stored_path(original) as path:
                    info = inspect_panorama(path, **panorama_limits(), **fov)
        except PanoramaError as e:
            if e.code in FIXABLE_BY_STAFF:
                self.fixable_error = e.message
            else:
                self.add_error("haov" if e.code == "bad_fov" else "original", e.message)
            return
        cleaned.update(initial_view(cleaned, info))  # the file fills what staff left empty

    def _check_photos(self, photos) -> None:
        if len(photos) < 2:
            self.add_error("photo_files", _("Cần ít nhất 2 ảnh chụp chồng lên nhau để ghép."))
            return
        if len(photos) > MAX_PHOTOS:
            self.add_error(
                "photo_files", _("Tối đa %(n)d ảnh cho một lần ghép.") % {"n": MAX_PHOTOS}
            )
            return
        for number, photo in enumerate(photos, 1):
            try:
                with local_path(photo) as path:
                    header = inspect_image(path, **photo_limits())
            except PanoramaError as e:
                self.add_error("photo_files", f"Ảnh số {number} ({photo.name}): {e.message}")
                continue
            if header.format == "TIFF":
                self.add_error(
                    "photo_files", f"Ảnh số {number} ({photo.name}): hãy dùng ảnh JPEG hoặc PNG."
                )

    def save(self, commit=True):
        from media_pipeline.panoramas.tasks import schedule_panorama

        changed = bool({"original", "photo_files", *FOV_FIELDS} & set(self.changed_data))
        instance = super().save(commit=commit)
        if not commit:
            return instance
        photos = self.cleaned_data.get("photo_files") or []
        # Replaced files stay on disk (originals are kept); only what the row points to changes.
        if photos:
            instance.photos.all().delete()
            for n, upload in enumerate(photos):
                PanoramaPhoto.objects.create(panorama=instance, file=upload, sort_order=n)
            if instance.original:
                instance.original = ""
                instance.save(update_fields=["original"])
        elif "original" in self.changed_data and instance.original:
            instance.photos.all().delete()
        if self.fixable_error:
            # Known to fail until staff give the angles: say so now rather than after the queue.
            Panorama.objects.filter(pk=instance.pk).update(
                status=Panorama.Status.FAILED, progress=0, error_message=self.fixable_error
            )
        elif changed or instance.status == Panorama.Status.FAILED:
            schedule_panorama(instance.pk)
        return instance


def _hotspot_form_for(base: type[forms.ModelForm], panorama: Panorama) -> type[forms.ModelForm]:
    """Hotspot forms offering only this relic's inscriptions and artifacts (a district has
    hundreds of thousands), and any panorama but this one as a scene target."""
    relic_id = panorama.relic_id

    class HotspotForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            fields = self.fields
            fields["target_inscription"].queryset = Inscription.objects.filter(relic_id=relic_id)
            fields["target_artifact"].queryset = Artifact.objects.filter(relic_id=relic_id)
            targets = Panorama.objects.exclude(pk=panorama.pk) if panorama.pk else Panorama.objects
            fields["target_panorama"].queryset = targets.all()

    HotspotForm.__name__ = base.__name__
    return HotspotForm
