"""Signal handlers of the media pipeline, connected in MediaPipelineConfig.ready()."""

from django.db.models.signals import post_save, pre_delete


def relic_page_created(sender, instance, created, raw=False, **kwargs):
    """A new relic gets its permanent short code, however it was made (admin, import, demo).

    A translation or an alias shares the code of its source page instead.
    """
    if not created or raw or instance.alias_of_id:
        return
    from media_pipeline.qr.models import ShortCode
    from media_pipeline.qr.short_codes import assign_code

    codes = ShortCode.objects.filter(purpose=ShortCode.Purpose.PAGE)
    if not codes.filter(page__translation_key=instance.translation_key).exists():
        assign_code(instance)


def page_deleted(sender, instance, **kwargs):
    """A deleted page leaves its codes answering with a tombstone that names it."""
    from media_pipeline.qr.short_codes import retire_codes_of

    retire_codes_of(instance)


def register():
    from wagtail.models import Page

    from content.models import RelicPage

    post_save.connect(relic_page_created, sender=RelicPage, dispatch_uid="qr_relic_page_created")
    pre_delete.connect(page_deleted, sender=Page, dispatch_uid="qr_page_deleted")
