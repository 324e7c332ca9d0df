"""What a panorama may be, and where its viewer first looks.

Decided here once for the admin form, processing, ``manage.py import_panorama`` and the viewer.

Limits (documented for staff and settings):
- ``MAX_PANORAMA_PIXELS`` = 32768 × 16384 (537 million pixels) is the default of
  ``PANORAMA_MAX_PIXELS`` and the most any setting allows (``HARD_MAX_PANORAMA_PIXELS``);
  settings may lower it. An RGB JPEG is decoded a band of rows at a time and never wholly held:
  tiling a 32768×16384 one peaks at about 1.25 GB in the worker, a 16384×8192 one at about
  430 MB (``make bench-tiles``). Other images (PNG, TIFF, grayscale or CMYK JPEG, or a JPEG turned
  90° by its EXIF orientation) are decoded whole, 3 bytes a pixel, and may be at most
  ``MAX_PANORAMA_SIDE`` (29000) pixels wide; streamed JPEGs ``MAX_STREAMED_SIDE`` (32768). The
  limits are checked from the header before decoding (decompression bombs), and panoramas
  bypass Wagtail's own image pixel limit (``WAGTAILIMAGES_MAX_IMAGE_PIXELS``, 128 million)
  through their own upload path.
- ``MAX_PANORAMA_BYTES`` = 512 MiB of file, the default of ``PANORAMA_MAX_BYTES``; it holds for
  each photo of a set to stitch too.
- ``MIN_PANORAMA_WIDTH`` × ``MIN_PANORAMA_HEIGHT`` = 1024 × 256 pixels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from media_pipeline.panoramas.inspection import PanoramaInfo
    from media_pipeline.panoramas.models import Panorama

MAX_PANORAMA_PIXELS = 32768 * 16384
HARD_MAX_PANORAMA_PIXELS = MAX_PANORAMA_PIXELS
MAX_PANORAMA_BYTES = 512 * 1024 * 1024
MIN_PANORAMA_WIDTH = 1024
MIN_PANORAMA_HEIGHT = 256
# OpenCV's remap takes sources of fewer than 32767 columns and rows: an image decoded whole is
# handed to it whole (and costs 3 bytes a pixel), a streamed JPEG a slice at a time.
MAX_PANORAMA_SIDE = 29000
MAX_STREAMED_SIDE = 32768
MAX_PHOTOS = 60
MAX_PHOTO_PIXELS = 100_000_000  # refuse larger files outright (decompression bombs)

# The field of view staff may type for a partial panorama (model fields = inspect_panorama's keys).
FOV_FIELDS = ("haov", "vaov", "v_offset")
# The panorama's initial-view fields and the Pannellum scene keys they set.
VIEW_FIELDS = (("initial_yaw", "yaw"), ("initial_pitch", "pitch"), ("initial_hfov", "hfov"))


def panorama_limits() -> dict[str, int]:
    """``inspect_panorama``'s limits, from settings PANORAMA_MAX_PIXELS and PANORAMA_MAX_BYTES."""
    return {"max_pixels": settings.PANORAMA_MAX_PIXELS, "max_bytes": settings.PANORAMA_MAX_BYTES}


def photo_limits() -> dict[str, int]:
    """``inspect_image``'s limits for one photo of a set to stitch."""
    return {"max_pixels": MAX_PHOTO_PIXELS, "max_bytes": settings.PANORAMA_MAX_BYTES}


def staff_fov(pano: Panorama) -> dict[str, float | None]:
    """The field of view staff typed on a panorama, as ``inspect_panorama`` takes it."""
    return {field: getattr(pano, field) for field in FOV_FIELDS}


def view_fields(pano: Panorama) -> dict[str, float | None]:
    """A panorama's initial-view fields, as ``initial_view`` and ``pannellum_view`` take them."""
    return {field: getattr(pano, field) for field, _key in VIEW_FIELDS}


def initial_view(given: Mapping[str, float | None], info: PanoramaInfo) -> dict[str, float]:
    """The initial-view fields left empty in ``given``, from the file's GPano heading and zoom.

    What staff typed wins; the file only fills the rest (rounded to 2 decimals).
    """
    view = info.initial_view()
    return {
        field: round(view[key], 2)
        for field, key in VIEW_FIELDS
        if given.get(field) is None and key in view
    }


def pannellum_view(given: Mapping[str, float | None]) -> dict[str, float]:
    """The initial-view fields that are set, as Pannellum's ``yaw``, ``pitch`` and ``hfov``."""
    return {key: value for field, key in VIEW_FIELDS if (value := given.get(field)) is not None}
