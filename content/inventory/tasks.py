"""Background tasks of the inventory room (Django's task API; `make worker` runs them)."""

from typing import Any

from django.db import transaction
from django_tasks import task


@task()
def import_inventory_task(import_id: int) -> None:
    """Import a confirmed inventory upload (`content.models.InventoryImport`)."""
    from content.inventory.jobs import run_saved_import

    run_saved_import(import_id)


@task()
def preview_inventory_task(import_id: int) -> None:
    """Check a large inventory upload row by row (the preview staff confirm from)."""
    from content.inventory.jobs import run_saved_preview

    run_saved_preview(import_id)


def _queue(job: Any, status: str, next_task: Any) -> None:
    """Set the status and enqueue in one transaction, so recovery never sees one without the
    other; staff starting a job again start its count of runs again."""
    with transaction.atomic():
        type(job).objects.filter(pk=job.pk).update(
            status=status, rows_done=0, heartbeat_at=None, attempts=0, message=""
        )
        next_task.enqueue(job.pk)


def schedule_preview(job: Any) -> None:
    _queue(job, job.Status.CHECKING, preview_inventory_task)


def start_preview(job: Any, data_bytes: int) -> None:
    """Preview a kept upload now when its data are small, else in the worker."""
    from django.conf import settings

    from content.inventory.jobs import run_saved_preview

    if data_bytes > settings.INVENTORY_INLINE_PREVIEW_BYTES:
        schedule_preview(job)
    else:
        run_saved_preview(job.pk)


def confirm_import(job: Any) -> None:
    """Run now when small, else queue the task (which the immediate backend runs at once)."""
    from content.inventory.jobs import INLINE_ROWS, run_saved_import

    if job.rows_total <= INLINE_ROWS:
        run_saved_import(job.pk)
        return
    _queue(job, job.Status.QUEUED, import_inventory_task)


def retry(job: Any) -> None:
    """Staff's "Thử lại" on a failed upload: check it again, or import it again."""
    if job.preview:
        _queue(job, job.Status.QUEUED, import_inventory_task)
    else:
        schedule_preview(job)


def inventory_jobs() -> list:
    """Previews and imports as jobs that recovery watches (see heritage_site.recovery)."""
    from django.utils import timezone

    from content.models import InventoryImport
    from heritage_site.jobs import JobKind

    Status = InventoryImport.Status

    def failed(reason: str) -> dict:
        return {"status": Status.FAILED, "message": reason, "finished_at": timezone.now()}

    return [
        JobKind(
            model=InventoryImport,
            task=preview_inventory_task,
            active=(Status.CHECKING,),
            queued=Status.CHECKING,
            failed=failed,
        ),
        JobKind(
            model=InventoryImport,
            task=import_inventory_task,
            active=(Status.QUEUED, Status.RUNNING),
            queued=Status.QUEUED,
            failed=failed,
        ),
    ]
