"""The digitisation to-do list: what each relic lacks, with a link to fix it, the report's
figures, ward editors fenced to their ward, a spreadsheet export, and a fixed query count."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from wagtail.models import Locale

from content.models import Inscription, Narration
from media_pipeline.models import DailyScanCount, PlaqueBatch
from media_pipeline.panoramas.models import Panorama
from media_pipeline.qr.short_codes import code_for_page
from progress.checklist import RelicFacts, gaps, report_lines, totals
from progress.facts import collect, relics_for
from tests.factories import make_image, make_relic, make_staff, publish

TODO = "/admin/so-hoa/"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]


@pytest.fixture
def relics(district):
    ward_a, ward_b = district["wards"]
    full = make_relic(
        ward_a, "Đình Đông Khê", ranking="quoc_gia", artifacts=2, inscriptions=1, with_images=True
    )
    full.hero_image = make_image("Toàn cảnh đình")
    publish(full)
    Panorama.objects.create(title="Sân đình", relic=full, status="ready", tiles_version="v1")
    for language in ("vi", "en"):
        Narration.objects.create(relic=full, language=language, file=f"n/{language}.mp3")
    english = full.copy_for_translation(
        Locale.objects.get_or_create(language_code="en")[0], copy_parents=True
    )
    english.save_revision().publish()
    bare = make_relic(ward_a, "Miếu Ba Xã", lat=None, lon=None, inscriptions=2, artifacts=1)
    Inscription.objects.filter(relic=bare).update(translation="")
    other = make_relic(ward_b, "=Chùa Lạch Tray", ranking="cap_tinh")
    return {"full": full, "bare": bare, "other": other, **make_staff(district)}


def relic_row(html: str, relic) -> str:
    return re.search(rf'<tr data-relic="{relic.pk}">(.*?)</tr>', html, re.S)[1]


def test_each_relic_lists_what_it_lacks_with_a_link_to_fix_it(admin_client, relics):
    html = admin_client.get(TODO).content.decode()
    bare = relic_row(html, relics["bare"])
    edit = f"/admin/pages/{relics['bare'].pk}/edit/"
    for gap in [
        "Chưa có ảnh đại diện",
        "Chưa có tọa độ: không hiện trên bản đồ",
        "2 di văn chưa có ảnh bản dập",
        "2 di văn chưa có dịch nghĩa",
        "1 hiện vật chưa có ảnh",
    ]:
        assert f'{gap} — <a class="w-underline" href="{edit}">Sửa</a>' in bare, gap
    assert f'href="/admin/panoramas/add/?relic={relics["bare"].pk}"' in bare
    assert (
        f'href="/admin/snippets/content/narration/add/?relic={relics["bare"].pk}&amp;language=en"'
    )
    assert f"/admin/localize/submit/page/{relics['bare'].pk}/" in bare
    assert (
        f'Chưa in biển QR — <a class="w-underline" href="/admin/qr/pages/{relics["bare"].pk}/">'
        in bare
    )
    full = relic_row(html, relics["full"])
    assert "đã số hóa" in full and "Chưa có ảnh 360°" not in full
    assert "Tiếng Việt" not in full and ">English<" not in full and "bản dập" not in full


def test_the_add_forms_open_filled_in_for_the_relic(admin_client, relics):
    pk = relics["bare"].pk
    pano = admin_client.get(f"/admin/panoramas/add/?relic={pk}").content.decode()
    chosen = rf'(<input type="hidden" name="relic" value="{pk}"|<option value="{pk}" selected>)'
    assert re.search(chosen, pano) and "Miếu Ba Xã" in pano
    narration = admin_client.get(
        f"/admin/snippets/content/narration/add/?relic={pk}&language=en"
    ).content.decode()
    assert re.search(chosen, narration)
    assert '<option value="en" selected>' in narration


def test_the_figures_a_culture_office_reports(admin_client, relics):
    html = admin_client.get(TODO).content.decode()
    for line in [
        "Số di tích đã số hóa: 1/3 (đã xuất bản 3).",
        "Di tích đã xếp hạng có biển QR: 0/2.",
        "Hiện vật đã kiểm kê: 3 hiện vật tại 2 di tích.",
        "Di văn: 3 tại 2 di tích, 1 có ảnh bản dập.",
        "Di tích có ảnh 360°: 1.",
        "Ngôn ngữ phục vụ khách: 2 (Tiếng Việt, English).",
    ]:
        assert line in html, line
    # The dashboard shows the same figures, with each ward's gaps.
    dashboard = admin_client.get("/admin/").content.decode()
    assert "Việc số hóa còn thiếu" in dashboard and "Số di tích đã số hóa: 1/3" in dashboard


def test_printed_and_scanned_plaques_leave_the_list(admin_client, relics):
    relic = relics["other"]
    admin_client.get(f"/admin/qr/pages/{relic.pk}/plaque/", {"size": "a6", "format": "svg-zip"})
    assert PlaqueBatch.objects.filter(status="done", page_ids=[relic.pk]).exists()

    def row():
        return relic_row(admin_client.get(TODO).content.decode(), relic)

    assert "Chưa in biển QR" not in row() and "chưa ai quét" in row()
    DailyScanCount.objects.create(
        code=code_for_page(relic), date="2026-11-20", language="vi", device_class="phone", count=3
    )
    assert "chưa ai quét" not in row()
    html = admin_client.get(TODO).content.decode()
    assert "Di tích đã xếp hạng có biển QR: 1/2." in html
    assert "Biển QR đã in: 1, trong đó đã có người quét (đã gắn): 1" in html


def test_a_ward_editor_sees_their_ward_and_a_reviewer_the_district(client, relics):
    client.force_login(relics["editor"])
    html = client.get(TODO).content.decode()
    assert "Miếu Ba Xã" in html and "Chùa Lạch Tray" not in html
    assert "Tiến độ số hóa di tích – Đông Khê –" in html
    # An editor may not add panoramas: the gap is listed without a link to a refused screen.
    assert "Chưa có ảnh 360°" in html and "/admin/panoramas/add/" not in html
    exported = client.get(TODO + "xuat.csv").content.decode("utf-8-sig")
    assert "Miếu Ba Xã" in exported and "Lạch Tray" not in exported
    client.force_login(relics["reviewer"])
    html = client.get(TODO).content.decode()
    assert "Miếu Ba Xã" in html and "Chùa Lạch Tray" in html
    assert "/admin/panoramas/add/" in html


def test_the_export_is_a_spreadsheet_that_runs_no_formula(admin_client, relics):
    response = admin_client.get(TODO + "xuat.xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="viec-so-hoa-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Theo phường", "Theo di tích"]
    summary = [row[0] for row in book["Tổng hợp"].iter_rows(values_only=True) if row[0]]
    assert "Số di tích đã số hóa: 1/3 (đã xuất bản 3)." in summary
    rows = list(book["Theo di tích"].iter_rows(values_only=True))
    header, body = rows[0], {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:4] == ("Phường / xã", "Di tích", "Xếp hạng", "Đã số hóa")
    assert "'=Chùa Lạch Tray" in body  # a title starting with "=" stays text
    bare = body["Miếu Ba Xã"]
    assert (bare["Tọa độ"], bare["Di văn thiếu bản dập"]) == ("Thiếu", 2)
    assert bare["Thuyết minh"].startswith("Tiếng Việt, English, ")
    assert "English" not in body["Đình Đông Khê"]["Thuyết minh"]
    assert bare["Sửa tại"] == f"http://testserver/admin/pages/{relics['bare'].pk}/edit/"
    wards = list(book["Theo phường"].iter_rows(values_only=True))
    assert wards[1][:3] == ("Đông Khê", 2, 1)
    text = admin_client.get(TODO + "xuat.csv").content
    assert text.startswith("\ufeff".encode())
    parsed = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert len(parsed) == 4 and parsed[0][-1] == "Sửa tại"


def _query_count(user) -> int:
    user = type(user).objects.get(pk=user.pk)  # a fresh request: no permissions cached yet
    with CaptureQueriesContext(connection) as ctx:
        collect(relics_for(user))
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_3_relics_or_15(relics, district, admin_user):
    few = _query_count(admin_user)
    few_editor = _query_count(relics["editor"])
    for n in range(12):
        relic = make_relic(district["wards"][n % 2], f"Đình số {n}", artifacts=1, inscriptions=1)
        Narration.objects.create(relic=relic, language="vi", file=f"n/{n}.mp3")
    assert len(collect(relics_for(admin_user))) == 15
    assert _query_count(admin_user) == few <= 10
    assert _query_count(relics["editor"]) == few_editor


def test_the_core_counts_gaps_and_figures_without_a_database():
    relic = RelicFacts(
        id=1,
        title="Đình",
        ward_id=2,
        ward="Đông Khê",
        ranking="kiem_ke",
        live=False,
        has_photo=True,
        has_coordinates=True,
        has_summary=True,
        narrations=frozenset({"vi"}),
        plaque_printed=True,
    )
    keys = [g.key for g in gaps(relic, LANGUAGES)]
    assert keys == ["unpublished", "panorama", "narration", "translation", "unscanned"]
    figures = totals([relic], LANGUAGES)
    assert (figures.digitised, figures.plaques_printed, figures.plaques_with_narration) == (0, 1, 1)
    assert report_lines(figures)[-1] == "Ngôn ngữ phục vụ khách: 1 (Tiếng Việt)."
