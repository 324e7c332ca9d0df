"""The district's own admin: its name, logo and colours, our guide in the help menu, local
avatars, every dashboard titled alike, and the review queue saying which step a page is at."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured

from content.models import DistrictSettings
from heritage_site.admin_theme import check_color, hsl, theme_css
from heritage_site.admin_views import guide_html
from tests.factories import make_image, make_relic, make_staff


@pytest.fixture
def staff(district):
    settings = DistrictSettings.for_site(district["site"])
    settings.district_name = "Quận Ngô Quyền"
    settings.save()
    return make_staff(district)


def h1(html: str) -> str:
    return re.search(r'<h1 class="w-h1[^"]*">\s*(.*?)\s*</h1>', html, re.S)[1]


def test_every_dashboard_is_titled_with_the_district(client, staff, admin_user):
    for user in (staff["reviewer"], staff["editor"], admin_user):
        client.force_login(user)
        html = client.get("/admin/").content.decode()
        assert h1(html) == "Quận Ngô Quyền", user.username
        assert "localhost" not in h1(html)
        assert "<title>Trang tổng quan - Quận Ngô Quyền · Di sản số</title>" in html


def test_the_admin_wears_the_district_logo_and_colours(client, staff, district, settings):
    settings.ADMIN_PRIMARY_COLOR = "#123456"
    client.force_login(staff["editor"])
    html = client.get("/admin/").content.decode()
    assert '<img src="/static/favicon.svg" alt="Quận Ngô Quyền"' in html  # before a logo is set
    assert f"--w-color-primary-hue: {hsl('#123456')[0]};" in html
    district_settings = DistrictSettings.for_site(district["site"])
    district_settings.logo = make_image("Biểu trưng quận", size=(300, 300))
    district_settings.save()
    html = client.get("/admin/").content.decode()
    logo = re.search(r'<img src="([^"]+)" alt="Quận Ngô Quyền"', html)[1]
    assert logo.startswith("/media/images/") and logo.endswith(".png")
    assert client.get(logo).status_code == 200
    assert re.search(r'<link rel="icon" href="/media/images/[^"]+\.png">', html)


def test_the_login_page_names_the_district(client, staff):
    html = client.get("/admin/login/").content.decode()
    assert "Đăng nhập · Quận Ngô Quyền" in html and "Wagtail" not in h1_text(html)


def h1_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1])


def test_help_leads_to_our_vietnamese_guide_not_wagtails(client, staff):
    client.force_login(staff["editor"])
    html = client.get("/admin/").content.decode()
    assert "guide.wagtail.org" not in html and "docs.wagtail.org" not in html
    assert '"url": "/admin/huong-dan/"' in html  # the sidebar's help menu
    assert re.search(r'href="/admin/huong-dan/"[^>]*>\s*Hướng dẫn biên tập\s*<', html)
    guide = client.get("/admin/huong-dan/").content.decode()
    for section in [
        "Thêm một di tích",
        "Thêm văn bia, hoành phi, câu đối kèm bản dập",
        "Thêm hiện vật",
        "Ảnh 360°",
        "Thuyết minh (âm thanh)",
        "In biển QR",
        "Nhập từ bảng tính",
    ]:
        assert f"{section}</h2>" in guide, section


def test_the_guide_is_markdown_without_raw_html(tmp_path):
    page = tmp_path / "guide.md"
    page.write_text("# Tiêu đề\n\n**Đậm** <script>alert(1)</script>\n", encoding="utf-8")
    html = guide_html(page)
    assert "<strong>Đậm</strong>" in html and "<script>" not in html
    assert "&lt;script&gt;" in html and "<h1>" not in html


def test_avatars_never_point_at_gravatar(client, staff):
    client.force_login(staff["reviewer"])  # has an e-mail address, no uploaded avatar
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html
    avatar = re.search(r'class="avatar large[^>]*>\s*<img src="/static/([^"?]+)', html)[1]
    assert finders.find(avatar)  # Wagtail's placeholder, served from our own host


def test_the_review_queue_names_the_step_and_its_state(client, staff, district):
    relic = make_relic(district["wards"][0], "Đình Đông Khê")
    relic.summary = "Sửa đổi chờ duyệt"
    relic.save_revision(user=staff["editor"])
    staff["workflow"].start(relic, staff["editor"])
    client.force_login(staff["reviewer"])
    html = client.get("/admin/").content.decode()
    queue = html[html.index("review-queue") :]
    assert "Đình Đông Khê" in queue
    assert "Người duyệt phê duyệt: <strong>Đang thực hiện</strong>" in queue
    assert "Nguyễn Lan" in queue or "Lan Nguyễn" in queue


def test_colours_come_from_the_environment_or_refuse_to_start():
    assert check_color("#6B1C1C", "X") == "#6b1c1c"
    with pytest.raises(ImproperlyConfigured, match="#rrggbb"):
        check_color("red", "ADMIN_PRIMARY_COLOR")
    css = theme_css("#ff0000", "#008080")
    assert "--w-color-primary-hue: 0.0;" in css and "--w-color-primary-lightness: 50.0%;" in css
    assert "--w-color-secondary-hue: 180.0;" in css
