"""Helpers for the panorama admin, task and viewer tests: small files, form posts, fixtures."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import py360convert
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from media_pipeline.models import Panorama
from tests.media_pipeline.conftest import EXAMPLE_PANO

ADD_URL = "/admin/panoramas/add/"


def edit_url(pk: int) -> str:
    return f"/admin/panoramas/edit/{pk}/"


@cache
def small_pano_array() -> np.ndarray:
    """The example photo at 1024×512 (BGR): real detail, quick to tile."""
    return cv2.resize(cv2.imread(str(EXAMPLE_PANO)), (1024, 512), interpolation=cv2.INTER_AREA)


def jpeg_bytes(image: np.ndarray, xmp: bytes | None = None) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB)).save(buf, "JPEG", quality=85, xmp=xmp)
    return buf.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def photo_uploads(yaws: list[float], fov: tuple[float, float]) -> list[SimpleUploadedFile]:
    """Perspective photos (640×480) cut from the example, looking at the horizon at ``yaws``."""
    pano = cv2.resize(cv2.imread(str(EXAMPLE_PANO)), (2048, 1024), interpolation=cv2.INTER_AREA)
    files = []
    for k, yaw in enumerate(yaws):
        view = py360convert.e2p(pano, fov_deg=fov, u_deg=yaw, v_deg=0, out_hw=(480, 640))
        ok, data = cv2.imencode(".jpg", view, [cv2.IMWRITE_JPEG_QUALITY, 92])
        assert ok
        files.append(upload(f"photo-{k}.jpg", data.tobytes()))
    return files


def form_data(**fields) -> dict:
    """A complete panorama form post: blank angles, no hotspots, plus ``fields``."""
    data = {
        "title": "Sân đình",
        "relic": "",
        "haov": "",
        "vaov": "",
        "v_offset": "",
        "initial_yaw": "",
        "initial_pitch": "",
        "initial_hfov": "",
        "hotspots": inline_formset([]),
    }
    data.update(fields)
    files = {k: data.pop(k) for k in ("original", "photo_files") if k in data}
    return {**nested_form_data(data), **files}


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def published(pano: Panorama) -> Path:
    pano.refresh_from_db()
    return pano.tiles_root / pano.tiles_version


def make_panorama(title: str = "Sân đình", relic=None, *, process: bool = True, **fields):
    """A panorama from the small example photo, processed in-process unless ``process=False``."""
    from media_pipeline.panoramas.processing import process_panorama

    pano = Panorama.objects.create(title=title, relic=relic, **fields)
    pano.original.save(f"{title}.jpg", upload("p.jpg", jpeg_bytes(small_pano_array())))
    if process:
        process_panorama(pano.pk)
        pano.refresh_from_db()
    return pano
