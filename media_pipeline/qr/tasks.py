"""Background tasks for QR plaques: thin wrappers that take ids and call plain functions."""

from django_tasks import task


@task()
def make_plaques_task(batch_id: int) -> None:
    from media_pipeline.qr.plaque_batches import run_batch

    run_batch(batch_id)


def plaque_jobs() -> list:
    """Plaque batches as jobs that recovery watches (see heritage_site.recovery)."""
    from django.utils import timezone

    from heritage_site.jobs import JobKind
    from media_pipeline.qr.models import PlaqueBatch

    return [
        JobKind(
            model=PlaqueBatch,
            task=make_plaques_task,
            active=(PlaqueBatch.Status.QUEUED, PlaqueBatch.Status.RUNNING),
            queued=PlaqueBatch.Status.QUEUED,
            failed=lambda reason: {
                "status": PlaqueBatch.Status.FAILED,
                "error": reason.replace("Hãy bấm “Thử lại”", "Hãy tạo lại đợt biển này"),
                "finished_at": timezone.now(),
            },
        )
    ]
