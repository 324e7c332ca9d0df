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


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/gan-toi/", "/near-me/"),
        ("/en/gan-toi/", "/en/near-me/"),
        ("/fr/gan-toi/?tu=ban-do&r=2", "/fr/near-me/?tu=ban-do&r=2"),
    ],
)
def test_old_vietnamese_paths_redirect_for_good_in_the_same_language(client, db, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new
    html = client.get(new).content.decode()
    assert f'class="nearby-link" href="{new.split("?")[0]}"' in html


def test_visitor_pages_stay_on_our_host_and_out_of_frames(client, district):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_admin_login_is_in_vietnamese(client, db):
    html = client.get("/admin/login/").content.decode()
    assert 'lang="vi"' in html and "Tên đăng nhập" in html
