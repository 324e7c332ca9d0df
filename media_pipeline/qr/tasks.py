"""Background tasks for QR plaques: thin wrappers that take ids and call plain functions."""

from django_tasks import task


@task()
def make_plaques_task(batch_id: int) -> None:
    from media_pipeline.qr.plaque_batches import run_batch

    run_batch(batch_id)
