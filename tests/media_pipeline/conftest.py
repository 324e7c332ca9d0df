"""Shared fixtures for the panorama pipeline: the example photo and small generated images."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PANO = REPO_ROOT.parent / "shared" / "data" / "panoramas" / "examplepano.jpg"
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def assert_vietnamese(message: str) -> None:
    """Staff read these messages: they must be Vietnamese with its diacritics."""
    assert len(VIETNAMESE.findall(message)) >= 3, message


@pytest.fixture(scope="session")
def example_pano() -> Path:
    if not EXAMPLE_PANO.exists():
        pytest.skip(f"missing test photo {EXAMPLE_PANO}")
    return EXAMPLE_PANO


def synthetic_pano(width: int = 1024, height: int = 512) -> np.ndarray:
    """An RGB panorama whose every region differs, so a flip or turn shows (uint8, H×W×3)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    image = np.empty((height, width, 3), np.uint8)
    image[..., 0] = (255 * x / width).astype(np.uint8)
    image[..., 1] = (255 * y / height).astype(np.uint8)
    checker = ((x // 32 + y // 32) % 2).astype(np.uint8)
    image[..., 2] = 60 + 120 * checker + (40 * np.sin(x / 7.0) * np.cos(y / 11.0)).astype(np.int8)
    return image


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
