from media_pipeline.panoramas.models import (
    Hotspot,
    Panorama,
    PanoramaGalleryPage,
    PanoramaPhoto,
)
from media_pipeline.qr.models import DailyScanCount, PlaqueBatch, ShortCode, ShortCodeHistory

__all__ = [
    "DailyScanCount",
    "Hotspot",
    "Panorama",
    "PanoramaGalleryPage",
    "PanoramaPhoto",
    "PlaqueBatch",
    "ShortCode",
    "ShortCodeHistory",
]
