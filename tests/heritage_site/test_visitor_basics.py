"""What any visitor or monitoring system hits first: health, 404s, headers."""

import pytest


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "path", ["/khong-co-trang-nay/", "/di-tich/%00/", "/%E0%A4%A/", "/en/nope/"]
)
def test_unknown_pages_get_a_friendly_404_with_search(client, district, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'role="search"' in html


def test_visitor_pages_stay_on_our_host_and_out_of_frames(client, district):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_admin_login_is_in_vietnamese(client, db):
    html = client.get("/admin/login/").content.decode()
    assert 'lang="vi"' in html and "Tên đăng nhập" in html
