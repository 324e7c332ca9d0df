"""Background work of the feedback app: thin wrappers over plain functions."""

from django_tasks import task


@task()
def purge_feedback_contacts_task() -> None:
    from feedback.retention import purge_contacts

    purge_contacts()
