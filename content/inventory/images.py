"""Match the image names in an inventory's "Ảnh" column to the files of an uploaded ZIP."""

from __future__ import annotations

import io
import posixpath
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .issues import InventoryFileError, format_size

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff"})
MAX_IMAGE_BYTES = 40 * 1024 * 1024
MAX_ZIP_MEMBERS = 50_000


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: ZIPs made on Windows without the UTF-8 flag store cp1258/cp437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437")
        for codec in ("utf-8", "cp1258"):
            try:
                name = raw.decode(codec)
                break
            except UnicodeDecodeError:
                continue
    return unicodedata.normalize("NFC", name)


def _match_key(name: str) -> str:
    return unicodedata.normalize("NFC", posixpath.basename(name.replace("\\", "/"))).casefold()


@dataclass
class ImageIndex:
    """Images in a ZIP by case-folded file name; folders in the ZIP do not matter."""

    path: Path
    by_name: dict[str, zipfile.ZipInfo]
    by_stem: dict[str, zipfile.ZipInfo]
    ambiguous: frozenset[str]
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)

    @classmethod
    def from_zip(cls, path: str | Path) -> ImageIndex:
        path = Path(path)
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise InventoryFileError("Tệp ảnh không phải tệp ZIP hợp lệ.") from exc
        if len(infos) > MAX_ZIP_MEMBERS:
            raise InventoryFileError(f"Tệp ZIP có quá nhiều tệp (hơn {MAX_ZIP_MEMBERS}).")
        by_name: dict[str, zipfile.ZipInfo] = {}
        by_stem: dict[str, zipfile.ZipInfo] = {}
        ambiguous: set[str] = set()
        for info in infos:
            name = _member_name(info)
            base = posixpath.basename(name)
            if info.is_dir() or name.startswith("__MACOSX/") or base.startswith("."):
                continue
            if posixpath.splitext(base)[1].lower() not in IMAGE_EXTENSIONS:
                continue
            key = _match_key(name)
            if key in by_name:
                ambiguous.add(key)
            by_name[key] = info
            by_stem.setdefault(posixpath.splitext(key)[0], info)
        return cls(path, by_name, by_stem, frozenset(ambiguous))

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The ZIP member for a name from the sheet: exact name, or name without extension."""
        key = _match_key(name)
        return self.by_name.get(key) or self.by_stem.get(posixpath.splitext(key)[0])

    def problems(self, names: tuple[str, ...]) -> list[str]:
        """Warnings for a row's image names: missing, ambiguous or oversized files."""
        found: list[str] = []
        for name in names:
            info = self.find(name)
            if info is None:
                found.append(f"Không thấy ảnh “{name}” trong tệp ZIP.")
            elif _match_key(name) in self.ambiguous:
                found.append(f"Tệp ZIP có nhiều ảnh tên “{name}” ở các thư mục khác nhau.")
            elif info.file_size > MAX_IMAGE_BYTES:
                found.append(
                    f"Ảnh “{name}” quá lớn ({format_size(info.file_size)}), "
                    f"giới hạn {format_size(MAX_IMAGE_BYTES)}."
                )
        return found

    def read(self, name: str) -> bytes:
        """The image's bytes (checked against the size limit first); close() when done."""
        info = self.find(name)
        if info is None or info.file_size > MAX_IMAGE_BYTES:
            raise KeyError(name)
        with self._member(info) as stream:
            return stream.read()

    def _member(self, info: zipfile.ZipInfo) -> IO[bytes]:
        if self._zip is None:  # opened once: 20,000 images must not re-read the directory each
            self._zip = zipfile.ZipFile(self.path)
        return self._zip.open(info)

    def header_problem(self, name: str, max_pixels: int) -> str | None:
        """Why the named image cannot be used, from its header only (cheap), or None."""
        info = self.find(name)
        if info is None:
            return f"Không thấy ảnh “{name}” trong tệp ZIP."
        if info.file_size > MAX_IMAGE_BYTES:
            return (
                f"Ảnh “{name}” quá lớn ({format_size(info.file_size)}), "
                f"giới hạn {format_size(MAX_IMAGE_BYTES)}."
            )
        from PIL import Image, UnidentifiedImageError

        try:
            with self._member(info) as stream, Image.open(stream) as image:
                width, height = image.size
        except (UnidentifiedImageError, OSError, zipfile.BadZipFile, ValueError):
            return f"Tệp “{name}” trong ZIP không phải ảnh đọc được."
        except Image.DecompressionBombError:
            width, height = max_pixels, 2  # over any limit: reported below
        if width * height > max_pixels:
            return (
                f"Ảnh “{name}” quá nhiều điểm ảnh ({width}×{height}), "
                f"giới hạn {max_pixels // 1_000_000} triệu."
            )
        return None

    def load(self, name: str, max_pixels: int) -> bytes:
        """The image's bytes after its header and its whole content were checked.

        Raises ValueError with a message for staff when the image cannot be used.
        """
        problem = self.header_problem(name, max_pixels)
        if problem:
            raise ValueError(problem)
        data = self.read(name)
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception as exc:  # Pillow raises many kinds for a broken file
            raise ValueError(f"Ảnh “{name}” bị hỏng, không đọc hết được.") from exc
        return data

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self) -> ImageIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
