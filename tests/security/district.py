"""The hostile battery's district with something to hide, and the helpers its tests share.

Đông Khê is published with one public relic and one taken down ("Miếu Bản Nháp"); Lạch Tray is
taken down while its relic ("Đền Phường Đóng") is still marked live. Every relic has a
panorama with published tiles, so each visitor surface can be asked for what it must not show.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from PIL import Image

from content.models import RelicPage
from content.permissions import ensure_ward_editors
from media_pipeline.models import Panorama
from tests.factories import make_district, make_place, make_relic

PUBLIC, DRAFT, UNDER_CLOSED_WARD = "Đình Công Khai", "Miếu Bản Nháp", "Đền Phường Đóng"
HIDDEN = (DRAFT, UNDER_CLOSED_WARD)
PLACE_PUBLIC, PLACE_HIDDEN = "Quán Công Khai", "Quán Phường Đóng"
TILE = "v1/1/f0_0.jpg"


def jpeg(size=(64, 32), color=(120, 60, 30), **save) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", **save)
    return buf.getvalue()


def _panorama(relic: RelicPage) -> Panorama:
    pano = Panorama.objects.create(
        title=f"Sân {relic.title}", relic=relic, status="ready", tiles_version="v1"
    )
    for name in ("v1/preview.jpg", TILE):
        path = pano.tiles_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg())
    return pano


def build_hidden_district() -> dict:
    d = make_district(wards=("Đông Khê", "Lạch Tray"))
    open_ward, closed_ward = d["wards"]
    relics = {
        PUBLIC: make_relic(open_ward, PUBLIC, artifacts=1, inscriptions=1, relic_code="DT01"),
        DRAFT: make_relic(open_ward, DRAFT, lat="20.8570", lon="106.6830", relic_code="DT02"),
        UNDER_CLOSED_WARD: make_relic(
            closed_ward, UNDER_CLOSED_WARD, lat="20.8580", lon="106.6840", relic_code="DT03"
        ),
    }
    d["places"] = {
        PLACE_PUBLIC: make_place(open_ward, PLACE_PUBLIC),
        PLACE_HIDDEN: make_place(closed_ward, PLACE_HIDDEN, lat="20.8575"),
    }
    d["panoramas"] = {title: _panorama(relic) for title, relic in relics.items()}
    relics[DRAFT].unpublish()
    closed_ward.unpublish()  # its relic and place stay marked live
    d["relics"] = relics
    User = get_user_model()
    d["superuser"] = User.objects.create_superuser("quantri", "qt@example.vn", "x")
    editor = User.objects.create_user("bientap_dongkhe", password="x")
    editor.groups.add(ensure_ward_editors(open_ward))
    ensure_ward_editors(closed_ward)
    d["editor"] = editor
    return d


def media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
