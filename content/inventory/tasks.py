"""Background tasks of the inventory room (Django's task API; `make worker` runs them)."""

from typing import Any

from django_tasks import task


@task()
def import_inventory_task(import_id: int) -> None:
    """Import a confirmed inventory upload (`content.models.InventoryImport`)."""
    from content.inventory.jobs import run_saved_import

    run_saved_import(import_id)


def confirm_import(job: Any) -> None:
    """Run now when small, else queue the task (which the immediate backend runs at once)."""
    from content.inventory.jobs import INLINE_ROWS, run_saved_import

    if job.rows_total <= INLINE_ROWS:
        run_saved_import(job.pk)
        return
    job.status = job.Status.QUEUED
    job.save(update_fields=["status"])
    import_inventory_task.enqueue(job.pk)
