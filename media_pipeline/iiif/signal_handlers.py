"""Deep-zoom tiles follow publishing: connected in MediaPipelineConfig.ready()."""

from django.db.models.signals import post_save


def relic_published(sender, instance, **kwargs):
    """A published relic queues tiles for its rubbings and large artifact photos."""
    from media_pipeline.iiif.processing import relic_image_ids
    from media_pipeline.iiif.tasks import schedule_tiles

    schedule_tiles(relic_image_ids(instance.specific))


def image_saved(sender, instance, created, raw=False, **kwargs):
    """A replaced file on an image that already has tiles: build them again from the new file."""
    if created or raw:
        return
    from media_pipeline.iiif.models import IIIFTileSet
    from media_pipeline.iiif.tasks import schedule_tiles

    tiles = IIIFTileSet.objects.filter(image=instance).first()
    if tiles is not None and tiles.source_name != instance.file.name:
        schedule_tiles([instance.pk])


def register():
    from wagtail.images import get_image_model
    from wagtail.signals import page_published

    from content.models import RelicPage

    page_published.connect(relic_published, sender=RelicPage, dispatch_uid="iiif_relic_published")
    post_save.connect(image_saved, sender=get_image_model(), dispatch_uid="iiif_image_saved")
