from media_pipeline.models.panoramas import (
    Hotspot,
    Panorama,
    PanoramaGalleryPage,
    PanoramaPhoto,
)
from media_pipeline.models.qr import DailyScanCount, PlaqueBatch, ShortCode, ShortCodeHistory

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
