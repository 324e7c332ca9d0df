"""Wagtail finds hooks in an app's own ``wagtail_hooks``; each room registers its own."""

from media_pipeline.iiif import wagtail_hooks as iiif_hooks  # noqa: F401
from media_pipeline.panoramas import wagtail_hooks as panorama_hooks  # noqa: F401
from media_pipeline.qr import wagtail_hooks as qr_hooks  # noqa: F401
