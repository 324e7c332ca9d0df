"""Uploads kept as `InventoryImport`: preview on upload, import on confirm (inline or a task).

The upload request only keeps the files and reads the spreadsheet's first bytes and zip
directory (`identify_file`); a file whose data are larger than INVENTORY_INLINE_PREVIEW_BYTES
is previewed by the worker (`preview_inventory_task`), with rows read so far on the row, and
the admin page reloads itself meanwhile. Each run beats on the row (`keep_alive`), so
`heritage_site.recovery` finds a run whose process died.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import connection, connections, transaction
from django.utils import timezone

from content.inventory.columns import LAYOUTS, RecordKind
from content.inventory.export import save_rejects
from content.inventory.issues import InventoryFileError
from content.inventory.plan import ACTION_LABELS, Action, Preview
from content.inventory.readers import identify_file
from content.inventory.service import import_file, limits, preview_file
from content.uploads import sniff, stored_name
from heritage_site.jobs import keep_alive
from heritage_site.storage import local_path

logger = logging.getLogger(__name__)
# Up to this many rows an import runs in the request; above, in the background worker.
INLINE_ROWS = 2000
# What a spreadsheet upload may be stored as (text is CSV); anything else is kept as .bin
# until its reader refuses it.
SPREADSHEET_KINDS = {"xlsx": "xlsx", "xls": "xls", "zip": "zip", "txt": "csv"}


def preview_json(preview: Preview) -> dict[str, Any]:
    """The preview as stored on the model: counts, messages and one short list per row."""
    return {
        "file_errors": preview.file_errors,
        "notes": preview.notes,
        "counts": {action.value: preview.counts.get(action, 0) for action in Action},
        "summary": preview.summary(),
        "ok": preview.ok,
        "items": [
            [i.kind.value, i.row, " / ".join(i.key), i.action.value, i.reason, list(i.warnings)]
            for i in preview.items
        ],
    }


def create_import(
    upload: Any,
    *,
    user: Any,
    images: Any = None,
    kind: str = "",
    encoding: str = "",
    mode: str = "all_or_nothing",
) -> tuple[Any, int | None]:
    """Keep the uploaded files and glance at the spreadsheet (its first bytes, an XLSX's zip
    directory): the job, and the bytes its data take (None: refused at a glance). The caller
    previews it (`content.inventory.tasks.start_preview`)."""
    from content.models import InventoryImport

    job = InventoryImport(
        original_name=Path(upload.name).name[:255],
        kind=kind,
        encoding=encoding,
        mode=mode,
        status=InventoryImport.Status.CHECKING,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    # Generated names, extensions from the content: never the uploader's `evil.html`.
    job.file.save(stored_name(SPREADSHEET_KINDS.get(sniff(upload) or "")), upload, save=False)
    if images:
        job.images_name = Path(images.name).name[:255]
        job.images.save(stored_name("zip" if sniff(images) == "zip" else None), images, save=False)
    job.save()
    try:
        with local_path(job.file) as path:
            _format, size = identify_file(path, limits())  # the first bytes, the zip directory
    except InventoryFileError as exc:
        _record_preview(job, Preview(file_errors=[exc.message]))
        return job, None
    return job, size


def run_saved_preview(job_id: int) -> Any:
    """The dry run of a kept upload, rows read so far recorded on the row as it goes."""
    from content.models import InventoryImport

    job = InventoryImport.objects.get(pk=job_id)
    if job.status != InventoryImport.Status.CHECKING:
        return job
    rows = InventoryImport.objects.filter(pk=job.pk)

    def progress(done: int, expected: int | None) -> None:
        rows.update(rows_done=done, rows_total=max(expected or 0, done))

    with keep_alive(InventoryImport, job.pk):
        try:
            with local_path(job.file) as path, local_path(job.images) as images_path:
                preview = preview_file(
                    path,
                    user=job.created_by,
                    kind=job.kind or None,
                    encoding=job.encoding or None,
                    images=images_path,
                    progress=progress,
                )
        except Exception as exc:  # recorded for staff, who may try again
            logger.exception("Inventory preview %s failed", job.pk)
            _fail(job, f"Lỗi hệ thống khi kiểm tra tệp ({exc.__class__.__name__}).")
            return job
        _record_preview(job, preview)
    return job


def _record_preview(job: Any, preview: Preview) -> None:
    job.preview = preview_json(preview)
    job.rows_total, job.rows_done = len(preview.items), 0
    job.status = job.Status.REFUSED if preview.file_errors else job.Status.PREVIEWED
    job.message = " ".join(preview.file_errors)
    fields = ["preview", "rows_total", "rows_done", "status", "message"]
    if preview.file_errors:
        # A refused upload is not kept: the record of the refusal is enough.
        job.file.delete(save=False)
        job.images.delete(save=False)
        fields += ["file", "images"]
    job.save(update_fields=fields)


def can_confirm(job: Any) -> bool:
    """Something to write, and nothing that stops the chosen mode."""
    preview = job.preview
    if job.status != job.Status.PREVIEWED or preview.get("file_errors"):
        return False
    counts = preview.get("counts", {})
    if not counts.get("create") and not counts.get("update"):
        return False
    return job.mode == job.Mode.GOOD_ROWS or not counts.get("error")


def _progress(job_id: int) -> Any:
    """Record rows done through a second connection, seen while the import's transaction runs.

    SQLite has one writer at a time, so there the page shows the phase only.
    """
    if connection.vendor == "sqlite":
        return None
    side = connections.create_connection("default")

    def report(rows: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(
                "UPDATE content_inventoryimport SET rows_done = %s WHERE id = %s", [rows, job_id]
            )

    report.connection = side
    return report


def run_saved_import(job_id: int) -> Any:
    """Import a previewed upload; the outcome, and a file of bad rows, go on the model.

    The rows and the outcome are written in one transaction: a run that dies leaves neither,
    and recovery, finding the heartbeat stopped, runs it again.
    """
    from content.models import InventoryImport

    job = InventoryImport.objects.get(pk=job_id)
    if job.finished or job.status == InventoryImport.Status.RUNNING:
        return job
    job.status = InventoryImport.Status.RUNNING
    job.save(update_fields=["status"])
    with keep_alive(InventoryImport, job.pk):
        _run_import(job)
    return job


_RESULT_FIELDS = ["result", "preview", "rows_done", "rejects", "status", "message", "finished_at"]


def _run_import(job: Any) -> None:
    progress = _progress(job.pk)
    try:
        with transaction.atomic():
            with local_path(job.file) as path, local_path(job.images) as images_path:
                outcome = import_file(
                    path,
                    user=job.created_by,
                    kind=job.kind or None,
                    encoding=job.encoding or None,
                    mode=job.mode,
                    images=images_path,
                    progress=progress,
                )
            _record_outcome(job, outcome)
    except Exception as exc:  # recorded for staff; the transaction left nothing behind
        logger.exception("Inventory import %s failed", job.pk)
        _fail(job, f"Lỗi hệ thống ({exc.__class__.__name__}); chưa ghi gì vào dữ liệu.")
    finally:
        if progress is not None:
            progress.connection.close()


def _fail(job: Any, what: str) -> None:
    job.status = job.Status.FAILED
    job.message = f"{what} Hãy bấm “Thử lại”; nếu vẫn lỗi, hãy báo quản trị viên."
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])


def _record_outcome(job: Any, outcome: Any) -> None:
    from content.models import InventoryImport

    result = outcome.result
    written = {a.value: result.written.get(a, 0) for a in (Action.CREATE, Action.UPDATE)}
    job.result = {
        "written": written,
        "rejected": len(result.rejected),
        "images_created": outcome.images_created,
        "image_notes": outcome.image_notes[:200],
        "summary": written_summary(written, len(result.rejected)),
    }
    job.preview = preview_json(result.preview)
    job.rows_done = sum(written.values())
    if result.rejected:
        _save_rejects(job, result.rejected)
    applied = result.applied or not result.preview.items
    job.status = InventoryImport.Status.DONE if applied else InventoryImport.Status.REFUSED
    if not applied:
        job.message = "Không nhập: " + (
            " ".join(result.preview.file_errors) or "tệp có dòng lỗi (xem bảng dưới đây)."
        )
    job.finished_at = timezone.now()
    job.save(update_fields=_RESULT_FIELDS)


def written_summary(written: dict[str, int], rejected: int) -> str:
    parts = [
        f"{ACTION_LABELS[Action.CREATE]}: {written.get('create', 0)}",
        f"{ACTION_LABELS[Action.UPDATE]}: {written.get('update', 0)}",
    ]
    if rejected:
        parts.append(f"không nhập vì lỗi: {rejected}")
    return ", ".join(parts)


def _save_rejects(job: Any, rejected: list[tuple[RecordKind, dict[str, Any], list[str]]]) -> None:
    kinds = {kind for kind, _raw, _errors in rejected}
    as_csv = Path(job.original_name).suffix.lower() in (".csv", ".txt") and len(kinds) == 1
    stem = Path(job.original_name).stem
    name = f"{stem}-dong-loi.{'csv' if as_csv else 'xlsx'}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        save_rejects(path, rejected, as_csv=as_csv)
        with path.open("rb") as fh:
            job.rejects.save(name, File(fh), save=False)


def kind_label(kind: str) -> str:
    return LAYOUTS[RecordKind(kind)].label
