"""A second QR per relic opens its rating form directly; it is printed with the plaque tools,
decodes with zbarimg, and leaves the relic's own code untouched."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command

from media_pipeline.qr.models import ShortCode
from media_pipeline.qr.short_codes import code_for_page, url_for_code
from tests.media_pipeline.qr_decoding import decode, rasterise

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1"


def test_staff_add_a_rating_code_and_download_its_plaque(client, relic, tmp_path):
    page_code = code_for_page(relic)
    admin = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "x")
    client.force_login(admin)
    url = f"/admin/qr/pages/{relic.pk}/"
    assert "Cấp mã QR đánh giá" in client.get(url).content.decode()
    client.post(url, {"purpose": "rating"})
    rating_code = code_for_page(relic, ShortCode.Purpose.RATING)
    assert rating_code is not None and rating_code.code != page_code.code
    assert code_for_page(relic) == page_code  # the plaque already on the wall is unchanged
    html = client.get(url).content.decode()
    assert "Phiếu đánh giá" in html and "Cấp mã QR đánh giá" not in html
    response = client.get(f"{url}plaque/?size=a6&format=pdf&purpose=rating")
    assert response.status_code == 200
    assert "danh-gia" in response["Content-Disposition"]
    pdf = tmp_path / "rating.pdf"
    pdf.write_bytes(response.content)
    (png,) = rasterise(pdf, dpi=200)
    assert decode(png) == [url_for_code(rating_code.code)]


def test_a_rating_code_scan_lands_on_the_rating_form(client, relic):
    from media_pipeline.qr.short_codes import assign_code

    rating_code = assign_code(relic, purpose=ShortCode.Purpose.RATING)
    page_code = code_for_page(relic)
    scan = client.get(f"/Q/{rating_code.code}", HTTP_USER_AGENT=PHONE)
    assert scan.status_code == 302 and scan["Location"] == f"{relic.url}#danh-gia"
    plain = client.get(f"/Q/{page_code.code}", HTTP_USER_AGENT=PHONE)
    assert plain["Location"] == relic.url  # existing codes still open the page at the top
    html = client.get(relic.url).content.decode()
    assert 'id="danh-gia"' in html and 'name="score"' in html


def test_make_plaques_prints_rating_plaques_for_every_relic(relic, tmp_path):
    out = tmp_path / "danh-gia.pdf"
    call_command("make_plaques", "--purpose", "rating", "--size", "a6", "--out", str(out))
    rating_code = code_for_page(relic, ShortCode.Purpose.RATING)
    (png,) = rasterise(Path(out), dpi=150)
    assert decode(png) == [url_for_code(rating_code.code)]
