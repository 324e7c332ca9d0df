"""Background task for deep-zoom tiles: a thin wrapper that takes an image id, and its queueing."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django_tasks import task


@task()
def build_iiif_tiles_task(image_id: int, force: bool = False) -> str:
    """Build and publish one image's IIIF tiles; status and progress go on its tile set row."""
    from media_pipeline.iiif.processing import process_tile_set

    return process_tile_set(image_id, force=force)


def schedule_tiles(image_ids: Iterable[int], *, force: bool = False) -> list[int]:
    """Queue the images whose tiles are missing, failed or built from another file.

    The task runs once the saving transaction commits. Returns the ids queued.
    """
    from wagtail.images import get_image_model

    from media_pipeline.iiif.models import IIIFTileSet

    Status = IIIFTileSet.Status
    queued = []
    for image in get_image_model().objects.filter(pk__in=set(image_ids)):
        tiles, _created = IIIFTileSet.objects.get_or_create(image=image)
        up_to_date = (
            tiles.version
            and tiles.source_name == image.file.name
            and tiles.base_id.startswith(settings.IIIF_BASE_URL.rstrip("/") + "/")
        )
        if up_to_date and not force and tiles.status != Status.FAILED:
            continue
        IIIFTileSet.objects.filter(pk=tiles.pk).update(
            status=Status.QUEUED, progress=0, error_message=""
        )
        queued.append(image.pk)
    if queued:

        def enqueue(ids=tuple(queued)):
            for pk in ids:
                build_iiif_tiles_task.enqueue(pk, force)

        transaction.on_commit(enqueue)
    return queued
