"""Cut an image into IIIF Image API 3.0 level 0 static tiles and publish them atomically.

Layout (the files a level-0 client asks for; the web server serves them as they are)::

    info.json                              "profile": "level0", tiles with scaleFactors, sizes
    {x},{y},{w},{h}/{sw},{sh}/0/default.jpg  a tile, region in full-size pixels (3.0 canonical)
    {x},{y},{w},{h}/{sw},/0/default.jpg      the same tile as Image API 2 clients ask for it
    full/{w},{h}/0/default.jpg             a whole-image size listed in "sizes" (also full/{w},/…)
    full/max/0/default.jpg                 when the whole image fits in one tile
    build.json                             what was built from which source, for re-runs

Aliases are hard links, so the two spellings cost no disk space. Everything is written into a
temporary folder beside ``out_dir`` and renamed into place at the end (see
``media_pipeline.publishing``), so a failed run leaves the last good set.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from media_pipeline.publishing import file_sha256, publish_directory, temporary_beside

GENERATOR = "di-san-so media_pipeline.iiif.tiling 1"
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
DEFAULT_MAX_PIXELS = 64_000_000  # Wagtail's upload limit here; 192 MB decoded as RGB
MAX_SIZE_LISTED = 2048  # whole-image sizes in "sizes": thumbnails and the manifest's image
Progress = Callable[[float], None]


class TilingError(Exception):
    """The source cannot be tiled; ``message`` is Vietnamese, for staff."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class TileSetInfo:
    """What was published: the info.json written and a few numbers from it."""

    path: Path
    width: int
    height: int
    tile_count: int
    info: dict[str, Any] = field(repr=False)
    seconds: float = 0.0
    reused: bool = False  # True when an identical set was already published


def scale_factors(width: int, height: int, tile_size: int) -> list[int]:
    """1, 2, 4, … until the whole image fits in one tile (as OpenSeadragon's levels expect)."""
    factors = [1]
    while max(math.ceil(width / factors[-1]), math.ceil(height / factors[-1])) > tile_size:
        factors.append(factors[-1] * 2)
    return factors


def level_size(width: int, height: int, factor: int) -> tuple[int, int]:
    """Image size at a scale factor, rounded up as the Image API and Image.reduce do."""
    return math.ceil(width / factor), math.ceil(height / factor)


def info_json(base_id: str, width: int, height: int, tile_size: int) -> dict[str, Any]:
    """The Image API 3.0 image information for a level 0 static tile set."""
    factors = scale_factors(width, height, tile_size)
    sizes = [
        {"width": w, "height": h}
        for w, h in (level_size(width, height, f) for f in reversed(factors))
        if max(w, h) <= MAX_SIZE_LISTED
    ]
    return {
        "@context": IMAGE_CONTEXT,
        "id": base_id.rstrip("/"),
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": width,
        "height": height,
        "sizes": sizes,
        "tiles": [{"width": tile_size, "height": tile_size, "scaleFactors": factors}],
    }


def tile_paths(
    width: int, height: int, tile_size: int, factor: int, col: int, row: int
) -> tuple[list[str], tuple[int, int, int, int], tuple[int, int]]:
    """The request paths of one tile, its region in full-size pixels and its size."""
    span = tile_size * factor
    x, y = col * span, row * span
    rw, rh = min(span, width - x), min(span, height - y)
    sw, sh = math.ceil(rw / factor), math.ceil(rh / factor)
    whole = (x, y, rw, rh) == (0, 0, width, height)
    regions = ["full", f"0,0,{width},{height}"] if whole else [f"{x},{y},{rw},{rh}"]
    sizes = [f"{sw},{sh}", f"{sw},"]
    if (sw, sh) == (width, height):
        sizes.append("max")
    paths = [f"{r}/{s}/0/default.jpg" for r in regions for s in sizes]
    return paths, (x, y, rw, rh), (sw, sh)


def _open_bounded(src: Path, max_pixels: int):
    """Open ``src`` reading its header only, refusing what is too large to decode."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(src)
    except Image.DecompressionBombError as e:
        raise TilingError("Ảnh quá lớn để tạo ảnh phóng to.", "too-large") from e
    except (UnidentifiedImageError, OSError) as e:
        raise TilingError("Tệp không phải ảnh đọc được (JPEG, PNG, WebP).", "not-image") from e
    if image.width * image.height > max_pixels:
        image.close()
        raise TilingError(
            f"Ảnh {image.width}×{image.height} điểm ảnh vượt giới hạn "
            f"{max_pixels:,} điểm ảnh để tạo ảnh phóng to.".replace(",", "."),
            "too-large",
        )
    return image


def _decode(image) -> Any:
    """The whole image, upright, in a mode JPEG can hold (L for grey rubbings, else RGB)."""
    from PIL import ImageOps

    try:
        image.load()
        # exif_transpose copies even an upright image: only call it when there is a turn.
        turned = image.getexif().get(0x0112, 1) not in (0, 1)
        upright = ImageOps.exif_transpose(image) if turned else image
    except (OSError, SyntaxError, ValueError) as e:
        raise TilingError(
            "Không giải mã được ảnh: tệp bị hỏng hoặc bị cắt cụt. Hãy tải lên lại tệp gốc.",
            "corrupt",
        ) from e
    if upright.mode not in ("L", "RGB"):
        upright = upright.convert("L" if upright.mode in ("1", "I", "I;16", "F") else "RGB")
    return upright


def _link_or_copy(first: Path, alias: Path) -> None:
    alias.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(first, alias)
    except OSError:
        shutil.copyfile(first, alias)


def _write(root: Path, paths: list[str], image, quality: int) -> None:
    first = root / paths[0]
    first.parent.mkdir(parents=True, exist_ok=True)
    image.save(first, "JPEG", quality=quality, optimize=True)
    for alias in paths[1:]:
        _link_or_copy(first, root / alias)


def _load_reusable(out_dir: Path, build: dict[str, Any]) -> TileSetInfo | None:
    try:
        published = json.loads((out_dir / "build.json").read_text("utf-8"))
        info = json.loads((out_dir / "info.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    keys = ("generator", "source", "params")
    if {k: published.get(k) for k in keys} != {k: build[k] for k in keys}:
        return None
    return TileSetInfo(
        path=out_dir,
        width=info["width"],
        height=info["height"],
        tile_count=published["tile_count"],
        info=info,
        reused=True,
    )


def build_iiif_tiles(
    src_path: str | Path,
    out_dir: str | Path,
    base_id: str,
    tile_size: int = 512,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    quality: int = 85,
    progress: Progress | None = None,
    force: bool = False,
) -> TileSetInfo:
    """Write the level 0 tiles and info.json of ``src_path`` and publish them to ``out_dir``.

    ``base_id`` is the URL at which ``out_dir`` is served (info.json's ``id``). Re-running with
    the same source and parameters reuses the published set unless ``force``.
    """
    started = time.perf_counter()
    report = progress or (lambda fraction: None)
    src, out_dir = Path(src_path), Path(out_dir)
    if tile_size < 64:
        raise ValueError("tile_size must be at least 64")
    image = _open_bounded(src, max_pixels)
    build: dict[str, Any] = {
        "generator": GENERATOR,
        "source": {"name": src.name, "bytes": src.stat().st_size, "sha256": file_sha256(src)},
        "params": {"base_id": base_id, "tile_size": tile_size, "quality": quality},
    }
    if not force and (reusable := _load_reusable(out_dir, build)):
        image.close()
        report(1.0)
        return reusable

    tmp = temporary_beside(out_dir)
    try:
        report(0.0)
        level = _decode(image)
        width, height = level.size
        info = info_json(base_id, width, height, tile_size)
        factors = info["tiles"][0]["scaleFactors"]
        listed = {(s["width"], s["height"]) for s in info["sizes"]}
        total = sum(
            math.ceil(w / tile_size) * math.ceil(h / tile_size)
            for w, h in (level_size(width, height, f) for f in factors)
        )
        done = 0
        for factor in factors:
            if factor > 1:
                # Halving the previous level keeps memory at one level plus its half.
                level = level.reduce(2)
            lw, lh = level.size
            if (lw, lh) in listed:
                full = ["full/max/0/default.jpg"] if (lw, lh) == (width, height) else []
                paths = [f"full/{lw},{lh}/0/default.jpg", f"full/{lw},/0/default.jpg", *full]
                if lw > tile_size or lh > tile_size:  # a single tile already has these names
                    _write(tmp, paths, level, quality)
            for row in range(math.ceil(lh / tile_size)):
                for col in range(math.ceil(lw / tile_size)):
                    paths, _region, (sw, sh) = tile_paths(
                        width, height, tile_size, factor, col, row
                    )
                    x0, y0 = col * tile_size, row * tile_size
                    tile = level.crop((x0, y0, x0 + sw, y0 + sh))
                    if (lw, lh) in listed and (sw, sh) == (lw, lh):
                        paths += [f"full/{lw},{lh}/0/default.jpg", f"full/{lw},/0/default.jpg"]
                    _write(tmp, list(dict.fromkeys(paths)), tile, quality)
                    done += 1
                    if done % 16 == 0:
                        report(done / total)
        build["tile_count"] = total
        (tmp / "info.json").write_text(json.dumps(info, indent=2), "utf-8")
        (tmp / "build.json").write_text(json.dumps(build, indent=2), "utf-8")
        publish_directory(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        image.close()
    report(1.0)
    return TileSetInfo(
        path=out_dir,
        width=width,
        height=height,
        tile_count=total,
        info=info,
        seconds=time.perf_counter() - started,
    )
