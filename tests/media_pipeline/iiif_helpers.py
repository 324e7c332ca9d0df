"""Helpers for the IIIF tests: a rubbing-like image and the npm IIIF parser."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

CHECK_SCRIPT = Path(__file__).with_name("iiif_check.mjs")
PARSER = Path(__file__).resolve().parents[2] / "node_modules" / "@allmaps" / "iiif-parser"


def rubbing(width: int = 1100, height: int = 1500, mode: str = "L") -> Image.Image:
    """Dark paper with light strokes in a grid, different everywhere, like a stele rubbing."""
    y, x = np.mgrid[0:height, 0:width]
    grey = (40 + 30 * ((x // 40 + y // 60) % 2) + 150 * ((x % 97 < 6) | (y % 131 < 5))).astype(
        np.uint8
    )
    image = Image.fromarray(grey, "L")
    return image if mode == "L" else image.convert(mode)


def jpeg_bytes(image: Image.Image, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def iiif_parse(payload: dict) -> dict:
    """Run @allmaps/iiif-parser on a manifest or info.json; fail the test with its message."""
    node = shutil.which("node")
    if node is None or not PARSER.exists():
        pytest.fail("needs node and `npm ci` (@allmaps/iiif-parser): run `make install`")
    result = subprocess.run(
        [node, str(CHECK_SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"@allmaps/iiif-parser refused it: {result.stderr}"
    return json.loads(result.stdout)
