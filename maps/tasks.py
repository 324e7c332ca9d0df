"""Background tasks of the maps app: thin wrappers that take ids and call plain functions."""

from django_tasks import task


@task()
def import_geodata_task(import_id: int, user_id: int | None = None) -> str:
    """Import a file staff confirmed; its GeoImport records the status and the outcome."""
    from maps.importer import run_geo_import

    return run_geo_import(import_id, user_id)
