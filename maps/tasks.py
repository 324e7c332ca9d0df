"""Background tasks of the maps app: thin wrappers that take ids and call plain functions."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


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


@task()
def warm_feeds_task() -> int:
    """Build the map's common feeds again after a publish (maps/warm.py)."""
    from maps.warm import warm_feeds

    return warm_feeds()


def queue_warming(**_kwargs) -> None:
    """Queue one warming per new generation (a transaction that bumps it many times, as an
    import does, queues one). Never raises: the publish that got here is saved already."""
    if not settings.MAP_WARM_FEEDS:
        return
    try:
        from heritage_site.page_cache import stored_generation

        key = f"maps.warm.{stored_generation()}"
        if caches[settings.PAGE_CACHE_ALIAS].add(key, True, 3600):
            warm_feeds_task.enqueue()
    except Exception:
        logger.exception("Không xếp hàng được việc dựng lại dữ liệu bản đồ sau khi xuất bản.")
