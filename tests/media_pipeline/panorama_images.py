"""Panorama images for tests: one real photograph in tests/files, generated ones for the rest."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import py360convert
from PIL import Image

# CC BY-SA 3.0, attribution beside it. Only tests that need real texture use it: OpenCV's
# stitcher finds no features in generated patterns, and Pannellum's rendering is compared on it.
PHOTO = Path(__file__).resolve().parents[1] / "files" / "examplepano-2048.jpg"


def photo() -> np.ndarray:
    """The real 2048×1024 equirectangular photograph (BGR)."""
    image = cv2.imread(str(PHOTO))
    assert image is not None, f"cannot read {PHOTO}"
    return image


def synthetic_pano(width: int = 1024, height: int = 512) -> np.ndarray:
    """An RGB panorama whose every region differs, so a flip or turn shows (uint8, H×W×3)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    image = np.empty((height, width, 3), np.uint8)
    image[..., 0] = (255 * x / width).astype(np.uint8)
    image[..., 1] = (255 * y / height).astype(np.uint8)
    checker = ((x // 32 + y // 32) % 2).astype(np.uint8)
    image[..., 2] = 60 + 120 * checker + (40 * np.sin(x / 7.0) * np.cos(y / 11.0)).astype(np.int8)
    return image


def textured_pano(width: int = 4096, height: int = 2048, seed: int = 0) -> np.ndarray:
    """An RGB panorama with a photograph's texture: detail at every scale, none of it repeating.

    Random phases under an amplitude falling as 1/f^1.35, which gives the tiling comparisons the
    same scores as a camera's photograph; the inverse FFT makes it seamless at ±180°.
    """
    rng = np.random.default_rng(seed)
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    amplitude = np.maximum(np.hypot(fx, fy), 1 / width) ** -1.35
    image = np.empty((height, width, 3), np.uint8)
    for channel in range(3):
        phases = np.exp(2j * np.pi * rng.random(amplitude.shape))
        field = np.fft.irfft2(amplitude * phases, s=(height, width))
        field = (field - field.mean()) / field.std()
        image[..., channel] = np.clip(128 + 45 * field, 0, 255).astype(np.uint8)
    return image


def jpeg_bytes(rgb: np.ndarray, xmp: bytes | None = None, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality, xmp=xmp)
    return buf.getvalue()


def perspective_views(pano: np.ndarray, yaws: list[float], fov: tuple[float, float]) -> list[bytes]:
    """JPEG photos (640×480) cut from ``pano``, looking at the horizon at ``yaws``."""
    views = []
    for yaw in yaws:
        view = py360convert.e2p(pano, fov_deg=fov, u_deg=yaw, v_deg=0, out_hw=(480, 640))
        ok, data = cv2.imencode(".jpg", view, [cv2.IMWRITE_JPEG_QUALITY, 92])
        assert ok
        views.append(data.tobytes())
    return views


def gpano_xmp(**props: object) -> bytes:
    """An XMP packet with the given GPano properties as attributes."""
    attrs = " ".join(f'GPano:{k}="{v}"' for k, v in props.items())
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:GPano="http://ns.google.com/photos/1.0/panorama/" '
        f"{attrs}/></rdf:RDF></x:xmpmeta>"
    ).encode()


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)
