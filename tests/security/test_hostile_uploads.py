"""Hostile files on every upload path: a Vietnamese message (or 4xx), never a 500, nothing
stored for a refusal (rows and files counted before and after, temporary uploads included),
and what is accepted stored under a generated name with the extension of its content.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from content.models import Artifact, InventoryImport, Narration, RelicPage
from maps.models import GeoImport, WardBoundary
from media_pipeline.models import Panorama, PanoramaPhoto
from tests.audio_files import mp3_bytes, wav_bytes
from tests.security.district import PUBLIC, jpeg, media_files

HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG whose header claims 10¹⁰ pixels, with a few bytes of data: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def png(size=(64, 48)) -> bytes:
    from PIL import Image as PILImage

    buf = io.BytesIO()
    PILImage.new("RGB", size, (10, 200, 30)).save(buf, "PNG")
    return buf.getvalue()


def polyglot(size=(64, 48)) -> bytes:
    """A valid JPEG carrying an HTML page in its comment segment."""
    return jpeg(size, comment=HTML)


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


PANO = jpeg((1024, 512))
GEOJSON = (
    b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
    b'{"code":"DT01"},"geometry":{"type":"Point","coordinates":[106.6812,20.8612]}}]}'
)
INVENTORY_CSV = "Mã di tích,Số kiểm kê,Tên hiện vật,Chất liệu\nDT01,HV-900,Bát hương,Gốm\n".encode()

# Rows that must not change when an upload is refused.
COUNTED = (Image, Document, Panorama, PanoramaPhoto, Narration, RelicPage, Artifact, WardBoundary)


@dataclass(frozen=True)
class Upload:
    id: str
    path: str  # which upload path (see post())
    name: str
    data: bytes
    refused: bool = True
    message: str = ""  # part of the Vietnamese message staff see
    stored_ext: str = ""  # for an accepted upload: the extension it is stored with


def cases() -> list[Upload]:
    out: list[Upload] = []
    add = out.append
    truncated = jpeg((800, 600))[:2000]
    for path in ("image", "images-multiple"):
        add(Upload(f"{path}-truncated-jpeg", path, "anh.jpg", truncated, message="bị hỏng"))
        add(Upload(f"{path}-zero-bytes", path, "rong.jpg", b"", message="rỗng"))
        add(Upload(f"{path}-svg-script", path, "logo.svg", SVG, message="không phải ảnh"))
        add(Upload(f"{path}-svg-named-jpg", path, "logo.jpg", SVG, message="không phải ảnh"))
        add(Upload(f"{path}-html-named-jpg", path, "anh.jpg", HTML, message="không phải ảnh"))
        add(Upload(f"{path}-polyglot-named-html", path, "a.html", polyglot(), message="hỗ trợ"))
        add(Upload(f"{path}-bomb-header", path, "bom.png", png_bomb(), message="điểm ảnh"))
        not_image = "không phải ảnh"
        add(Upload(f"{path}-exe-named-png", path, "a.png", b"MZ" + bytes(4000), message=not_image))
        add(Upload(f"{path}-text-named-gif", path, "a.gif", b"GIF? no, text", message=not_image))
        add(Upload(f"{path}-png-named-jpg", path, "a.jpg", png(), message="không khớp"))
        add(
            Upload(
                f"{path}-polyglot-named-jpg-accepted",
                path,
                "đình làng 🏯.jpg",
                polyglot(),
                refused=False,
                stored_ext="jpg",
            )
        )
    for path in ("document", "documents-multiple"):
        add(Upload(f"{path}-html-named-pdf", path, "bao-cao.pdf", HTML, message="PDF"))
        add(Upload(f"{path}-svg-named-txt", path, "ghi-chu.txt", SVG, message="PDF"))
        add(Upload(f"{path}-exe-named-zip", path, "goi.zip", b"MZ" + bytes(4000), message="PDF"))
        add(Upload(f"{path}-zero-bytes", path, "rong.pdf", b"", message="rỗng"))
        add(Upload(f"{path}-html-named-html", path, "trang.html", HTML, message="PDF"))
        add(
            Upload(
                f"{path}-pdf-accepted",
                path,
                "Báo cáo 2025.pdf",
                b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                refused=False,
                stored_ext="pdf",
            )
        )
    for name, data, message in (
        ("truncated.jpg", truncated, "hỏng"),
        ("rong.jpg", b"", ""),
        ("logo.svg", SVG, ""),
        ("trang.html", HTML, ""),
        ("bom.png", png_bomb(), "điểm ảnh"),
        ("nho.jpg", jpeg((640, 480)), ""),
    ):
        add(Upload(f"panorama-{name}", "panorama", name, data, message=message))
    add(Upload("panorama-polyglot-accepted", "panorama", "polyglot.html", PANO, False, "", "jpg"))
    add(Upload("panorama-photos-one-truncated", "panorama-photos", "p.jpg", truncated))
    add(Upload("panorama-photos-html", "panorama-photos", "p.jpg", HTML))
    for name, data, message in (
        ("rong.mp3", b"", "rỗng"),
        ("trang.mp3", HTML, "không phải âm thanh"),
        ("logo.ogg", SVG, "không phải âm thanh"),
        ("cat-cut.mp3", mp3_bytes(3)[:3], ""),
        ("ban-thu.wav", wav_bytes(), "WAV"),
        ("anh.mp3", jpeg(), "không phải âm thanh"),
    ):
        add(Upload(f"narration-{name}", "narration", name, data, message=message))
    add(Upload("narration-mp3-named-html", "narration", "x.html", mp3_bytes(2), False, "", "mp3"))
    for name, data, message in (
        ("evil.html", HTML, "trang web"),
        ("evil.svg", SVG, "trang web"),
        ("rong.csv", b"", "rỗng"),
        ("cat-cut.xlsx", zipped({"xl/workbook.xml": b"<x/>" * 100})[:300], "hỏng"),
        ("anh.xlsx", jpeg(), "ảnh"),
    ):
        add(Upload(f"inventory-{name}", "inventory", name, data, message=message))
    add(Upload("inventory-csv-named-html", "inventory", "x.html", INVENTORY_CSV, False, "", "csv"))
    add(Upload("inventory-images-html-zip", "inventory-images", "anh.zip", HTML))
    add(
        Upload(
            "inventory-images-polyglot-member",
            "inventory-images",
            "anh.zip",
            zipped({"bat-huong.png": polyglot()}),
            refused=False,
            stored_ext="zip",
        )
    )
    for name, data in (
        ("evil.html", HTML),
        ("evil.svg", SVG),
        ("rong.geojson", b""),
        ("cat-cut.zip", zipped({"a.shp": bytes(500)})[:100]),
        ("rac.geojson", b"\x00\x01binary"),
        ("regex.csv", b"(.*)+$,\x00\n" * 3),
    ):
        add(Upload(f"geodata-{name}", "geodata", name, data))
    add(Upload("geodata-geojson-named-html", "geodata", "x.html", GEOJSON, True))
    add(
        Upload("geodata-geojson-accepted", "geodata", "diem.geojson", GEOJSON, False, "", "geojson")
    )
    return out


CASES = cases()


def test_the_battery_is_large():
    assert len(CASES) >= 60, len(CASES)
    assert len({c.id for c in CASES}) == len(CASES)


def post(client, case: Upload, relic: RelicPage):
    file = SimpleUploadedFile(case.name, case.data, content_type="application/octet-stream")
    if case.path == "image":
        return client.post("/admin/images/add/", {"title": "Ảnh", "file": file})
    if case.path == "images-multiple":
        return client.post("/admin/images/multiple/add/", {"files[]": file})
    if case.path == "document":
        return client.post("/admin/documents/add/", {"title": "Tài liệu", "file": file})
    if case.path == "documents-multiple":
        return client.post("/admin/documents/multiple/add/", {"files[]": file})
    if case.path in ("panorama", "panorama-photos"):
        fields = {"title": "Sân", "relic": "", "hotspots": inline_formset([])}
        for name in ("haov", "vaov", "v_offset", "initial_yaw", "initial_pitch", "initial_hfov"):
            fields[name] = ""
        data = nested_form_data(fields)
        if case.path == "panorama":
            data["original"] = file
        else:
            good = SimpleUploadedFile("p0.jpg", jpeg((640, 480)))
            data["photo_files"] = [good, file]
        return client.post("/admin/panoramas/add/", data)
    if case.path == "narration":
        return client.post(
            "/admin/snippets/content/narration/add/",
            {"relic": relic.pk, "language": "en", "transcript": "", "narrator": "", "file": file},
        )
    if case.path in ("inventory", "inventory-images"):
        data = {"file": file, "mode": "all_or_nothing"}
        if case.path == "inventory-images":
            rows = "Mã di tích,Số kiểm kê,Tên hiện vật,Ảnh\nDT01,HV-901,Bát hương,bat-huong.png\n"
            data = {**data, "file": SimpleUploadedFile("hv.csv", rows.encode()), "images": file}
        return client.post("/admin/kiem-ke/", data)
    if case.path == "geodata":
        return client.post(
            "/admin/nhap-ban-do/", {"file": file, "kind": "points", "crs": "EPSG:4326"}
        )
    raise AssertionError(case.path)


def snapshot(temp: Path) -> dict:
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    return {"rows": counts, "files": media_files(), "temp": sorted(temp.iterdir())}


def shown_text(client, response) -> str:
    if response.status_code == 302:
        return client.get(response["Location"]).content.decode()
    if response["Content-Type"].startswith("application/json"):
        return str(response.json())
    return response.content.decode()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_upload(client, db, _hidden_module, settings, tmp_path, case):
    # Every upload goes through a temporary file, which must be gone afterwards.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client.force_login(_hidden_module["superuser"])
    relic = RelicPage.objects.get(pk=_hidden_module["relics"][PUBLIC].pk)
    before = snapshot(tmp_path)
    response = post(client, case, relic)
    assert response.status_code in (200, 302), response.status_code
    text = shown_text(client, response)
    after = snapshot(tmp_path)
    assert after["temp"] == [], "a temporary upload was left behind"
    new_files = after["files"] - before["files"]
    if case.refused:
        assert after["rows"] == before["rows"]
        assert new_files == set(), new_files
        for job in (*InventoryImport.objects.all(), *GeoImport.objects.all()):
            assert not job.file, "a refused import kept its file"
        assert case.message in text, text[:3000]
        if response.status_code == 200 and not case.path.endswith("-multiple"):
            assert "lỗi" in text or "rỗng" in text  # Wagtail's "… vì có lỗi", in Vietnamese
    else:
        assert new_files, "nothing stored"
        originals = [p for p in new_files if "/images/" not in str(p) or case.path == "image"]
        stored = {p.suffix.lstrip(".") for p in originals}
        assert case.stored_ext in stored, stored
        for path in new_files:
            assert Path(case.name).stem not in path.name  # a generated name
            assert path.suffix not in (".html", ".svg")


def test_an_accepted_polyglot_is_served_as_a_picture_never_as_a_page(
    client, db, _hidden_module, settings
):
    client.force_login(_hidden_module["superuser"])
    before = media_files()
    post(client, Upload("p", "panorama", "polyglot.html", jpeg((1024, 512), comment=HTML)), None)
    (original,) = [p for p in media_files() - before if "originals" in str(p)]
    url = "/media/" + original.relative_to(settings.MEDIA_ROOT).as_posix()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_media_that_is_not_a_picture_or_sound_is_downloaded(client, db, settings):
    folder = Path(settings.MEDIA_ROOT) / "original_images"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "old-upload.html").write_bytes(HTML)  # stored before names were generated
    response = client.get("/media/original_images/old-upload.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_image_from_an_inventory_zip_is_stored_by_its_content(client, db, _hidden_module):
    client.force_login(_hidden_module["superuser"])
    case = next(c for c in CASES if c.id == "inventory-images-polyglot-member")
    response = post(client, case, None)
    job = InventoryImport.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    client.post(f"/admin/kiem-ke/{job.pk}/nhap/")
    image = Image.objects.get(title="bat-huong.png")  # a JPEG (with HTML inside) named .png
    assert image.file.name.endswith(".jpg") and "bat-huong" not in image.file.name
