"""Which images get deep-zoom tiles, queueing them, and the run that builds and records them.

The task (``tasks.build_iiif_tiles_task``) calls :func:`process_tile_set`; the pure work is
``tiling.build_iiif_tiles``. Re-running is cheap: the published folder is named after a hash of
the source and the parameters, so an unchanged image is reused.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import ExitStack

from django.conf import settings
from wagtail.images import get_image_model

from heritage_site.storage import local_path, tile_storage
from media_pipeline.iiif.models import TILES_DIR, IIIFTileSet
from media_pipeline.iiif.tiling import GENERATOR, TilingError, build_iiif_tiles
from media_pipeline.publishing import TileSetTarget, file_sha256

# Written last: their presence marks a complete set (publishing.TileSetTarget).
TILE_MARKERS = ("build.json", "info.json")

logger = logging.getLogger(__name__)
Status = IIIFTileSet.Status
UNEXPECTED_ERROR = (
    "Lỗi hệ thống khi tạo ảnh phóng to. Ảnh gốc vẫn được giữ; hãy xuất bản lại trang. "
    "Nếu vẫn lỗi, hãy báo cho quản trị viên."
)


def base_url() -> str:
    """The public scheme and host written into info.json (static files cannot know the host)."""
    return settings.IIIF_BASE_URL.rstrip("/")


def tiles_version(source_sha256: str, base: str, tile_size: int) -> str:
    key = f"{GENERATOR}|{source_sha256}|{base}|{tile_size}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def relic_image_ids(page) -> set[int]:
    """The images of a relic that deserve deep zoom: every rubbing, and large artifact photos."""
    ids = {i.rubbing_image_id for i in page.inscriptions.all() if i.rubbing_image_id}
    candidates = set()
    for art in page.artifacts.all():
        candidates.update(i for i in [art.image_id, *art.extra_image_ids()] if i)
    if candidates:
        side = settings.IIIF_ARTIFACT_MIN_SIDE
        large = get_image_model().objects.filter(pk__in=candidates)
        ids.update(img.pk for img in large if max(img.width or 0, img.height or 0) >= side)
    return ids


class _Progress:
    """Writes progress to the row at most every few percent."""

    def __init__(self, pk: int) -> None:
        self.pk, self.written = pk, -1

    def __call__(self, fraction: float) -> None:
        percent = int(99 * max(0.0, min(1.0, fraction)))
        if percent >= self.written + 3:
            IIIFTileSet.objects.filter(pk=self.pk).update(progress=percent)
            self.written = percent


def process_tile_set(image_id: int, *, force: bool = False) -> str:
    """Build and publish image ``image_id``'s tiles; record status, progress, a Vietnamese error."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return "missing"
    tiles, _created = IIIFTileSet.objects.get_or_create(image=image)
    rows = IIIFTileSet.objects.filter(pk=tiles.pk)
    rows.update(status=Status.PROCESSING, progress=0, error_message="")
    stack = ExitStack()
    try:
        if not image.file or not image.file.storage.exists(image.file.name):
            raise TilingError("Không tìm thấy tệp ảnh gốc trên máy chủ.", "missing")
        src = stack.enter_context(local_path(image.file))  # a copy when it lives in a bucket
        tile_size = settings.IIIF_TILE_SIZE
        version = tiles_version(file_sha256(src), base_url(), tile_size)
        base_id = f"{base_url()}{settings.MEDIA_URL}{TILES_DIR}/{image.pk}/{version}"
        target = stack.enter_context(
            TileSetTarget(tile_storage(), f"{TILES_DIR}/{image.pk}", version, TILE_MARKERS)
        )
        result = build_iiif_tiles(
            src,
            target.dir,
            base_id,
            tile_size,
            max_pixels=settings.IIIF_MAX_PIXELS,
            progress=_Progress(tiles.pk),
            force=force,
        )
        target.publish(reused=result.reused)
        source_bytes = src.stat().st_size
    except TilingError as e:
        stack.close()
        rows.update(status=Status.FAILED, progress=0, error_message=e.message)
        return Status.FAILED
    except Exception:
        stack.close()
        logger.exception("iiif tiles of image %s failed", image_id)
        rows.update(status=Status.FAILED, progress=0, error_message=UNEXPECTED_ERROR)
        raise
    rows.update(
        status=Status.READY,
        progress=100,
        error_message="",
        source_name=image.file.name,
        source_bytes=source_bytes,
        version=version,
        base_id=base_id,
        width=result.width,
        height=result.height,
        info=result.info,
        tile_count=result.tile_count,
    )
    with stack:  # the row points at the new version: the others can go
        target.prune()
    logger.info(
        "iiif image %s: %s tiles (version %s)%s",
        image_id,
        result.tile_count,
        version,
        " (reused)" if result.reused else "",
    )
    return Status.READY
