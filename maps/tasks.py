"""Background tasks of the maps app: thin wrappers that take ids and call plain functions."""

from django.db import transaction
from django_tasks import task


@task()
def import_geodata_task(import_id: int, user_id: int | None = None) -> str:
    """Import a file staff confirmed; its GeoImport records the status and the outcome."""
    from maps.importer import run_geo_import

    return run_geo_import(import_id, user_id)


def queue_geo_import(geo_import, user_id: int | None) -> None:
    """Mark the import running and enqueue it in one transaction (recovery sees both or
    neither); staff confirming or retrying start its count of runs again."""
    from maps.models import GeoImport

    with transaction.atomic():
        GeoImport.objects.filter(pk=geo_import.pk).update(
            status=GeoImport.Status.RUNNING, heartbeat_at=None, attempts=0, finished_at=None
        )
        import_geodata_task.enqueue(geo_import.pk, user_id)


def geo_import_jobs() -> list:
    """Geodata imports as jobs that recovery watches (see heritage_site.recovery)."""
    from django.utils import timezone

    from heritage_site.jobs import JobKind
    from maps.models import GeoImport

    return [
        JobKind(
            model=GeoImport,
            task=import_geodata_task,
            active=(GeoImport.Status.RUNNING,),
            queued=GeoImport.Status.RUNNING,
            failed=lambda reason: {
                "status": GeoImport.Status.FAILED,
                "result": {"summary": reason},
                "finished_at": timezone.now(),
            },
            args=lambda job: (job.pk, job.created_by_id),
        )
    ]
