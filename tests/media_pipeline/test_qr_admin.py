"""Staff in the admin: download plaques that decode, follow a batch, look after and re-point codes,
and read this week's scans on the dashboard."""

import datetime
import subprocess
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from content.models import DistrictSettings
from media_pipeline.models import DailyScanCount, PlaqueBatch, ShortCode, ShortCodeHistory
from media_pipeline.qr.short_codes import code_for_page
from tests.factories import make_image, make_place, make_relic
from tests.installed import tool
from tests.media_pipeline.qr_decoding import decode, rasterise

QR = "/admin/qr/"


@pytest.fixture
def relics(district):
    settings = DistrictSettings.for_site(district["site"])
    settings.district_name, settings.province_name = "Quận Ngô Quyền", "Hải Phòng"
    settings.logo = make_image("Biểu trưng", size=(120, 120), color=(200, 16, 46))
    settings.save()
    ward_a, ward_b = district["wards"]
    return [
        make_relic(ward_a, "Đình Đông Khê", ranking="quoc_gia", relic_type="dinh"),
        make_relic(ward_a, "Chùa Phổ Chiếu", relic_type="chua"),
        make_relic(ward_b, "Đền Nghè", relic_type="den"),
    ]


def url_of(page) -> str:
    return f"HTTPS://DISAN.EXAMPLE.GOV.VN/Q/{code_for_page(page).code}"


def pdf_text(path) -> str:
    done = subprocess.run([tool("pdftotext"), str(path), "-"], capture_output=True, text=True)
    return " ".join(done.stdout.split())


def test_one_relic_downloads_at_once_and_its_plaque_decodes(admin_client, relics, tmp_path):
    relic = relics[0]
    response = admin_client.post(QR, {"pages": [relic.pk], "size": "a6", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        f'filename="{code_for_page(relic).code}-dinh-dong-khe.pdf"'
        in response["Content-Disposition"]
    )
    pdf = tmp_path / "one.pdf"
    pdf.write_bytes(response.content)
    (page,) = rasterise(pdf, dpi=200)
    assert decode(page) == [url_of(relic)]
    text = pdf_text(pdf)
    for expected in (
        "Đình Đông Khê",
        "Dinh Dong Khe (communal house)",
        "Di tích quốc gia · National relic",
        "Quận Ngô Quyền, Hải Phòng",
        url_of(relic),
    ):
        assert expected in text
    images = subprocess.run(
        [tool("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    )
    assert len(images.stdout.splitlines()) > 2  # the district's logo is on the plaque


def test_many_relics_make_a_batch_with_progress_and_a_download(admin_client, relics, tmp_path):
    response = admin_client.post(
        QR + f"?ward={relics[0].get_parent().pk}",
        {"everything": "on", "size": "a6", "format": "pdf"},
    )
    batch = PlaqueBatch.objects.get()
    assert response.status_code == 302 and response.url == f"{QR}batches/{batch.pk}/"
    # The test settings run tasks in-process: the batch is done by now.
    assert (batch.status, batch.progress, batch.total) == ("done", 2, 2)
    assert batch.page_ids == [relics[0].pk, relics[1].pk]
    page = admin_client.get(response.url).content.decode()
    assert "Đã xong" in page and "refresh" not in page
    download = admin_client.get(f"{QR}batches/{batch.pk}/download/")
    pdf = tmp_path / "batch.pdf"
    pdf.write_bytes(b"".join(download.streaming_content))
    assert [decode(p) for p in rasterise(pdf, dpi=150)] == [[url_of(r)] for r in relics[:2]]


def test_a_running_batch_page_refreshes_itself(admin_client, relics):
    batch = PlaqueBatch.objects.create(
        size="a6", format="pdf", page_ids=[r.pk for r in relics], total=3, progress=1
    )
    PlaqueBatch.objects.filter(pk=batch.pk).update(status="running")
    html = admin_client.get(f"{QR}batches/{batch.pk}/").content.decode()
    assert 'http-equiv="refresh"' in html and "1/3" in html and "Đang tạo" in html
    assert admin_client.get(f"{QR}batches/{batch.pk}/download/").status_code == 404


def test_the_whole_list_leaves_out_unpublished_relics_and_says_so(admin_client, relics):
    draft = make_relic(relics[0].get_parent(), "Miếu chưa xuất bản")
    draft.unpublish()
    listing = admin_client.get(QR).content.decode()
    assert "(4, 1 chưa xuất bản)" in listing and "Gồm cả di tích chưa xuất bản" in listing
    response = admin_client.post(
        QR, {"everything": "on", "size": "a6", "format": "pdf"}, follow=True
    )
    batch = PlaqueBatch.objects.get()
    assert sorted(batch.page_ids) == sorted(r.pk for r in relics) and batch.total == 3
    html = response.content.decode()
    assert "Đã bỏ qua 1 di tích chưa xuất bản (“Miếu chưa xuất bản”)" in html
    admin_client.post(
        QR, {"everything": "on", "include_unpublished": "on", "size": "a6", "format": "pdf"}
    )
    assert draft.pk in PlaqueBatch.objects.order_by("-pk").first().page_ids


def test_only_unpublished_relics_chosen_makes_nothing(admin_client, relics):
    relics[0].unpublish()
    response = admin_client.post(QR, {"pages": [relics[0].pk], "size": "a6", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "đều chưa xuất bản: chưa tạo biển nào" in response.content.decode()
    assert not PlaqueBatch.objects.exists()


def test_choosing_nothing_gets_a_message(admin_client, relics):
    response = admin_client.post(QR, {"size": "a6", "format": "pdf"})
    assert response.status_code == 200
    assert "Hãy chọn ít nhất một di tích." in response.content.decode()
    assert not PlaqueBatch.objects.exists()


def test_relic_edit_page_links_to_its_code_history_and_svg_plaque(admin_client, relics):
    relic = relics[0]
    edit = admin_client.get(f"/admin/pages/{relic.pk}/edit/").content.decode()
    assert f"{QR}pages/{relic.pk}/" in edit and "Mã QR và biển" in edit
    html = admin_client.get(f"{QR}pages/{relic.pk}/").content.decode()
    assert url_of(relic) in html
    svg = admin_client.get(f"{QR}pages/{relic.pk}/plaque/", {"size": "a5", "format": "svg-zip"})
    assert svg["Content-Type"] == "image/svg+xml"
    assert f"<desc>{url_of(relic)}</desc>".encode() in svg.content
    bad = admin_client.get(f"{QR}pages/{relic.pk}/plaque/", {"size": "huge", "format": "x"})
    assert bad.status_code == 302


def test_staff_give_a_code_to_another_page(admin_client, district):
    place = make_place(district["wards"][0], "Điểm thông tin du lịch")
    assert code_for_page(place) is None
    admin_client.post(f"{QR}pages/{place.pk}/")
    short = code_for_page(place)
    assert short is not None
    html = admin_client.get(f"{QR}pages/{place.pk}/").content.decode()
    assert short.code in html


@pytest.fixture
def editor(django_user_model, relics):
    """A ward editor: may edit pages under the first ward, may not publish."""
    user = django_user_model.objects.create_user("bientap", password="pw")
    group = Group.objects.create(name="Biên tập thử")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=relics[0].get_parent(),
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user.groups.add(group)
    return user


def test_repointing_needs_publish_permission_and_is_kept_in_history(
    client, admin_client, admin_user, editor, relics
):
    short = code_for_page(relics[0])
    client.force_login(editor)
    # Downloading is for everyone with admin access.
    assert client.get(f"{QR}pages/{relics[0].pk}/plaque/?size=a6&format=pdf").status_code == 200
    refused = client.post(f"{QR}codes/{short.code}/", {"page": relics[1].pk})
    assert "Cần quyền xuất bản" in refused.content.decode()
    assert ShortCode.objects.get(pk=short.pk).page_id == relics[0].pk

    done = admin_client.post(
        f"{QR}codes/{short.code.lower()}/", {"page": relics[1].pk, "note": "Biển gắn nhầm"}
    )
    assert done.status_code == 302
    assert ShortCode.objects.get(pk=short.pk).page_id == relics[1].pk
    last = short.history.order_by("pk").last()
    assert (last.reason, last.changed_by, last.note) == (
        ShortCodeHistory.Reason.REPOINTED,
        admin_user,
        "Biển gắn nhầm",
    )
    html = admin_client.get(f"{QR}codes/{short.code}/").content.decode()
    assert "Chuyển sang trang khác" in html and "Biển gắn nhầm" in html
    assert admin_client.get(QR, {"code": short.code.lower()}).url == f"{QR}codes/{short.code}/"
    assert admin_client.get(f"{QR}codes/%3Cjunk%3E/").status_code == 404


def test_dashboard_shows_scans_this_week_and_silent_plaques(admin_client, relics):
    scanned, forgotten, new = relics
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=90)
    ShortCode.objects.filter(page__in=[scanned, forgotten]).update(created_at=long_ago)
    for _ in range(3):
        admin_client.get(
            f"/Q/{code_for_page(scanned).code}", HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile"
        )
    DailyScanCount.objects.create(
        code=code_for_page(forgotten),
        date=today - datetime.timedelta(days=45),
        language="vi",
        device_class="phone",
        count=7,
    )
    html = admin_client.get("/admin/").content.decode()
    assert "Lượt quét biển QR" in html and 'data-qr-week-total="3"' in html
    top = html[html.index('class="qr-top"') : html.index("</ol>", html.index('class="qr-top"'))]
    assert "Đình Đông Khê" in top and ": 3" in top and "Chùa Phổ Chiếu" not in top
    silent = html[html.index('class="qr-silent"') :]
    silent = silent[: silent.index("</ul>")]
    assert "Chùa Phổ Chiếu" in silent and "lần cuối" in silent
    assert "Đình Đông Khê" not in silent
    assert "Đền Nghè" not in silent  # its code is days old: too new to be missed
    assert "Biển QR" in html  # the menu item


def test_svg_zip_batch(admin_client, relics):
    admin_client.post(QR, {"pages": [r.pk for r in relics], "size": "a6", "format": "svg-zip"})
    batch = PlaqueBatch.objects.get()
    with zipfile.ZipFile(batch.file.path) as zf:
        assert sorted(zf.namelist()) == sorted(
            f"{code_for_page(r).code}-{r.slug}.svg" for r in relics
        )
