"""Which images get deep-zoom tiles, queueing them, and the run that builds and records them.

The task (``tasks.build_iiif_tiles_task``) calls :func:`process_tile_set`; the pure work is
``tiling.build_iiif_tiles``. Re-running is cheap: the published folder is named after a hash of
the source and the parameters, so an unchanged image is reused.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from wagtail.images import get_image_model

from media_pipeline.iiif.models import TILES_DIR, IIIFTileSet
from media_pipeline.iiif.tiling import GENERATOR, TilingError, build_iiif_tiles
from media_pipeline.publishing import file_sha256, remove_other_versions

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
    try:
        src = Path(image.file.path)
        if not src.exists():
            raise TilingError("Không tìm thấy tệp ảnh gốc trên máy chủ.", "missing")
        tile_size = settings.IIIF_TILE_SIZE
        version = tiles_version(file_sha256(src), base_url(), tile_size)
        root = Path(settings.MEDIA_ROOT) / TILES_DIR / str(image.pk)
        base_id = f"{base_url()}{settings.MEDIA_URL}{TILES_DIR}/{image.pk}/{version}"
        result = build_iiif_tiles(
            src,
            root / version,
            base_id,
            tile_size,
            max_pixels=settings.IIIF_MAX_PIXELS,
            progress=_Progress(tiles.pk),
            force=force,
        )
        remove_other_versions(root, version)
    except TilingError as e:
        rows.update(status=Status.FAILED, progress=0, error_message=e.message)
        return Status.FAILED
    except Exception:
        logger.exception("iiif tiles of image %s failed", image_id)
        rows.update(status=Status.FAILED, progress=0, error_message=UNEXPECTED_ERROR)
        raise
    rows.update(
        status=Status.READY,
        progress=100,
        error_message="",
        source_name=image.file.name,
        source_bytes=src.stat().st_size,
        version=version,
        base_id=base_id,
        width=result.width,
        height=result.height,
        info=result.info,
        tile_count=result.tile_count,
    )
    logger.info(
        "iiif image %s: %s tiles (version %s)%s",
        image_id,
        result.tile_count,
        version,
        " (reused)" if result.reused else "",
    )
    return Status.READY
