"""Staff upload panoramas in the admin: checked before saving, processed in the background."""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np
import pytest

from media_pipeline.models import Panorama, PanoramaPhoto
from tests.factories import make_relic
from tests.media_pipeline.panorama_helpers import (
    ADD_URL,
    edit_url,
    files_under,
    form_data,
    photo_uploads,
    published,
    upload,
)
from tests.media_pipeline.panorama_images import gpano_xmp, jpeg_bytes, synthetic_pano
from tests.vietnamese import assert_vietnamese


def _post(client, captured, url=ADD_URL, **fields):
    with captured(execute=True):
        return client.post(url, form_data(**fields))


def test_upload_is_tiled_and_published(
    admin_client, media, district, django_capture_on_commit_callbacks
):
    relic = make_relic(district["wards"][0])
    data = jpeg_bytes(synthetic_pano(), gpano_xmp(InitialViewHeadingDegrees=90))
    response = _post(
        admin_client,
        django_capture_on_commit_callbacks,
        original=upload("san-dinh.jpg", data),
        relic=str(relic.pk),
    )
    assert response.status_code == 302
    pano = Panorama.objects.get()
    folder = published(pano)
    assert (pano.status, pano.progress, pano.error_message) == ("ready", 100, "")
    assert pano.kind == "full" and (pano.width, pano.height) == (1024, 512)
    assert pano.initial_yaw == 90  # GPano's initial heading opens the view
    config = json.loads((folder / "config.json").read_text())
    assert config["type"] == "multires" and config["multiRes"]["cubeResolution"] > 0
    assert (folder / "preview.jpg").exists() and (folder / "1" / "f0_0.jpg").exists()
    # The original is kept, byte for byte.
    assert open(pano.original.path, "rb").read() == data
    listing = admin_client.get("/admin/panoramas/").content.decode()
    assert "Sẵn sàng" in listing and 'http-equiv="refresh"' not in listing


def _bomb() -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 60_000, 30_000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


BAD_FILES = {
    "truncated": (lambda: jpeg_bytes(synthetic_pano())[:20_000], "bị cắt cụt"),
    "not an image": (lambda: "Đây là văn bản, không phải ảnh.".encode() * 50, "không phải là ảnh"),
    "decompression bomb": (_bomb, "bom giải nén"),
    "too small": (lambda: jpeg_bytes(np.zeros((200, 400, 3), np.uint8)), "quá nhỏ"),
    "empty": (lambda: b"", "Tệp"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_is_refused_before_anything_is_saved(admin_client, media, db, case):
    make, expected = BAD_FILES[case]
    response = admin_client.post(ADD_URL, form_data(original=upload("anh.jpg", make())))
    html = response.content.decode()
    assert response.status_code == 200  # the form again, with the reason
    assert expected in html
    assert Panorama.objects.count() == 0
    assert files_under(media) == []


def test_partial_panorama_without_angles_is_kept_for_staff_to_fix(
    admin_client, media, db, django_capture_on_commit_callbacks
):
    wide = jpeg_bytes(np.ascontiguousarray(synthetic_pano()[128:384]))  # 1024×256: 4:1
    response = _post(
        admin_client, django_capture_on_commit_callbacks, original=upload("hanh-lang.jpg", wide)
    )
    assert response.status_code == 302
    pano = Panorama.objects.get()
    assert pano.status == "failed" and "tỉ lệ 2:1" in pano.error_message
    assert_vietnamese(pano.error_message)
    assert pano.original and files_under(media / "panoramas" / "originals")
    assert not pano.tiles_root.exists()  # nothing half-published
    listing = admin_client.get("/admin/panoramas/").content.decode()
    assert "tỉ lệ 2:1" in listing and "Thử lại" in listing
    assert "tỉ lệ 2:1" in admin_client.get(edit_url(pano.pk)).content.decode()

    # Staff type the angles in and save: the kept upload is processed, nothing re-uploaded.
    response = _post(
        admin_client,
        django_capture_on_commit_callbacks,
        url=edit_url(pano.pk),
        title=pano.title,
        haov="180",
        vaov="45",
    )
    assert response.status_code == 302
    pano.refresh_from_db()
    assert (pano.status, pano.kind) == ("ready", "partial")
    config = json.loads((published(pano) / "config.json").read_text())
    assert config["haov"] == 180 and config["vaov"] == 45


def test_impossible_angles_are_refused_on_the_field(admin_client, media, db):
    response = admin_client.post(
        ADD_URL,
        form_data(original=upload("a.jpg", jpeg_bytes(synthetic_pano())), haov="400", vaov="90"),
    )
    assert "không quá 360°" in response.content.decode()
    assert Panorama.objects.count() == 0 and files_under(media) == []


def test_retry_requeues_a_failed_panorama(
    admin_client, media, db, django_capture_on_commit_callbacks
):
    pano = Panorama.objects.create(title="Hậu cung")
    pano.original.save("hau-cung.jpg", upload("x.jpg", jpeg_bytes(synthetic_pano())))
    Panorama.objects.filter(pk=pano.pk).update(status="failed", error_message="Lỗi thử")
    page = admin_client.get(f"/admin/panoramas/retry/{pano.pk}/").content.decode()
    assert "Lỗi thử" in page and "Thử lại" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/panoramas/retry/{pano.pk}/")
    assert response.status_code == 302
    pano.refresh_from_db()
    assert (pano.status, pano.error_message) == ("ready", "")


def test_listing_refreshes_itself_while_processing(admin_client, db):
    Panorama.objects.create(title="Đang chạy", status="processing", progress=40)
    html = admin_client.get("/admin/panoramas/").content.decode()
    assert 'http-equiv="refresh"' in html
    assert 'value="40"' in html and "Đang xử lý" in html


def test_photos_that_overlap_are_stitched(
    admin_client, media, db, django_capture_on_commit_callbacks
):
    photos = photo_uploads([-60, 0, 60], (90, 73.74))
    response = _post(
        admin_client, django_capture_on_commit_callbacks, photo_files=photos, title="Tiền đường"
    )
    assert response.status_code == 302
    pano = Panorama.objects.get()
    assert (pano.status, pano.kind) == ("ready", "photos"), pano.error_message
    assert pano.photos.count() == 3 and not pano.original
    config = json.loads((published(pano) / "config.json").read_text())
    assert 190 < config["haov"] < 230 and 65 < config["vaov"] < 85


def test_photos_that_do_not_overlap_fail_and_are_kept(
    admin_client, media, db, django_capture_on_commit_callbacks
):
    photos = photo_uploads([0, 120, -120], (60, 45))
    response = _post(
        admin_client, django_capture_on_commit_callbacks, photo_files=photos, title="Ba hướng"
    )
    assert response.status_code == 302
    pano = Panorama.objects.get()
    assert pano.status == "failed" and "không ghép được" in pano.error_message.lower()
    assert_vietnamese(pano.error_message)
    assert PanoramaPhoto.objects.filter(panorama=pano).count() == 3
    assert len(files_under(media / "panoramas" / "photos")) == 3
    assert not pano.tiles_root.exists()


def test_one_photo_is_not_a_set(admin_client, media, db):
    response = admin_client.post(
        ADD_URL, form_data(photo_files=photo_uploads([0], (90, 70)), title="Một ảnh")
    )
    assert "ít nhất 2 ảnh" in response.content.decode()
    assert Panorama.objects.count() == 0 and files_under(media) == []


def test_hotspot_targets_are_this_relics_records(admin_client, media, district):
    relic = make_relic(district["wards"][0], inscriptions=1, artifacts=1)
    other = make_relic(district["wards"][0], "Chùa Khác", inscriptions=1)
    pano = Panorama.objects.create(title="Sân", relic=relic, status="ready")
    other.inscriptions.update(title="Bia chùa khác")
    html = admin_client.get(edit_url(pano.pk)).content.decode()
    assert "Bia số 0" in html and "HV-000" in html
    assert "Bia chùa khác" not in html
    assert "Chuyển sang ảnh 360° khác" in html  # the hotspot kinds, in Vietnamese


def test_reviewers_manage_panoramas_and_ward_editors_do_not(client, district, django_user_model):
    from django.contrib.auth.models import Group

    from content.permissions import REVIEWERS_GROUP, ensure_review_workflow, ensure_ward_editors

    ensure_review_workflow(district["home"])
    editors = ensure_ward_editors(district["wards"][0])
    reviewer = django_user_model.objects.create_user("duyet", password="x")
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    editor = django_user_model.objects.create_user("bientap", password="x")
    editor.groups.add(editors)
    client.force_login(reviewer)
    assert client.get(ADD_URL).status_code == 200
    client.force_login(editor)
    assert client.get(ADD_URL).status_code == 302  # sent back: no permission
