from content.models.inventory import InventoryImport
from content.models.narration import Narration
from content.models.pages import (
    HomePage,
    RelicIndexPage,
    RelicPage,
    TourismIndexPage,
    TourismPlacePage,
    WardPage,
)
from content.models.records import Artifact, Inscription
from content.models.site_settings import DistrictSettings

__all__ = [
    "Artifact",
    "DistrictSettings",
    "HomePage",
    "Inscription",
    "Narration",
    "InventoryImport",
    "RelicIndexPage",
    "RelicPage",
    "TourismIndexPage",
    "TourismPlacePage",
    "WardPage",
]
