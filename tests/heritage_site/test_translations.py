"""Staff see the admin in Vietnamese; tourists on /en/ see English around the relic's content."""

import gettext
import json
import re
import subprocess

import pytest
from django.conf import settings
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.factories import make_district, make_relic, publish
from tests.installed import tool


def test_admin_login_page_is_vietnamese_throughout(client, db):
    html = client.get("/admin/login/").content.decode()
    assert "Đăng nhập" in html and "Mật khẩu" in html
    assert "Ghi nhớ đăng nhập" in html and "Quên mật khẩu?" in html
    # Wagtail leaves the password label to Django, which would print the field name in English.
    assert "Sign in" not in html and "Password" not in html and "Remember me" not in html


def test_a_wrong_password_is_explained_in_vietnamese(client, db):
    response = client.post("/admin/login/", {"username": "ai-do", "password": "sai"})
    assert "hoặc mật khẩu không đúng" in response.content.decode()


@pytest.fixture
def superuser_client(client, django_user_model, db):
    user = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "x")
    client.force_login(user)
    return client


def test_page_editor_speaks_vietnamese(superuser_client):
    relic = make_relic(make_district()["wards"][0], artifacts=1, inscriptions=1)
    html = superuser_client.get(f"/admin/pages/{relic.pk}/edit/").content.decode()
    for vietnamese in ["Lưu nháp", "Xuất bản", "Hủy xuất bản", "Nội dung", "Quảng bá", "Gửi duyệt"]:
        assert vietnamese in html, vietnamese
    for english in ["Save draft", ">Publish<", "Unpublish", ">Promote<", "Submit to"]:
        assert english not in html, english


def test_explorer_and_validation_messages_are_vietnamese(superuser_client):
    district = make_district()
    ward = district["wards"][0]
    relic = make_relic(ward)
    listing = superuser_client.get(f"/admin/pages/{ward.pk}/").content.decode()
    assert "Thêm trang con" in listing and "Add child page" not in listing
    form = {
        "title": "",  # required: the save must fail
        "slug": relic.slug,
        "relic_type": relic.relic_type,
        "ranking": relic.ranking,
        "body": streamfield([]),
        "inscriptions": inline_formset([]),
        "artifacts": inline_formset([]),
        "comments": inline_formset([]),
    }
    response = superuser_client.post(f"/admin/pages/{relic.pk}/edit/", nested_form_data(form))
    assert "Không lưu được trang vì có lỗi nhập liệu." in response.content.decode()


def test_link_chooser_labels_are_vietnamese(superuser_client):
    """Wagtail leaves these labels to Django's English field names; heritage_site labels them."""
    html = superuser_client.get("/admin/choose-email-link/").json()["html"]
    for label in ["Địa chỉ email", "Chữ hiển thị", "Tiêu đề thư", "Nội dung thư"]:
        assert label in html, label
    assert "Link text" not in html and "Email address" not in html


def test_admin_javascript_strings_are_vietnamese(client, db):
    script = client.get("/admin/jsi18n/").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S)[1])
    assert catalog["Collapse all"] == "Thu gọn tất cả"
    assert catalog["Save error"] == "Lỗi khi lưu"  # Wagtail's own vi said "save the error"


def test_english_relic_page_has_english_interface(client, db):
    relic = make_relic(make_district()["wards"][0], artifacts=2, inscriptions=1)
    english = relic.copy_for_translation(
        Locale.objects.get_or_create(language_code="en")[0], copy_parents=True
    )
    english.title = "Đông Khê Communal House"
    publish(english)
    for ancestor in english.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            publish(ancestor)
    assert english.url.startswith("/en/")
    response = client.get(english.url)
    html = response.content.decode()
    assert response.status_code == 200 and 'lang="en"' in html
    assert ">Search</button>" in html
    assert '<h2 id="inscriptions-h">Hán Nôm inscriptions' in html
    assert '<h2 id="artifacts-h">Artifacts' in html
    for label in ["Inventory no.", "Sino-Vietnamese reading", "Translation", "Communal house"]:
        assert label in html, label
    for label in ["Di văn Hán Nôm", ">Hiện vật <", "Số kiểm kê", "Phiên âm", "Dịch nghĩa", ">Tìm<"]:
        assert label not in html, label
    # The relic's own content stays as the editors wrote it.
    assert "重修亭碑記" in html and "HV-000" in html


@pytest.mark.parametrize(
    "catalogue", ["vi/LC_MESSAGES/django", "vi/LC_MESSAGES/djangojs", "en/LC_MESSAGES/django"]
)
def test_committed_mo_files_match_their_po_sources(catalogue, tmp_path):
    """The site runs from the committed .mo files; a .po edited without `make messages` is a bug."""
    base = settings.BASE_DIR / "heritage_site" / "locale" / catalogue
    fresh = tmp_path / "fresh.mo"
    subprocess.run([tool("msgfmt"), "--check", "-o", fresh, f"{base}.po"], check=True)
    with open(f"{base}.mo", "rb") as committed, open(fresh, "rb") as compiled:
        assert (
            gettext.GNUTranslations(committed)._catalog
            == gettext.GNUTranslations(compiled)._catalog
        )
