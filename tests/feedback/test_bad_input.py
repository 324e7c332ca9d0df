"""What a careless visitor, a broken phone or a bot may send: each gets a clear message in the
visitor's language, never a 500, and nothing is stored that should not be."""

import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from feedback.models import Rating, Report
from feedback.ratelimit import client_hash
from tests.feedback.helpers import jpeg_with_gps, post_json, rating_url, report_url


def stored_photos() -> list:
    folder = settings.MEDIA_ROOT / "feedback"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def refused(response, status=400) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["ok"] is False and body["message"]
    return body["message"]


def test_an_empty_post_asks_for_stars(client, relic):
    assert refused(post_json(client, rating_url(relic), {})) == "Hãy chọn số sao, từ 1 đến 5."
    assert "Veuillez" not in refused(post_json(client, f"/fr{rating_url(relic)}", {}))
    assert refused(post_json(client, f"/ko{report_url(relic)}", {})) == "문제 유형을 선택해 주세요."
    assert not Rating.objects.exists() and not Report.objects.exists()


@pytest.mark.parametrize("score", ["0", "9", "abc", "4.5", "-1", ""])
def test_a_score_outside_one_to_five_is_refused(client, relic, score):
    message = refused(post_json(client, f"/en{rating_url(relic)}", {"score": score}))
    assert "1" in message and "5" in message and "star" in message.lower()
    assert not Rating.objects.exists()


def test_a_100_kb_comment_is_refused_before_it_is_read(client, relic):
    message = refused(
        post_json(client, rating_url(relic), {"score": "5", "comment": "a" * 100_000}), 413
    )
    assert "quá lớn" in message
    long = refused(
        post_json(client, f"/en{rating_url(relic)}", {"score": "5", "comment": "b" * 2001})
    )
    assert long == "Too long: at most 2000 characters (you wrote 2001)."
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "comment",
    [
        "<script>alert(1)</script>",
        "Đẹp lắm <img src=x onerror=alert(1)>",
        "Xem thêm tại javascript:alert(document.cookie)",
        "JaVaScRiPt :alert(1)",
    ],
)
def test_scripts_and_javascript_links_are_refused(client, relic, comment):
    message = refused(post_json(client, rating_url(relic), {"score": "5", "comment": comment}))
    assert "không nhận mã HTML" in message
    report = post_json(client, report_url(relic), {"kind": "wrong_info", "description": comment})
    assert "javascript:" in refused(report)
    assert not Rating.objects.exists() and not Report.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_and_not_kept(client, relic):
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 this is a program, not a photo", "image/jpeg")
    message = refused(
        post_json(client, report_url(relic), {"kind": "damaged_plaque", "photo": fake})
    )
    assert message == "Tệp này không phải ảnh JPEG, PNG hoặc WebP."
    assert not Report.objects.exists() and stored_photos() == []


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims width × height pixels: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_from_its_header(client, relic):
    bomb = SimpleUploadedFile("bom.png", png_header_only(60_000, 60_000), "image/png")
    message = refused(
        post_json(client, f"/ja{report_url(relic)}", {"kind": "closed_gate", "photo": bomb})
    )
    assert message == "写真の画素数が多すぎます。小さいサイズで撮り直してください。"
    assert not Report.objects.exists() and stored_photos() == []


def test_a_truncated_photo_is_refused(client, relic):
    broken = SimpleUploadedFile("cut.jpg", jpeg_with_gps()[:400], "image/jpeg")
    message = refused(
        post_json(client, report_url(relic), {"kind": "damaged_plaque", "photo": broken})
    )
    assert "hỏng" in message
    assert not Report.objects.exists() and stored_photos() == []


@override_settings(FEEDBACK_PHOTO_MAX_BYTES=1024 * 1024)
def test_an_oversized_photo_is_refused_before_it_is_read(client, relic):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\0" * (2 * 1024 * 1024), "image/jpeg")
    message = refused(
        post_json(client, report_url(relic), {"kind": "damaged_plaque", "photo": big}), 413
    )
    assert "1 MB" in message
    assert stored_photos() == []


def test_a_forged_post_is_refused_in_the_visitors_language(relic):
    strict = Client(enforce_csrf_checks=True)
    message = refused(post_json(strict, f"/zh-hans{rating_url(relic)}", {"score": "5"}), 403)
    assert message.startswith("表单已过期")
    html = strict.post(rating_url(relic), {"score": "5"}, HTTP_ORIGIN="https://evil.example")
    assert html.status_code == 403 and "tải lại trang" in html.content.decode()
    referer = strict.post(rating_url(relic), {"score": "5"}, HTTP_REFERER="https://evil.example/x")
    assert referer.status_code == 403
    assert not Rating.objects.exists()


def test_a_post_from_the_relic_page_goes_through(relic):
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(relic.url)
    assert "csrftoken" not in page.cookies  # the page is the same for everyone: cacheable
    response = post_json(strict, rating_url(relic), {"score": "5"}, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 201


def test_a_replayed_offline_post_is_stored_once(client, relic):
    post = {"score": "4", "comment": "Gửi lúc mất mạng", "client_key": "c0ffee-1234-5678"}
    first = post_json(client, rating_url(relic), post)
    again = post_json(client, rating_url(relic), post)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == {
        "ok": True,
        "message": "Chúng tôi đã nhận nội dung này rồi, cảm ơn bạn.",
        "errors": {},
    }
    assert Rating.objects.count() == 1


def test_a_malformed_client_key_is_refused(client, relic):
    refused(post_json(client, rating_url(relic), {"score": "4", "client_key": "<x>"}))
    assert not Rating.objects.exists()


def test_the_honeypot_thanks_a_bot_and_keeps_nothing(client, relic):
    response = post_json(
        client, rating_url(relic), {"score": "5", "website": "http://spam.example"}
    )
    assert response.status_code == 200 and response.json()["ok"]
    assert not Rating.objects.exists()


@override_settings(FEEDBACK_RATE_LIMIT=3, FEEDBACK_RATE_WINDOW=600)
def test_a_flood_is_stopped_without_storing_the_address(client, relic):
    phone = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Mozilla/5.0 (Android 14; Mobile)"}
    answers = [
        post_json(client, rating_url(relic), {"score": "5"}, **phone).status_code for _ in range(5)
    ]
    assert answers == [201, 201, 201, 429, 429]
    assert Rating.objects.count() == 3
    other = post_json(client, rating_url(relic), {"score": "5"}, REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 201  # another visitor is not held back
    message = post_json(client, f"/en{rating_url(relic)}", {"score": "5"}, **phone).json()[
        "message"
    ]
    assert message.startswith("You have sent several times")
    for row in Rating.objects.values():
        assert "203.0.113.7" not in str(row) and "Android" not in str(row)


def test_the_rate_key_changes_every_window_and_hides_the_address():
    one = client_hash("203.0.113.7", "UA", 600, "secret")
    assert one != client_hash("203.0.113.7", "UA", 1200, "secret")
    assert one != client_hash("203.0.113.7", "UA", 600, "other secret")
    assert "203" not in one and len(one) == 32


def test_a_contact_that_is_neither_phone_nor_email_is_refused(client, relic):
    for contact in ["abc", "khach@", "12"]:
        response = post_json(
            client, rating_url(relic), {"score": "4", "contact": contact, "contact_consent": "1"}
        )
        assert "contact" in response.json()["errors"]
    assert not Rating.objects.exists()


def test_an_unknown_or_unpublished_relic_gets_a_message(client, relic):
    assert refused(post_json(client, "/feedback/999999/rating/", {"score": "5"}), 404)
    relic.unpublish()
    assert refused(post_json(client, rating_url(relic), {"score": "5"}), 404)
    assert client.get(rating_url(relic)).status_code == 405
