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
        status=Panorama.Status.UPLOADED, progress=0, error_message=""
    )
    transaction.on_commit(lambda: process_panorama_task.enqueue(panorama_id, force))
