"""Signal handlers of the content app, connected in ContentConfig.ready()."""

from django.db.models.signals import post_save


def ward_page_created(sender, instance, created, raw=False, **kwargs):
    """A new ward gets its editors' group at once, so staff can add people to it."""
    if created and not raw:
        from content.permissions import ensure_ward_editors

        ensure_ward_editors(instance)


def register():
    from content.models import WardPage

    post_save.connect(ward_page_created, sender=WardPage, dispatch_uid="ward_page_created")
