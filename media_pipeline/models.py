from media_pipeline.iiif.models import IIIFTileSet
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
    "IIIFTileSet",
    "Panorama",
    "PanoramaGalleryPage",
    "PanoramaPhoto",
    "PlaqueBatch",
    "ShortCode",
    "ShortCodeHistory",
]
