"""A visitor rates a relic, comments and reports what is broken, from its page, no account."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image
from wagtail.models import Locale

from feedback.models import Rating, Report
from tests.factories import publish
from tests.feedback.helpers import jpeg_with_gps, post_json, rating_url, report_url


def test_relic_page_shows_the_rating_form_and_the_report_form(client, relic):
    html = client.get(relic.url).content.decode()
    assert 'id="danh-gia"' in html
    assert f'action="/feedback/{relic.pk}/rating/"' in html
    assert f'action="/feedback/{relic.pk}/report/"' in html
    assert 'name="csrfmiddlewaretoken"' not in html  # checked by Origin: the page stays cacheable
    for kind in ["Biển thông tin hỏng", "Cổng đóng trong giờ mở cửa", "Thông tin sai"]:
        assert kind in html
    # Consent and the stated purpose stand beside the contact field.
    assert 'name="contact_consent"' in html and "giữ tối đa 12 tháng" in html


def test_a_rating_counts_at_once_and_its_comment_waits_for_approval(client, relic):
    response = post_json(
        client,
        rating_url(relic),
        {"score": "4", "comment": "Đình đẹp, sạch sẽ.", "client_key": "k" * 16},
    )
    assert response.status_code == 201 and response.json()["ok"]
    rating = Rating.objects.get()
    assert (rating.score, rating.relic_id, rating.language) == (4, relic.pk, "vi")
    assert rating.status == Rating.Status.PENDING and rating.contact == ""
    assert "Đình đẹp, sạch sẽ." not in client.get(relic.url).content.decode()
    rating.status, rating.reply = Rating.Status.APPROVED, "Cảm ơn bạn đã ghé thăm."
    rating.save()
    html = client.get(relic.url).content.decode()
    assert "Đình đẹp, sạch sẽ." in html and "Cảm ơn bạn đã ghé thăm." in html


def test_a_comment_in_english_is_kept_for_the_vietnamese_relic(client, relic):
    english = relic.copy_for_translation(
        Locale.objects.get_or_create(language_code="en")[0], copy_parents=True
    )
    publish(english)
    for ancestor in english.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            publish(ancestor)
    html = client.get(english.url).content.decode()
    assert f'action="/en/feedback/{english.pk}/rating/"' in html
    response = post_json(
        client, f"/en/feedback/{english.pk}/rating/", {"score": "5", "comment": "Lovely"}
    )
    assert response.status_code == 201
    assert response.json()["message"].startswith("Thank you")
    rating = Rating.objects.get()
    assert rating.relic_id == relic.pk and rating.language == "en"


def test_a_contact_is_kept_only_with_consent_and_until_its_retention_date(client, relic):
    refused = post_json(client, rating_url(relic), {"score": "3", "contact": "0912 345 678"})
    assert refused.status_code == 400 and "contact_consent" in refused.json()["errors"]
    assert not Rating.objects.exists()
    ok = post_json(
        client,
        rating_url(relic),
        {"score": "3", "contact": "0912 345 678", "contact_consent": "1"},
    )
    assert ok.status_code == 201
    rating = Rating.objects.get()
    assert rating.contact == "0912 345 678" and rating.contact_purpose == "reply"
    keep = rating.contact_keep_until - rating.contact_consent_at
    assert keep == datetime.timedelta(days=365)


def test_a_report_with_a_phone_photo_is_stored_without_its_gps_under_a_new_name(client, relic):
    photo = SimpleUploadedFile("IMG_20250101_Nguyen_Van_A.jpg", jpeg_with_gps(), "image/jpeg")
    response = post_json(
        client,
        report_url(relic),
        {"kind": "damaged_plaque", "description": "Biển bị nứt.", "photo": photo},
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.kind == "damaged_plaque" and report.status == Report.Status.NEW
    assert report.ward_id == relic.get_parent().pk  # the ward responsible
    name = report.photo.name.rsplit("/", 1)[-1]
    assert name.endswith(".jpg") and "Nguyen" not in name and "IMG" not in name
    with report.photo.open("rb") as fh, Image.open(fh) as img:
        exif = img.getexif()
        assert img.format == "JPEG" and img.size == (640, 480)
        assert not exif.get_ifd(0x8825) and 0x010F not in exif
    with report.photo.open("rb") as fh:
        stored = fh.read()
    assert b"SERIAL-12345" not in stored and b"PhoneMaker" not in stored


def test_a_png_screenshot_keeps_its_type(client, relic):
    import io

    buf = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(buf, "PNG")
    photo = SimpleUploadedFile("anh.jpg", buf.getvalue(), "image/jpeg")  # the name lies
    assert (
        post_json(client, report_url(relic), {"kind": "wrong_info", "photo": photo}).status_code
        == 201
    )
    assert Report.objects.get().photo.name.endswith(".png")


def test_without_javascript_the_visitor_gets_a_page_in_their_language(client, relic):
    response = client.post(rating_url(relic), {"score": "5"})
    assert response.status_code == 201
    html = response.content.decode()
    assert "Cảm ơn bạn đã đánh giá!" in html and "#danh-gia" in html
    response = client.post(f"/fr{rating_url(relic)}", {"score": "9"})
    assert response.status_code == 400
    assert "Le nombre d’étoiles" in response.content.decode()


@override_settings(FEEDBACK_CONTACT_RETENTION_DAYS=30)
def test_retention_follows_the_setting(client, relic):
    post_json(
        client,
        report_url(relic),
        {"kind": "litter_safety", "contact": "khach@example.vn", "contact_consent": "1"},
    )
    report = Report.objects.get()
    assert report.contact_purpose == "follow_up"
    expected = timezone.now() + datetime.timedelta(days=30)
    assert abs((report.contact_keep_until - expected).total_seconds()) < 60
