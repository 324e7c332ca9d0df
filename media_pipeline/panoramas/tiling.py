"""Cut a panorama into Pannellum's multires tile pyramid and publish it atomically.

Layout (as Pannellum's utils/multires/generate.py writes it, so its viewer reads it unchanged)::

    config.json              Pannellum configuration ("type": "multires", "multiRes": {...})
    <level>/<face><y>_<x>.jpg tiles; level 1 is the smallest, ``maxLevel`` the full cube size
    fallback/<face>.jpg      whole faces for browsers without WebGL
    preview.jpg              a tiny equirectangular image for an instant first paint
    manifest.json            what was built from which source, for idempotent re-runs

Everything is written into a temporary folder beside ``out_dir`` and swapped in at the end, so
a visitor sees either the old pyramid or the new one, never a mix, and a failure leaves the old
one untouched.

Two cores stay busy: a thread decodes the source from the start, the calling thread samples the
faces band by band, and two threads encode the tiles of the bands already sampled. A large face
goes round a buffer of three bands, the next level down made band by band (halving is a 2×2
average), so it never takes memory as a whole.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from media_pipeline.panoramas.cubemap import (
    FACE_LETTERS,
    CubeProjector,
    Interpolation,
    cube_resolution,
)
from media_pipeline.panoramas.decoding import SourcePixels, open_source
from media_pipeline.panoramas.inspection import (
    FieldOfView,
    PanoramaError,
    PanoramaInfo,
    inspect_panorama,
)
from media_pipeline.panoramas.limits import MAX_PANORAMA_PIXELS
from media_pipeline.publishing import file_sha256, publish_directory, remove_stale_temps

if TYPE_CHECKING:
    from numpy.typing import NDArray

GENERATOR = "di-san-so media_pipeline.panoramas.tiling 1"
STRIP_ROWS = 128  # rows of sampling maps alive at once (a multiple of the coarse step)
RING_BANDS = 3  # bands of top-level tiles a large face is sampled into in turn
Progress = Callable[[float], None]


@dataclass(frozen=True)
class PyramidInfo:
    """What was published: Pannellum's multires numbers plus the config written."""

    path: Path
    cube_resolution: int
    tile_resolution: int
    max_level: int
    level_sizes: tuple[int, ...]  # face size per level, level 1 first
    tile_count: int
    extension: str
    fov: FieldOfView
    config: dict[str, Any] = field(repr=False)
    seconds: float = 0.0
    reused: bool = False  # True when an identical pyramid was already published


def level_sizes(cube_size: int, tile_size: int) -> tuple[int, ...]:
    """Face size of every level, smallest first, halving as generate.py does."""
    tile = min(tile_size, cube_size)
    max_level = math.ceil(math.log2(cube_size / tile)) + 1
    sizes = [cube_size]
    for _ in range(max_level - 1):
        sizes.append(sizes[-1] // 2)
    return tuple(reversed(sizes))


def pannellum_config(
    info: PanoramaInfo, cube_size: int, tile_size: int, max_level: int, extension: str = "jpg"
) -> dict[str, Any]:
    """The viewer configuration; paths are relative to the pyramid folder (Pannellum basePath)."""
    fov = info.fov
    config: dict[str, Any] = {"type": "multires", "hfov": 100.0}
    if fov.haov < 360:
        config.update(
            haov=fov.haov,
            minYaw=fov.h_offset - fov.haov / 2,
            maxYaw=fov.h_offset + fov.haov / 2,
            yaw=fov.h_offset,
        )
    if fov.vaov < 180:
        config.update(
            vaov=fov.vaov,
            vOffset=fov.v_offset,
            minPitch=fov.v_offset - fov.vaov / 2,
            maxPitch=fov.v_offset + fov.vaov / 2,
            pitch=fov.v_offset,
        )
    config.update(info.initial_view())
    config["preview"] = "/preview.jpg"
    config["multiRes"] = {
        "path": "/%l/%s%y_%x",
        "fallbackPath": "/fallback/%s",
        "extension": extension,
        "tileResolution": min(tile_size, cube_size),
        "maxLevel": max_level,
        "cubeResolution": cube_size,
    }
    return config


def _load_reusable(
    out_dir: Path, manifest: dict[str, Any], info: PanoramaInfo
) -> PyramidInfo | None:
    try:
        published = json.loads((out_dir / "manifest.json").read_text("utf-8"))
        config = json.loads((out_dir / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if {k: published.get(k) for k in ("generator", "source", "params")} != {
        k: manifest[k] for k in ("generator", "source", "params")
    }:
        return None
    multires = config["multiRes"]
    return PyramidInfo(
        path=out_dir,
        cube_resolution=multires["cubeResolution"],
        tile_resolution=multires["tileResolution"],
        max_level=multires["maxLevel"],
        level_sizes=tuple(published["level_sizes"]),
        tile_count=published["tile_count"],
        extension=multires["extension"],
        fov=info.fov,
        config=config,
        reused=True,
    )


def _orient(image: NDArray[np.uint8], orientation: int) -> NDArray[np.uint8]:
    """Apply an EXIF orientation to a small image (the preview)."""
    import cv2

    if orientation in (2, 3, 4):
        image = cv2.flip(image, {2: 1, 3: -1, 4: 0}[orientation])
    elif orientation >= 5:
        rotate = {
            5: cv2.ROTATE_90_CLOCKWISE,
            6: cv2.ROTATE_90_CLOCKWISE,
            7: cv2.ROTATE_90_COUNTERCLOCKWISE,
            8: cv2.ROTATE_90_COUNTERCLOCKWISE,
        }[orientation]
        image = cv2.rotate(image, rotate)
        if orientation in (5, 7):
            image = cv2.flip(image, 1)
    return image


def _preview_size(info: PanoramaInfo, width: int) -> tuple[tuple[int, int], int]:
    """The preview's size as stored, and the step of the source subsample it is averaged from.

    Averaging every source pixel would take longer than the preview is worth: it averages a
    subsample of at least four source pixels per preview pixel instead.
    """
    height = max(1, round(width * info.height / info.width))
    size = (height, width) if info.header.orientation >= 5 else (width, height)
    return size, max(1, info.header.raw_width // (size[0] * 4))


def _preview(source: SourcePixels, info: PanoramaInfo, width: int) -> NDArray[np.uint8]:
    """A small equirectangular image, shown while the first tiles load."""
    import cv2

    size, step = _preview_size(info, width)
    small = cv2.resize(source.thumbnail(step), size, interpolation=cv2.INTER_AREA)
    return _orient(small, info.header.orientation)


class _TileWriter:
    """Encodes and writes tiles on a small thread pool (OpenCV releases the GIL)."""

    def __init__(
        self, root: Path, tile: int, extension: str, quality: int, progressive: bool, workers: int
    ) -> None:
        import cv2

        self.root = root
        self.tile = tile
        self.suffix = "." + extension
        self.params = (
            [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_PROGRESSIVE, int(progressive)]
            if extension == "jpg"
            else [cv2.IMWRITE_PNG_COMPRESSION, 6]
        )
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tiles")
        self.count = 0

    def _write(self, rel: str, image: NDArray[np.uint8]) -> None:
        import cv2

        ok, data = cv2.imencode(self.suffix, image, self.params)
        if not ok:
            raise PanoramaError("Không mã hoá được ô ảnh.", "encode")
        (self.root / (rel + self.suffix)).write_bytes(data.tobytes())

    def submit(self, rel: str, image: NDArray[np.uint8]) -> Future[None]:
        self.count += 1
        return self.pool.submit(self._write, rel, image)


def _tile_any(covered: NDArray[np.bool_], size: int, cube: int, tile: int) -> NDArray[np.bool_]:
    """Which tiles of a level of ``size`` pixels show something, from top-level tile coverage."""
    n = -(-size // tile)
    result = np.zeros((n, n), bool)
    scale = cube / size
    for ty in range(n):
        y0 = int(ty * tile * scale) // tile
        y1 = (math.ceil(min((ty + 1) * tile, size) * scale) - 1) // tile
        for tx in range(n):
            x0 = int(tx * tile * scale) // tile
            x1 = (math.ceil(min((tx + 1) * tile, size) * scale) - 1) // tile
            result[ty, tx] = covered[y0 : y1 + 1, x0 : x1 + 1].any()
    return result


def _cut(
    writer: _TileWriter,
    image: NDArray[np.uint8],
    level: int,
    letter: str,
    tile: int,
    rows: range,
    covered: NDArray[np.bool_] | None,
    first: int = 0,
) -> list[Future[None]]:
    """Queue the tiles of ``rows`` of a level; ``image`` holds its rows from tile row ``first``."""
    size = image.shape[1]
    jobs = []
    for ty in rows:
        for tx in range(-(-size // tile)):
            if covered is not None and not covered[ty, tx]:
                continue  # a partial panorama's empty tile: Pannellum shows the background
            y = (ty - first) * tile
            view = image[y : y + tile, tx * tile : (tx + 1) * tile]
            jobs.append(writer.submit(f"{level}/{letter}{ty}_{tx}", view))
    return jobs


def _buffer(buffers: dict[str, NDArray[np.uint8]], name: str, size: int) -> NDArray[np.uint8]:
    if name not in buffers:
        buffers[name] = np.empty((size, size, 3), np.uint8)
    return buffers[name]


def _face_rows(cube: int, tile: int, fallback_size: int) -> int:
    """Rows of the buffer a face is sampled into: a few bands of tiles, or the whole face when
    it is small (the fallback face is then made from it) or its bands cannot be halved."""
    if cube < 2 * fallback_size or tile % 2 or cube <= RING_BANDS * tile:
        return cube
    return RING_BANDS * tile


def _tile_face(
    writer: _TileWriter,
    projector: CubeProjector,
    index: int,
    face: NDArray[np.uint8],
    buffers: dict[str, NDArray[np.uint8]],
    sizes: tuple[int, ...],
    fallback_size: int,
    report: Progress,
    sampled: Callable[[], None] | None = None,
    band_sampled: Callable[[int], None] | None = None,
) -> list[Future[None]]:
    """Sample one cube face a band of tiles at a time into ``face`` and queue all its tiles.

    ``face`` holds the whole face, or (see :func:`_face_rows`) a few bands in turn while the
    next level down is made band by band. The smaller levels go into ``buffers``, kept for the
    next face (fresh memory costs a page fault per 4 KiB), so the caller must wait for this
    face's tiles before the next one.

    ``sampled`` is called once the face is sampled, before its smaller levels are made, and
    ``band_sampled`` with the next face row after each band of tiles.
    """
    import cv2

    cube = sizes[-1]
    tile = min(writer.tile, cube)
    max_level = len(sizes)
    letter = FACE_LETTERS[index]
    n_top = -(-cube // tile)
    empty = projector.face_is_empty(index)
    covered = np.zeros((n_top, n_top), bool) if projector.partial else None
    ring = face.shape[0] < cube
    slots = face.shape[0] // tile
    below = _buffer(buffers, str(max_level - 1), cube // 2) if ring else face
    bands: list[list[Future[None]]] = []
    for band in range(n_top):
        b0, b1 = band * tile, min(cube, (band + 1) * tile)
        top = (band % slots) * tile if ring else b0
        if ring and band >= slots:
            for job in bands[band - slots]:
                job.result()  # the tiles last cut from this part of the buffer are written
        slot = face[top : top + b1 - b0]
        if empty:
            slot[:] = projector.background
        for r0 in range(b0, b1, STRIP_ROWS):
            if empty:
                break
            r1 = min(r0 + STRIP_ROWS, b1)
            inside = projector.render(index, r0, r1, slot[r0 - b0 : r1 - b0])
            if covered is not None and inside is not None:
                for tx in range(n_top):
                    covered[band, tx] |= bool(inside[:, tx * tile : (tx + 1) * tile].any())
        if band_sampled is not None:
            band_sampled(b1)
        # Encoders start on a band of tiles while the next band is being sampled.
        bands.append(
            _cut(writer, slot, max_level, letter, tile, range(band, band + 1), covered, band)
        )
        if ring:
            # Halving is a 2×2 average, so the next level down can be made band by band.
            half = (b1 - b0) // 2
            cv2.resize(
                slot,
                (cube // 2, half),
                dst=below[b0 // 2 : b0 // 2 + half],
                interpolation=cv2.INTER_AREA,
            )
        report((band + 1) / n_top)
    jobs = [job for band_jobs in bands for job in band_jobs]
    if sampled is not None:
        sampled()
    level_image = fallback_source = below
    if ring:
        size = cube // 2
        level_covered = None if covered is None else _tile_any(covered, size, cube, tile)
        rows = range(-(-size // tile))
        jobs += _cut(writer, below, max_level - 1, letter, tile, rows, level_covered)
    for level in range(max_level - (2 if ring else 1), 0, -1):
        size = sizes[level - 1]
        level_image = cv2.resize(
            level_image,
            (size, size),
            dst=_buffer(buffers, str(level), size),
            interpolation=cv2.INTER_AREA,
        )
        if size >= fallback_size:
            fallback_source = level_image
        level_covered = None if covered is None else _tile_any(covered, size, cube, tile)
        rows = range(-(-size // tile))
        jobs += _cut(writer, level_image, level, letter, tile, rows, level_covered)
    fb = min(fallback_size, cube)
    fallback = cv2.resize(
        fallback_source,
        (fb, fb),
        dst=_buffer(buffers, "fallback", fb),
        interpolation=cv2.INTER_AREA,
    )
    jobs.append(writer.submit(f"fallback/{letter}", fallback))
    return jobs


def build_tile_pyramid(
    src: str | Path,
    out_dir: str | Path,
    tile_size: int = 512,
    *,
    info: PanoramaInfo | None = None,
    max_pixels: int = MAX_PANORAMA_PIXELS,
    quality: int = 80,
    progressive: bool = False,
    extension: str = "jpg",
    fallback_size: int = 1024,
    preview_width: int = 512,
    interpolation: Interpolation = "linear",
    workers: int = 2,
    progress: Progress | None = None,
    force: bool = False,
) -> PyramidInfo:
    """Project ``src`` to cube faces, cut every level into tiles and publish to ``out_dir``.

    Re-running with the same source and settings reuses the published pyramid unless ``force``.
    ``progressive`` JPEG tiles are about 8 % smaller but take 70 % more encoding time.
    """
    started = time.perf_counter()
    report = progress or (lambda fraction: None)
    src, out_dir = Path(src), Path(out_dir)
    info = info or inspect_panorama(src, max_pixels=max_pixels)
    fov = info.fov
    cube = cube_resolution(info.width, fov.haov)
    tile = min(tile_size, cube)
    sizes = level_sizes(cube, tile)
    max_level = len(sizes)
    config = pannellum_config(info, cube, tile, max_level, extension)
    params = {
        "tile_size": tile,
        "quality": quality,
        "progressive": progressive,
        "extension": extension,
        "fallback_size": fallback_size,
        "preview_width": preview_width,
        "interpolation": interpolation,
        "fov": asdict(fov),
        "config": config,
    }
    manifest: dict[str, Any] = {
        "generator": GENERATOR,
        "source": {"name": src.name, "bytes": info.header.file_size},
        "params": params,
    }
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    if not force:
        manifest["source"]["sha256"] = file_sha256(src)
        if reusable := _load_reusable(out_dir, manifest, info):
            report(1.0)
            return reusable
    remove_stale_temps(out_dir)

    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    writer = _TileWriter(tmp, tile, extension, quality, progressive, workers)
    # Nothing to compare with when forced: the source is hashed while it is decoded.
    digest = writer.pool.submit(file_sha256, src) if force else None
    source: SourcePixels | None = None
    try:
        report(0.0)
        source = open_source(info, _preview_size(info, preview_width)[1])
        # Start decoding at once (the up face needs the top quarter of the rows at least);
        # the budget is set below, once the rows every face reads are known.
        source.prefetch(info.header.raw_height // 4)
        for level in range(1, max_level + 1):
            (tmp / str(level)).mkdir()
        (tmp / "fallback").mkdir()
        projector = CubeProjector(
            source, fov, cube, orientation=info.header.orientation, interpolation=interpolation
        )
        # Faces in the order of the source rows they read (up, sides, down for an upright
        # panorama), so that a streamed source holds only the rows still needed.
        rows = {index: projector.face_rows(index) for index in range(6)}
        order = sorted(range(6), key=lambda index: rows[index])
        # Decode ahead while faces are sampled, holding no more rows than the largest face needs.
        largest = max(end - first for first, end in rows.values())
        source.prefetch(largest + info.header.raw_height // 64)
        face = np.empty((_face_rows(cube, tile, fallback_size), cube, 3), np.uint8)
        buffers: dict[str, NDArray[np.uint8]] = {}
        jobs: list[Future[None]] = []
        preview: list[Future[None]] = []

        def finish() -> None:
            """After the last face is sampled: the preview, then free the source."""
            preview.append(writer.submit("preview", _preview(source, info, preview_width)))
            projector.release()

        def release(done: int, start: int = 0) -> None:
            """Give back the rows that neither the face ``order[done]`` from its row ``start``
            on nor any face after it reads: the decoder may then go on into the rows of the
            faces still to come (the last side face frees the middle rows band by band, so
            the down face's rows are decoded while it is sampled)."""
            later = [rows[i][0] for i in order[done + 1 :] if rows[i][1] > rows[i][0]]
            first, end = rows[order[done]]
            if start and end > first and first < min(later, default=end):
                # Only then can this face's progress move the point: ask what is left of it.
                first, end = projector.face_rows(order[done], start)
            needed = ([first] if end > first else []) + later
            source.release(min(needed, default=info.header.raw_height))

        for done, index in enumerate(order):
            # Finish the previous face's tiles first: its buffer is reused and its smaller
            # levels should not pile up in memory when the encoders fall behind.
            for job in jobs:
                job.result()
            release(done)
            jobs = _tile_face(
                writer,
                projector,
                index,
                face,
                buffers,
                sizes,
                fallback_size,
                lambda part, done=done: report(0.95 * (done + part) / 6),
                finish if done == 5 else None,
                lambda start, done=done: release(done, start),
            )
        for job in jobs + preview:
            job.result()
        tile_count = writer.count - 7  # minus the preview and six fallback faces
        if digest is not None:
            manifest["source"]["sha256"] = digest.result()
        manifest.update(level_sizes=list(sizes), tile_count=tile_count)
        (tmp / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False))
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        publish_directory(tmp, out_dir)
    except BaseException:
        writer.pool.shutdown(wait=True, cancel_futures=True)
        if source is not None:
            source.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    writer.pool.shutdown(wait=True)
    report(1.0)
    return PyramidInfo(
        path=out_dir,
        cube_resolution=cube,
        tile_resolution=tile,
        max_level=max_level,
        level_sizes=sizes,
        tile_count=tile_count,
        extension=extension,
        fov=fov,
        config=config,
        seconds=time.perf_counter() - started,
    )
