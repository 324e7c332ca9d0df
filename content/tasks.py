"""Background tasks of the content app (Django's task API; `make worker` runs them)."""

from django_tasks import task


@task()
def import_inventory_task(import_id: int) -> None:
    """Import a confirmed inventory upload (`content.models.InventoryImport`)."""
    from content.inventory.jobs import run_saved_import

    run_saved_import(import_id)
