"""Helpers for the panorama admin and task tests: uploads, form posts, processed panoramas."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from media_pipeline.models import Panorama
from tests.media_pipeline.panorama_images import (
    jpeg_bytes,
    perspective_views,
    photo,
    synthetic_pano,
)

ADD_URL = "/admin/panoramas/add/"


def edit_url(pk: int) -> str:
    return f"/admin/panoramas/edit/{pk}/"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def photo_uploads(yaws: list[float], fov: tuple[float, float]) -> list[SimpleUploadedFile]:
    """Perspective photos (640×480) cut from the real photograph, looking at the horizon."""
    views = perspective_views(photo(), yaws, fov)
    return [upload(f"photo-{k}.jpg", data) for k, data in enumerate(views)]


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
    """A generated 1024×512 panorama, processed in-process unless ``process=False``."""
    from media_pipeline.panoramas.processing import process_panorama

    pano = Panorama.objects.create(title=title, relic=relic, **fields)
    pano.original.save(f"{title}.jpg", upload("p.jpg", jpeg_bytes(synthetic_pano())))
    if process:
        process_panorama(pano.pk)
        pano.refresh_from_db()
    return pano


def tile_face(out: Path, level: int, letter: str, size: int, tile: int = 512) -> np.ndarray:
    """One cube face of a published pyramid, put back together from its tiles."""
    face = np.zeros((size, size, 3), np.uint8)
    n = -(-size // tile)
    for y in range(n):
        for x in range(n):
            part = cv2.imread(str(out / str(level) / f"{letter}{y}_{x}.jpg"))
            face[y * tile : y * tile + part.shape[0], x * tile : x * tile + part.shape[1]] = part
    return face
