"""Turn a stored Panorama into published tiles: stitch if needed, inspect, tile, record status.

The task and ``manage.py import_panorama`` both call :func:`process_panorama`; the pure work is
in ``stitching``, ``panoramas`` and ``tiling``. Re-running is cheap: the published folder is
named after a hash of the source and its field of view, so an unchanged panorama is reused.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

from heritage_site.jobs import keep_alive
from media_pipeline.panoramas.inspection import FieldOfView, PanoramaError, inspect_panorama
from media_pipeline.panoramas.limits import initial_view, panorama_limits, staff_fov, view_fields
from media_pipeline.panoramas.models import Panorama
from media_pipeline.panoramas.tiling import GENERATOR, build_tile_pyramid
from media_pipeline.publishing import file_sha256, remove_other_versions

logger = logging.getLogger(__name__)

UNEXPECTED_ERROR = (
    "Lỗi hệ thống khi xử lý ảnh. Tệp gốc vẫn được giữ; hãy bấm “Thử lại”. "
    "Nếu vẫn lỗi, hãy báo cho quản trị viên."
)
DISK_FULL_ERROR = (
    "Hết chỗ lưu trữ khi cắt ảnh (ổ đĩa hoặc kho lưu trữ đã đầy). Tệp gốc và ảnh 360° đang "
    "hiển thị vẫn được giữ nguyên; hãy báo quản trị viên giải phóng dung lượng rồi bấm “Thử lại”."
)
Status = Panorama.Status


def tiles_version(source_sha256: str, fov: FieldOfView, tile_size: int) -> str:
    """A short name for what the tiles depend on: source bytes, field of view, tiler."""
    key = f"{GENERATOR}|{source_sha256}|{fov}|{tile_size}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class ProgressWriter:
    """Writes a task's progress to the row, at most every few percent, mapped into a range."""

    def __init__(self, pk: int, start: int = 0, end: int = 100) -> None:
        self.pk, self.start, self.end = pk, start, end
        self.written = -1

    def __call__(self, fraction: float) -> None:
        percent = int(self.start + (self.end - self.start) * max(0.0, min(1.0, fraction)))
        if percent >= self.written + 3 or (percent == self.end and percent != self.written):
            Panorama.objects.filter(pk=self.pk).update(progress=percent)
            self.written = percent
            pause = getattr(settings, "TEST_PROGRESS_PAUSE_SECONDS", 0)
            if pause and 0 < percent < self.end:
                # Test settings only: hold the run mid-way so a test can kill its worker.
                time.sleep(pause)


def _stitch(pano: Panorama, report: ProgressWriter) -> Path:
    """The stitched panorama for the photo set, reused when the same photos were stitched before."""
    from media_pipeline.panoramas.stitching import stitch_photos

    paths = [Path(photo.file.path) for photo in pano.photos.all()]
    key = hashlib.sha256()
    for path in paths:
        key.update(f"{path.name}|{path.stat().st_size}\n".encode())
    out = Path(settings.MEDIA_ROOT) / "panoramas" / "stitched" / str(pano.pk)
    target = out / f"{key.hexdigest()[:16]}.jpg"
    if not target.exists():
        report(0.0)
        stitch_photos(paths, target)
        for old in out.glob("*.jpg"):
            if old != target:
                old.unlink(missing_ok=True)
    report(1.0)
    return target


def source_path(pano: Panorama) -> Path:
    if not pano.original:
        raise PanoramaError(
            "Chưa có tệp ảnh: hãy tải lên ảnh 360° hoặc các ảnh để ghép.", "missing"
        )
    return Path(pano.original.path)


def process_panorama(pk: int, *, force: bool = False) -> str:
    """Publish panorama ``pk``'s tiles and record status, progress and a Vietnamese error.

    The row's heartbeat beats while this runs (`heritage_site.jobs.keep_alive`), so a run whose
    worker dies is found and queued again by `heritage_site.recovery`.
    """
    pano = Panorama.objects.filter(pk=pk).first()
    if pano is None:
        return "missing"
    Panorama.objects.filter(pk=pk).update(status=Status.PROCESSING, progress=0, error_message="")
    with keep_alive(Panorama, pk):
        return _process(pano, force)


def _process(pano: Panorama, force: bool) -> str:
    pk = pano.pk
    started = time.perf_counter()
    try:
        stitched = pano.photos.exists()
        src = _stitch(pano, ProgressWriter(pk, 0, 30)) if stitched else source_path(pano)
        info = inspect_panorama(src, **panorama_limits(), **staff_fov(pano))
        tile_size = settings.PANORAMA_TILE_SIZE
        version = tiles_version(file_sha256(src), info.fov, tile_size)
        pyramid = build_tile_pyramid(
            src,
            pano.tiles_root / version,
            tile_size,
            info=info,
            progress=ProgressWriter(pk, 30 if stitched else 0, 99),
            force=force,
        )
        remove_other_versions(pano.tiles_root, version)
    except PanoramaError as e:
        Panorama.objects.filter(pk=pk).update(
            status=Status.FAILED, progress=0, error_message=e.message
        )
        return Status.FAILED
    except OSError as e:
        if e.errno not in (errno.ENOSPC, errno.EDQUOT):
            logger.exception("panorama %s: processing failed", pk)
            Panorama.objects.filter(pk=pk).update(
                status=Status.FAILED, progress=0, error_message=UNEXPECTED_ERROR
            )
            raise
        # The half-built folder is gone (tiling removes it); the published one is untouched.
        logger.error("panorama %s: storage full while tiling", pk)
        Panorama.objects.filter(pk=pk).update(
            status=Status.FAILED, progress=0, error_message=DISK_FULL_ERROR
        )
        return Status.FAILED
    except Exception:
        logger.exception("panorama %s: processing failed", pk)
        Panorama.objects.filter(pk=pk).update(
            status=Status.FAILED, progress=0, error_message=UNEXPECTED_ERROR
        )
        raise
    if stitched:
        kind = Panorama.Kind.PHOTOS
    else:
        kind = Panorama.Kind.FULL if info.fov.is_full else Panorama.Kind.PARTIAL
    with transaction.atomic():
        Panorama.objects.filter(pk=pk).update(
            status=Status.READY,
            progress=100,
            error_message="",
            kind=kind,
            width=info.width,
            height=info.height,
            tiles_version=version,
            viewer_config=pyramid.config,
            **initial_view(view_fields(pano), info),
        )
    logger.info(
        "panorama %s: %s tiles (version %s) in %.1f s%s",
        pk,
        pyramid.tile_count,
        version,
        time.perf_counter() - started,
        " (reused)" if pyramid.reused else "",
    )
    return Status.READY


def remove_stale_temporaries() -> int:
    """Remove the temporary tile folders of runs that died; how many were removed.

    A folder is left alone while its panorama is processing with a live heartbeat. The list of
    folders is read before the panoramas, so a run starting meanwhile is seen as live.
    """
    from datetime import timedelta

    from django.utils import timezone

    from heritage_site.jobs import lease_seconds
    from media_pipeline.panoramas.models import TILES_DIR

    root = Path(settings.MEDIA_ROOT) / TILES_DIR
    found = [
        p
        for p in root.glob("*/.*")
        if p.is_dir() and (".tmp-" in p.name or ".old-" in p.name) and p.parent.name.isdigit()
    ]
    if not found:
        return 0
    cutoff = timezone.now() - timedelta(seconds=lease_seconds())
    busy = set(
        Panorama.objects.filter(status=Status.PROCESSING, heartbeat_at__gte=cutoff).values_list(
            "pk", flat=True
        )
    )
    stale = [p for p in found if int(p.parent.name) not in busy]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return len(stale)
