"""Background tasks for panoramas: thin wrappers that take ids and call plain functions."""

from django.db import transaction
from django_tasks import task


@task()
def process_panorama_task(panorama_id: int, force: bool = False) -> str:
    """Stitch if needed, tile and publish one panorama; status and progress go on its row."""
    from media_pipeline.panoramas.processing import process_panorama

    return process_panorama(panorama_id, force=force)


def schedule_panorama(panorama_id: int, force: bool = False) -> None:
    """Mark the panorama queued and enqueue its processing once the saving transaction commits."""
    from media_pipeline.panoramas.models import Panorama

    Panorama.objects.filter(pk=panorama_id).update(
        status=Panorama.Status.UPLOADED, progress=0, error_message="", attempts=0, heartbeat_at=None
    )
    transaction.on_commit(lambda: process_panorama_task.enqueue(panorama_id, force))


def remove_stale_temporaries() -> int:
    """Tile folders half built by runs that died (`.<version>.tmp-*`, `.<version>.old-*`),
    removed unless their panorama is being processed right now."""
    from media_pipeline.panoramas.processing import remove_stale_temporaries as remove

    return remove()


def panorama_jobs() -> list:
    """Panoramas as jobs that recovery watches (see heritage_site.recovery)."""
    from heritage_site.jobs import JobKind
    from media_pipeline.panoramas.models import Panorama

    return [
        JobKind(
            model=Panorama,
            task=process_panorama_task,
            active=(Panorama.Status.UPLOADED, Panorama.Status.PROCESSING),
            queued=Panorama.Status.UPLOADED,
            failed=lambda reason: {
                "status": Panorama.Status.FAILED,
                "progress": 0,
                "error_message": reason,
            },
            since="updated_at",
            sweep=remove_stale_temporaries,
        )
    ]
