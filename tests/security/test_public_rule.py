"""One rule for what is public (content.public): a live page whose ancestors are live.

Each visitor surface is asked about a relic taken down (DRAFT) and a relic still marked live
under a ward taken down (UNDER_CLOSED_WARD); the public relic must still be there.
"""

from __future__ import annotations

import json

import pytest

from content.models import RelicPage
from content.public import is_public, public_pages
from media_pipeline.qr.short_codes import code_for_page
from tests.maps.map_feeds import map_text
from tests.security.district import (
    DRAFT,
    HIDDEN,
    PLACE_HIDDEN,
    PLACE_PUBLIC,
    PUBLIC,
    TILE,
    UNDER_CLOSED_WARD,
)


def shows_only_public(text: str) -> None:
    assert PUBLIC in text
    for title in HIDDEN:
        assert title not in text, title


def test_the_rule(hidden_district):
    relics = hidden_district["relics"]
    assert relics[UNDER_CLOSED_WARD].live  # still marked live, yet not public
    assert [r.title for r in public_pages(RelicPage.objects.all())] == [PUBLIC]
    assert is_public(relics[PUBLIC]) and not is_public(relics[UNDER_CLOSED_WARD])


def test_the_rule_with_many_hidden_branches(hidden_district, monkeypatch):
    monkeypatch.setattr("content.public.MAX_PREFIX_TESTS", 0)  # the correlated subquery
    assert [r.title for r in public_pages(RelicPage.objects.all())] == [PUBLIC]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_search(client, hidden_district, prefix):
    for query in ("cong khai", "ban nhap", "phuong dong", "mieu", "den"):
        html = client.get(f"{prefix}/search/", {"q": query}).content.decode()
        for title in HIDDEN:
            assert title not in html
    assert PUBLIC in client.get(f"{prefix}/search/", {"q": "cong khai"}).content.decode()
    assert PLACE_HIDDEN not in client.get("/search/", {"q": "quan"}).content.decode()


def test_a_draft_of_a_live_relic_is_not_findable(client, hidden_district):
    relic = hidden_district["relics"][PUBLIC]
    relic.title, relic.summary = "Đình Công Khai mới", "Bản nháp nói về kỳ lân ngũ sắc."
    relic.save_revision()
    draft = client.get("/search/", {"q": "ky lan ngu sac"}).content.decode()
    assert "Không tìm thấy kết quả" in draft
    assert PUBLIC in client.get("/search/", {"q": "cong khai"}).content.decode()
    relic.get_latest_revision().publish()
    assert "Đình Công Khai mới" in client.get("/search/", {"q": "ky lan"}).content.decode()


def test_page_itself_and_listings(client, hidden_district):
    relics = hidden_district["relics"]
    assert client.get(relics[PUBLIC].url).status_code == 200
    hidden_url = "/di-tich/lach-tray/den-phuong-dong/"
    assert client.get(hidden_url).status_code == 404
    shows_only_public(client.get("/").content.decode())
    shows_only_public(client.get("/di-tich/").content.decode())


@pytest.mark.parametrize("layer", ["relics", "places"])
def test_geojson_feeds(client, hidden_district, layer):
    feed = client.get(f"/api/geo/{layer}.geojson").json()
    names = {f["properties"]["name"] for f in feed["features"]}
    assert names == ({PUBLIC} if layer == "relics" else {PLACE_PUBLIC})


def test_ward_filter_does_not_know_a_closed_ward(client, hidden_district):
    response = client.get("/api/geo/relics.geojson", {"ward": "lach-tray"})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/map/", "/map/embed/", "/en/map/"])
def test_map(client, hidden_district, url):
    text = map_text(client, url)  # the page and the feeds its markers come from
    shows_only_public(text)
    assert PLACE_HIDDEN not in text and "Lạch Tray" not in text


def test_ioc_statistics(client, hidden_district):
    doc = client.get("/api/ioc/stats.json").json()
    assert [r["name"] for r in doc["relics"]] == [PUBLIC]
    assert [w["name"] for w in doc["wards"]] == ["Đông Khê"]
    assert doc["totals"]["relics"] == 1 and doc["totals"]["panoramas"] == 1
    assert "unpublished" not in json.dumps(doc)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_offline_manifest(client, hidden_district, prefix):
    doc = client.get(f"{prefix}/offline/manifest.json").json()
    assert [r["title"] for r in doc["relics"]] == [PUBLIC]
    assert [p["title"] for p in doc["places"]] == [PLACE_PUBLIC]


def test_unpublishing_a_ward_renews_the_offline_manifest(client, hidden_district):
    assert [r["title"] for r in client.get("/offline/manifest.json").json()["relics"]] == [PUBLIC]
    hidden_district["wards"][0].unpublish()
    assert client.get("/offline/manifest.json").json()["relics"] == []


@pytest.mark.parametrize("url", ["/360/", "/360/embed/", "/en/360/embed/"])
def test_360_gallery_and_embed(client, hidden_district, url):
    html = client.get(url).content.decode()
    shows_only_public(html)


def test_360_tours(client, hidden_district):
    panoramas = hidden_district["panoramas"]
    assert client.get(f"/360/tour/{panoramas[PUBLIC].pk}/embed/").status_code == 200
    for title in HIDDEN:
        assert client.get(f"/360/tour/{panoramas[title].pk}/embed/").status_code == 404


def test_a_scene_hotspot_does_not_lead_into_a_hidden_relic(client, hidden_district):
    from media_pipeline.models import Hotspot

    panoramas = hidden_district["panoramas"]
    Hotspot.objects.create(
        panorama=panoramas[PUBLIC], kind="scene", target_panorama=panoramas[DRAFT]
    )
    for url in (hidden_district["relics"][PUBLIC].url, "/360/", "/360/embed/"):
        html = client.get(url).content.decode()
        assert f"Sân {DRAFT}" not in html and f"/tiles/{panoramas[DRAFT].pk}/" not in html


def test_tiles_of_a_hidden_relic_are_not_served(client, hidden_district):
    panoramas = hidden_district["panoramas"]
    base = "/media/panoramas/tiles"
    ok = client.get(f"{base}/{panoramas[PUBLIC].pk}/{TILE}")
    assert ok.status_code == 200 and ok["Content-Type"] == "image/jpeg"
    assert b"".join(ok.streaming_content)[:3] == b"\xff\xd8\xff"
    for title in HIDDEN:
        for name in (TILE, "v1/preview.jpg"):
            assert client.get(f"{base}/{panoramas[title].pk}/{name}").status_code == 404
    # Staff previewing a draft still see its tiles, never cached by a shared cache.
    client.force_login(hidden_district["superuser"])
    staff = client.get(f"{base}/{panoramas[DRAFT].pk}/{TILE}")
    assert staff.status_code == 200 and "private" in staff["Cache-Control"]


def test_tiles_go_through_the_web_server_when_configured(client, hidden_district, settings):
    settings.PANORAMA_TILES_INTERNAL_URL = "/_tiles/"
    pk = hidden_district["panoramas"][PUBLIC].pk
    response = client.get(f"/media/panoramas/tiles/{pk}/{TILE}")
    assert response["X-Accel-Redirect"] == f"/_tiles/{pk}/{TILE}"
    hidden = hidden_district["panoramas"][UNDER_CLOSED_WARD].pk
    assert client.get(f"/media/panoramas/tiles/{hidden}/{TILE}").status_code == 404


def test_qr_scan_of_a_relic_under_a_closed_ward_is_a_notice(client, hidden_district):
    relics = hidden_district["relics"]
    assert client.get(f"/Q/{code_for_page(relics[PUBLIC]).code}").status_code == 302
    for title in HIDDEN:
        response = client.get(f"/Q/{code_for_page(relics[title]).code}")
        assert response.status_code != 302
        assert title in response.content.decode()  # "temporarily closed", with its name


# ------------------------------------------------------ QR admin: the page's permissions


def denied(response) -> bool:
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def _admin_urls(relic, code: str) -> list[str]:
    return [
        f"/admin/qr/pages/{relic.pk}/",
        f"/admin/qr/pages/{relic.pk}/plaque/?size=a5&format=pdf",
        f"/admin/qr/codes/{code}/",
    ]


def test_a_ward_editor_cannot_read_another_wards_codes_or_plaques(client, hidden_district):
    client.force_login(hidden_district["editor"])
    relics = hidden_district["relics"]
    other = relics[UNDER_CLOSED_WARD]
    for url in _admin_urls(other, code_for_page(other).code):
        assert denied(client.get(url)), url
    response = client.post(
        f"/admin/qr/codes/{code_for_page(other).code}/", {"page": relics[PUBLIC].pk}
    )
    assert denied(response)
    own = relics[PUBLIC]
    for url in _admin_urls(own, code_for_page(own).code):
        assert client.get(url).status_code == 200, url


def test_the_plaque_list_offers_only_the_editors_own_ward(client, hidden_district):
    client.force_login(hidden_district["editor"])
    html = client.get("/admin/qr/").content.decode()
    assert PUBLIC in html and UNDER_CLOSED_WARD not in html
    client.force_login(hidden_district["superuser"])
    assert UNDER_CLOSED_WARD in client.get("/admin/qr/").content.decode()


def test_a_ward_taken_down_after_a_visit_hides_its_relics_at_once(client, hidden_district):
    """The hidden branches are kept between visitors' requests (heritage_site/memo.py) until
    visitor content changes: taking a ward down changes it."""
    public = hidden_district["relics"][PUBLIC]
    url = public.url
    assert client.get(url).status_code == 200
    assert PUBLIC in client.get("/di-tich/").content.decode()
    public.get_parent().specific.unpublish()
    assert client.get(url).status_code == 404
    assert PUBLIC not in client.get("/di-tich/").content.decode()
    assert PUBLIC not in map_text(client, "/map/")
