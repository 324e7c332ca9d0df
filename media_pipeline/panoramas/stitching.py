"""Stitch overlapping photos into a partial equirectangular panorama with OpenCV's stitcher.

OpenCV's panorama mode warps onto a sphere: the result is an equirectangular image with the
same number of pixels per radian across and down (the median focal length), so its angles of
view follow from its size. The file gets GPano cropped-area metadata, so ``inspect_panorama``
reads its field of view back like any camera's partial panorama.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from media_pipeline.panoramas.inspection import FieldOfView, PanoramaError, inspect_image
from media_pipeline.panoramas.limits import MAX_PHOTOS, panorama_limits, photo_limits

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

WORK_PHOTO_PIXELS = 12_000_000  # larger photos are decoded at 1/2, 1/4 or 1/8 size

_NO_OVERLAP = (
    "Không ghép được các ảnh: các ảnh không chồng lên nhau đủ hoặc có quá ít chi tiết chung. "
    "Hãy chụp sao cho mỗi ảnh trùng khoảng 30–50% với ảnh bên cạnh, xoay máy quanh một điểm."
)


@dataclass(frozen=True)
class StitchResult:
    """A stitched partial panorama and where it sits on the sphere."""

    path: Path
    width: int
    height: int
    fov: FieldOfView
    photo_count: int


def _load(path: Path) -> NDArray[np.uint8]:
    import cv2

    try:
        header = inspect_image(path, **photo_limits())
    except PanoramaError as e:
        raise PanoramaError(f"Ảnh “{path.name}”: {e.message}", e.code) from e
    pixels = header.raw_width * header.raw_height
    flag = cv2.IMREAD_COLOR
    if header.format == "JPEG" and pixels > WORK_PHOTO_PIXELS:
        # libjpeg scales while decoding: a quarter of the memory and time per halving.
        for factor, reduced in ((2, cv2.IMREAD_REDUCED_COLOR_2), (4, cv2.IMREAD_REDUCED_COLOR_4)):
            flag = reduced
            if pixels / factor**2 <= WORK_PHOTO_PIXELS:
                break
        else:
            flag = cv2.IMREAD_REDUCED_COLOR_8
    image = cv2.imread(str(path), flag)  # applies the EXIF orientation
    if image is None:
        raise PanoramaError(
            f"Không giải mã được ảnh “{path.name}”: tệp bị hỏng hoặc bị cắt cụt.", "corrupt"
        )
    h, w = image.shape[:2]
    if h * w > WORK_PHOTO_PIXELS:
        scale = math.sqrt(WORK_PHOTO_PIXELS / (h * w))
        image = cv2.resize(image, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    return image


def _spherical_extent(
    cameras: Sequence[object], sizes: Sequence[tuple[int, int]], scale_to_full: float
) -> tuple[float, float]:
    """Pitch (radians) of the top and bottom of the stitched sphere, from the cameras."""
    pitches: list[NDArray[np.float64]] = []
    for cam, (w, h) in zip(cameras, sizes, strict=True):
        k = np.array(cam.K(), dtype=np.float64)  # type: ignore[attr-defined]
        k[:2] *= scale_to_full
        rot = np.array(cam.R, dtype=np.float64)  # type: ignore[attr-defined]
        t = np.linspace(0.0, 1.0, 64)
        xs = np.concatenate([t * (w - 1), t * (w - 1), np.zeros(64), np.full(64, w - 1.0)])
        ys = np.concatenate([np.zeros(64), np.full(64, h - 1.0), t * (h - 1), t * (h - 1)])
        rays = rot @ np.linalg.inv(k) @ np.stack([xs, ys, np.ones_like(xs)])
        # OpenCV's spherical warper: image y points down, v = pi - acos(y / r) from the top.
        pitches.append(-np.arcsin(rays[1] / np.linalg.norm(rays, axis=0)))
        # A camera looking through a pole sees it inside its frame, not on its border.
        for pole in (-1.0, 1.0):
            px = k @ rot.T @ np.array([0.0, pole, 0.0])
            if px[2] > 0 and 0 <= px[0] / px[2] <= w and 0 <= px[1] / px[2] <= h:
                pitches.append(np.array([-pole * math.pi / 2]))
    every = np.concatenate(pitches)
    return float(every.max()), float(every.min())


def _gpano_xmp(width: int, height: int, fov: FieldOfView) -> bytes:
    full_w = max(width, round(width * 360.0 / fov.haov))
    full_h = max(height, round(full_w / 2))
    left = round((full_w - width) / 2 + fov.h_offset / 360.0 * full_w) % full_w
    top_pitch = fov.v_offset + fov.vaov / 2
    top = min(max(0, round((90.0 - top_pitch) / 180.0 * full_h)), full_h - height)
    props = {
        "ProjectionType": "equirectangular",
        "UsePanoramaViewer": "True",
        "StitchingSoftware": "OpenCV Stitcher (Di sản số)",
        "CroppedAreaImageWidthPixels": width,
        "CroppedAreaImageHeightPixels": height,
        "FullPanoWidthPixels": full_w,
        "FullPanoHeightPixels": full_h,
        "CroppedAreaLeftPixels": left,
        "CroppedAreaTopPixels": top,
    }
    attrs = " ".join(f'GPano:{k}="{v}"' for k, v in props.items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:GPano="http://ns.google.com/photos/1.0/panorama/" '
        f"{attrs}/></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def stitch_photos(
    paths: Sequence[str | Path], out_path: str | Path, *, quality: int = 92
) -> StitchResult:
    """Stitch overlapping photos (taken turning around one point) into ``out_path`` (JPEG)."""
    import cv2
    from PIL import Image

    paths = [Path(p) for p in paths]
    if len(paths) < 2:
        raise PanoramaError(
            "Cần ít nhất 2 ảnh chụp chồng lên nhau để ghép thành ảnh toàn cảnh.", "too_few"
        )
    if len(paths) > MAX_PHOTOS:
        raise PanoramaError(f"Tối đa {MAX_PHOTOS} ảnh cho một lần ghép.", "too_many")
    images = [_load(p) for p in paths]

    stitcher = cv2.Stitcher_create(cv2.Stitcher_PANORAMA)  # spherical warper, wave correction
    try:
        status, pano = stitcher.stitch(images)
    except cv2.error as e:
        raise PanoramaError(_NO_OVERLAP, "no_overlap") from e
    if status != cv2.Stitcher_OK or pano is None:
        raise PanoramaError(_NO_OVERLAP, "no_overlap")
    used = [int(i) for i in np.asarray(stitcher.component()).ravel()]
    if len(used) < len(images):
        left_out = ", ".join(str(i + 1) for i in range(len(images)) if i not in used)
        raise PanoramaError(
            f"Ảnh số {left_out} không khớp với các ảnh còn lại (không đủ phần chồng lên nhau). "
            "Hãy bỏ các ảnh đó hoặc chụp thêm ảnh nối vào giữa.",
            "no_overlap",
        )
    height, width = pano.shape[:2]
    if width * height > panorama_limits()["max_pixels"]:
        raise PanoramaError("Ảnh ghép quá lớn; hãy dùng ảnh chụp nhỏ hơn.", "too_many_pixels")

    cameras = stitcher.cameras()
    # The warper's scale, in output pixels per radian, is the median focal length, found at
    # registration scale; the panorama itself is composed at full resolution.
    to_full = 1.0 / stitcher.workScale()
    focal = float(np.median([c.focal for c in cameras])) * to_full
    top, bottom = _spherical_extent(cameras, [(im.shape[1], im.shape[0]) for im in images], to_full)
    haov = min(360.0, math.degrees(width / focal))
    vaov = min(180.0, math.degrees(height / focal))
    v_offset = math.degrees((top + bottom) / 2)
    v_offset = max(-90.0 + vaov / 2, min(90.0 - vaov / 2, v_offset))
    fov = FieldOfView(haov=haov, vaov=vaov, v_offset=v_offset)

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", dir=out_path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            Image.fromarray(cv2.cvtColor(pano, cv2.COLOR_BGR2RGB)).save(
                f, "JPEG", quality=quality, xmp=_gpano_xmp(width, height, fov)
            )
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return StitchResult(out_path, width, height, fov, len(images))
