"""Image names of an inventory row → Wagtail images: from the uploaded ZIP, or the library.

At preview (`review`) a name must be usable: found in the ZIP with a readable header within the
pixel limit, or already in the library (by title or file name); otherwise it is dropped with a
warning, never an error. When saving (`ids`), ZIP images are read whole, verified and stored
once: an image with the same content (Wagtail's SHA-1 `file_hash`) is reused.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from typing import Any

from django.conf import settings

from content.inventory.columns import RecordKind
from content.inventory.django_records import ImageNames, image_columns, image_name
from content.inventory.images import ImageIndex
from content.inventory.validate import CheckedRow
from content.uploads import bytes_name

# Columns that hold one image; an artifact's "Ảnh" holds its image and its other images.
SINGLE_IMAGE = {
    (RecordKind.RELIC, "anh"),
    (RecordKind.INSCRIPTION, "anh"),
    (RecordKind.INSCRIPTION, "anh_ban_dap"),
}


class ImageResolver:
    def __init__(self, index: ImageIndex | None, names: ImageNames, user: Any = None) -> None:
        self.index = index
        self.names = names
        self.user = user
        self.max_pixels = int(getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000))
        self.created_files: list[str] = []
        self.notes: list[str] = []
        self.created = 0
        self._known: set[str] | None = None
        self._from_zip: dict[str, int | None] = {}
        self._by_name: dict[str, int | None] = {}

    def review(self, kind: RecordKind, row: CheckedRow) -> None:
        """Keep the usable names of each image column; warn about the others."""
        for column in image_columns(kind):
            names = row.data.get(column.key)
            if not names:
                continue
            if (kind, column.key) in SINGLE_IMAGE and len(names) > 1:
                row.warnings.append(
                    f"Cột “{column.label}” chỉ nhận một ảnh; dùng “{names[0]}”, bỏ qua các ảnh sau."
                )
                names = names[:1]
            usable = []
            for name in names:
                problem = self.problem(name)
                if problem:
                    row.warnings.append(problem + " Ảnh này được bỏ qua.")
                else:
                    usable.append(name)
            if usable:
                row.data[column.key] = tuple(usable)
            else:  # nothing usable: leave the stored images as they are
                del row.data[column.key]

    def _in_zip(self, name: str) -> bool:
        return self.index is not None and self.index.find(name) is not None

    def problem(self, name: str) -> str | None:
        if self._in_zip(name):
            return self.index.header_problem(name, self.max_pixels)
        if self._known is None:
            from wagtail.images import get_image_model

            self._known = set()
            for title, file_name in get_image_model().objects.values_list("title", "file"):
                self._known.add(title.casefold())
                self._known.add(posixpath.basename(file_name).casefold())
        if name.casefold() in self._known:
            return None
        where = "trong tệp ZIP, cũng không" if self.index is not None else "tệp ZIP ảnh nào,"
        return f"Không thấy ảnh “{name}” ({where} có trong thư viện ảnh)."

    def ids(self, names: tuple[str, ...], current: list[int]) -> list[int]:
        """Image ids for the names of a row, creating images from the ZIP when needed."""
        ids: list[int] = []
        linked = {self.names.name(i): i for i in current}
        for name in names:
            if self._in_zip(name):
                image_id = self._from_zip_member(name)
            elif name in linked:
                image_id = linked[name]
            else:
                image_id = self._from_library(name)
            if image_id and image_id not in ids:
                ids.append(image_id)
        return ids

    def _from_zip_member(self, name: str) -> int | None:
        from django.core.files.images import ImageFile
        from wagtail.images import get_image_model
        from wagtail.models import Collection

        member = self.index.find(name).filename
        if member in self._from_zip:
            return self._from_zip[member]
        try:
            data = self.index.load(name, self.max_pixels)
        except (ValueError, KeyError) as exc:
            self.notes.append(str(exc.args[0]) if exc.args else name)
            self._from_zip[member] = None
            return None
        digest = hashlib.sha1(data).hexdigest()  # Wagtail's own file_hash is SHA-1
        image_model = get_image_model()
        same = image_model.objects.filter(file_hash=digest).order_by("-pk")
        found = same.filter(title=name).first() or same.first()
        if found is None:
            found = image_model(
                title=name[:255],
                collection=Collection.get_first_root_node(),
                uploaded_by_user=self.user,
                file_size=len(data),
                file_hash=digest,
            )
            # Stored under a generated name with the extension of its format, whatever the ZIP
            # member was called (a JPEG named `x.html` must not be served as a page).
            found.file = ImageFile(io.BytesIO(data), name=bytes_name(data))
            found.save()
            self.created_files.append(found.file.name)
            self.created += 1
        self.names.remember(found.pk, image_name(found.title, found.file.name))
        self._from_zip[member] = found.pk
        return found.pk

    def _from_library(self, name: str) -> int | None:
        from wagtail.images import get_image_model

        if name not in self._by_name:
            qs = get_image_model().objects.order_by("-pk")
            found = (
                qs.filter(title__iexact=name).first()
                or qs.filter(file__iendswith=f"/{name}").first()
            )
            self._by_name[name] = found.pk if found else None
        return self._by_name[name]

    def discard_files(self) -> None:
        """Remove image files written by an import that was rolled back."""
        from django.core.files.storage import default_storage

        for name in self.created_files:
            default_storage.delete(name)
        self.created_files.clear()
