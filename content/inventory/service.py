"""Import and export against the database: the one path used by the admin, commands and tasks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from wagtail.signal_handlers import disable_reference_index_auto_update

from content.inventory.columns import LAYOUTS, RecordKind
from content.inventory.export import save_xlsx, write_csv
from content.inventory.images import ImageIndex
from content.inventory.issues import InventoryFileError
from content.inventory.limits import Limits
from content.inventory.plan import (
    ImportOptions,
    ImportResult,
    Mode,
    Preview,
    preview_import,
    run_import,
)


@dataclass
class Outcome:
    """What an import did (or, in a dry run, would do)."""

    result: ImportResult
    images_created: int = 0
    image_notes: list[str] = field(default_factory=list)

    @property
    def preview(self) -> Preview:
        return self.result.preview


def limits() -> Limits:
    """The INVENTORY_MAX_* settings (see .env.example and docs/inventory.md)."""
    return Limits(
        max_rows=settings.INVENTORY_MAX_ROWS,
        max_columns=settings.INVENTORY_MAX_COLUMNS,
        max_cell_chars=settings.INVENTORY_MAX_CELL_CHARS,
        max_uncompressed_bytes=settings.INVENTORY_MAX_UNCOMPRESSED_BYTES,
    )


def _options(kind: str | None, encoding: str | None, mode: Mode) -> ImportOptions:
    # The store checks image names itself (all image columns, and the library), so no index here.
    return ImportOptions(
        kind=RecordKind(kind) if kind else None,
        encoding=encoding or None,
        mode=mode,
        limits=limits(),
    )


def _image_index(images: str | Path | None) -> ImageIndex | contextlib.nullcontext:
    return ImageIndex.from_zip(images) if images else contextlib.nullcontext()


def preview_file(
    path: str | Path,
    *,
    user: Any = None,
    kind: str | None = None,
    encoding: str | None = None,
    images: str | Path | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> Preview:
    """Pass one only: what each row would do, nothing written."""
    from content.inventory.django_store import DjangoStore

    try:
        with _image_index(images) as index:
            store = DjangoStore(user=user, images=index)
            options = _options(kind, encoding, "all_or_nothing")
            return preview_import(path, store, options, progress)
    except InventoryFileError as exc:
        return Preview(file_errors=[exc.message])


def import_file(
    path: str | Path,
    *,
    user: Any = None,
    kind: str | None = None,
    encoding: str | None = None,
    mode: Mode = "all_or_nothing",
    images: str | Path | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Check and write in one database transaction: a failure anywhere leaves nothing behind."""
    from content.inventory.django_store import DjangoStore

    options = _options(kind, encoding, mode)
    try:
        with _image_index(images) as index:
            store = DjangoStore(user=user, images=index, progress=progress)
            try:
                # Artifacts are written in bulk; each touched relic's references are indexed once.
                with transaction.atomic(), disable_reference_index_auto_update():
                    result = run_import(path, store, options, dry_run=dry_run)
                    store.finish()
            except BaseException:
                store.discard_files()
                raise
            return Outcome(result, store.pictures.created, store.pictures.notes)
    except InventoryFileError as exc:
        return Outcome(ImportResult(Preview(file_errors=[exc.message])))


def export_csv(kind: RecordKind, out: IO[bytes]) -> int:
    """Every stored record of a kind as CSV (UTF-8 with BOM), streamed into `out`."""
    from content.inventory.django_records import records

    return write_csv(LAYOUTS[kind], records(kind), out)


def export_xlsx(path: str | Path, kinds: list[RecordKind]) -> dict[RecordKind, int]:
    """Records of the given kinds, one sheet each, written atomically to `path`."""
    from content.inventory.django_records import records

    return save_xlsx(path, [(kind, records(kind)) for kind in kinds])
