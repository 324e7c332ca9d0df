from media_pipeline.models.panoramas import (
    Hotspot,
    Panorama,
    PanoramaGalleryPage,
    PanoramaPhoto,
)

__all__ = ["Hotspot", "Panorama", "PanoramaGalleryPage", "PanoramaPhoto"]
