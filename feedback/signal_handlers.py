"""Signal handlers of the feedback app, connected in FeedbackConfig.ready()."""

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.utils import timezone

from feedback.signals import feedback_posted


def schedule_contact_purge(sender, instance, **kwargs):
    """Once a day, on the first post of the day, the worker wipes contacts past retention."""
    if cache.add(f"feedback-purge:{timezone.localdate().isoformat()}", 1, timeout=2 * 86400):
        from feedback.tasks import purge_feedback_contacts_task

        purge_feedback_contacts_task.enqueue()


def report_deleted(sender, instance, **kwargs):
    """A deleted report takes its photo with it."""
    if instance.photo:
        instance.photo.delete(save=False)


def register():
    from feedback.models import Rating, Report

    for model in (Rating, Report):
        feedback_posted.connect(
            schedule_contact_purge, sender=model, dispatch_uid=f"feedback_purge_{model.__name__}"
        )
    post_delete.connect(report_deleted, sender=Report, dispatch_uid="feedback_report_deleted")
