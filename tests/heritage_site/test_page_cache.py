"""The page cache: visitors get stored pages, every change shows at once, scans stay exact."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from content.models import InventoryImport, RelicPage
from maps.models import GeoImport
from media_pipeline.models import DailyScanCount
from media_pipeline.qr.short_codes import code_for_page, repoint_code
from tests.factories import add_records, make_narration, make_relic, publish, translate
from tests.maps.map_feeds import map_text
from tests.media_pipeline.panorama_helpers import make_panorama


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0], title="Đình Đông Khê")


def behind_the_cache(relic, **fields):
    """Change the rows without any signal, as a stale cache would hide it."""
    RelicPage.objects.filter(pk=relic.pk).update(**fields)


def test_a_visitor_is_answered_from_the_cache_until_the_content_changes(client, relic):
    first = client.get(relic.url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    behind_the_cache(relic, title="Đình Đổi Tên")
    again = client.get(relic.url)
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    assert "Đình Đổi Tên" not in again.content.decode()
    relic.refresh_from_db()
    relic.title = "Đình Đổi Tên"
    publish(relic)
    assert "Đình Đổi Tên" in client.get(relic.url).content.decode()


def test_home_listing_and_map_show_a_published_relic_at_once(client, district, relic):
    pages = [district["home"].url, district["wards"][0].url, "/map/", "/api/geo/relics.geojson"]
    for url in pages:
        assert client.get(url).status_code == 200
        assert client.get(url)["X-Page-Cache"] == "hit"
    make_relic(district["wards"][0], title="Chùa Mới Xây")
    for url in pages:
        # The map's markers come from its feeds, after the page.
        text = map_text(client, url) if url == "/map/" else client.get(url).content.decode()
        assert "Chùa Mới Xây" in text, url


def test_unpublish_move_and_delete_show_at_once(client, district, relic):
    ward_a, ward_b = district["wards"]
    assert "Đình Đông Khê" in client.get(ward_a.url).content.decode()
    relic.move(ward_b, pos="last-child")
    assert "Đình Đông Khê" not in client.get(ward_a.url).content.decode()
    relic = RelicPage.objects.get(pk=relic.pk)
    assert client.get(relic.url).status_code == 200
    relic.unpublish()
    assert client.get(relic.url).status_code == 404
    publish(relic)
    url = relic.url
    assert client.get(url).status_code == 200
    relic.delete()
    assert client.get(url).status_code == 404


def test_a_published_panorama_shows_at_once(client, relic, media):
    before = client.get(relic.url).content.decode()
    assert "Xem 360°" not in before
    make_panorama(relic=relic)
    assert "Xem 360°" in client.get(relic.url).content.decode()


def test_a_narration_shows_at_once(client, relic, media):
    assert "<audio" not in client.get(relic.url).content.decode()
    make_narration(relic)
    assert "<audio" in client.get(relic.url).content.decode()


def test_a_synced_translation_shows_at_once(client, relic, django_capture_on_commit_callbacks):
    from wagtail.models import Locale
    from wagtail_localize.models import Translation
    from wagtail_localize.operations import translate_object

    fr = Locale.objects.create(language_code="fr")
    translate_object(relic, [fr])
    job = Translation.objects.get(source__object_id=relic.translation_key, target_locale=fr)

    def sync(title):
        po = job.export_po()
        for entry in po:
            if entry.msgid == "Đình Đông Khê":
                entry.msgstr = title
        job.import_po(po)
        with django_capture_on_commit_callbacks(execute=True):
            job.save_target(publish=True)
        return relic.get_translation(fr).url

    url = sync("Maison communale de Đông Khê")
    assert "Maison communale de Đông Khê" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    sync("Maison commune de Đông Khê")
    assert "Maison commune de Đông Khê" in client.get(url).content.decode()
    assert "Đình Đông Khê" in client.get(relic.url).content.decode()


@pytest.mark.parametrize("model", [InventoryImport, GeoImport])
def test_an_import_shows_when_it_is_done(client, relic, model):
    client.get(relic.url)
    behind_the_cache(relic, title="Đình Nhập Mới")
    job = model.objects.create(**_import_fields(model))
    assert "Đình Nhập Mới" not in client.get(relic.url).content.decode()  # still running
    job.status = "done"
    job.save()
    assert "Đình Nhập Mới" in client.get(relic.url).content.decode()


def _import_fields(model):
    if model is GeoImport:
        return {"original_name": "toa-do.csv", "kind": "points", "status": "running"}
    return {"original_name": "kiem-ke.xlsx", "status": "running"}


def test_a_repointed_plaque_empties_the_cache(client, district, relic):
    other = make_relic(district["wards"][1], title="Chùa Lạch Tray")
    short = code_for_page(relic)
    client.get(relic.url)
    behind_the_cache(relic, title="Đình Sau Biển")
    repoint_code(short, other)
    assert "Đình Sau Biển" in client.get(relic.url).content.decode()


def test_languages_are_kept_apart(client, relic):
    english = translate(relic, "en", title="Dong Khe Communal House")
    vi, en = client.get(relic.url), client.get(english.url)
    assert 'lang="vi"' in vi.content.decode() and 'lang="en"' in en.content.decode()
    assert client.get(english.url)["X-Page-Cache"] == "hit"
    assert 'lang="en"' in client.get(english.url).content.decode()


def test_staff_never_get_or_leave_a_cached_page(client, admin_client, relic):
    client.get(relic.url)
    staff_view = admin_client.get(relic.url)
    assert "X-Page-Cache" not in staff_view
    behind_the_cache(relic, title="Bản Nháp")
    assert "Bản Nháp" in admin_client.get(relic.url).content.decode()
    assert "Bản Nháp" not in client.get(relic.url).content.decode()


def test_a_page_with_a_form_is_never_stored(client, district):
    response = client.get("/search/?q=dinh")
    assert "X-Page-Cache" not in response
    # A visitor page whose template asks for a CSRF token is refused by the response check.
    from django.http import HttpRequest, HttpResponse

    from heritage_site.page_cache import cacheable_response

    request = HttpRequest()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not cacheable_response(request, HttpResponse("<form>"))
    form = HttpResponse(b'<input name="csrfmiddlewaretoken" value="x">')
    assert not cacheable_response(HttpRequest(), form)


@pytest.mark.parametrize(
    "path", ["/Q/ABC", "/q/abc", "/sw.js", "/offline/manifest.json", "/en/offline/manifest.json"]
)
def test_the_resolver_and_private_paths_are_never_cached(path):
    from heritage_site.page_cache import cacheable_path

    assert not cacheable_path(path)
    assert not cacheable_path("/admin/pages/")
    assert cacheable_path("/api/ogc/collections") and cacheable_path("/en/map/")


def test_every_scan_is_counted_through_the_cached_stack(client, relic):
    code = code_for_page(relic).code
    for _ in range(5):
        response = client.get(f"/Q/{code}", HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile Safari")
        assert response.status_code == 302 and "X-Page-Cache" not in response
        assert client.get(response.url).status_code == 200
    counts = list(DailyScanCount.objects.values_list("count", "date"))
    assert counts == [(5, timezone.localdate())]


def test_the_map_gets_a_new_nonce_from_the_cache(client, district):
    first, second = client.get("/map/"), client.get("/map/")
    assert second["X-Page-Cache"] == "hit"
    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]
    nonce = second["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in second.content.decode()


def test_post_is_never_answered_from_the_cache(client, relic):
    client.get(relic.url)
    assert "X-Page-Cache" not in client.post(relic.url)


@pytest.fixture
def purge_server():
    """A cache in front, on loopback, that records the PURGE requests it receives."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append(f"{self.headers['Host']}{self.path}")
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    for port in range(8690, 8700):
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError:
            continue
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()


def test_a_publish_purges_the_cache_in_front(
    settings, district, relic, purge_server, django_capture_on_commit_callbacks
):
    location, received = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    relic.title = "Đình Mới Sửa"
    with django_capture_on_commit_callbacks(execute=True):
        publish(relic)
    host = district["site"].hostname
    for path in [relic.url, "/", "/map/", "/en/map/", "/api/geo/relics.geojson"]:
        assert f"{host}{path}" in received, (path, received)


def test_an_approved_comment_shows_at_once(client, relic):
    from feedback.models import Rating

    comment = Rating.objects.create(
        relic=relic, language="vi", client_key="k-1", score=5, comment="Đình rất đẹp, sạch sẽ"
    )
    assert "Đình rất đẹp" not in client.get(relic.url).content.decode()  # waits for moderation
    assert client.get(relic.url)["X-Page-Cache"] == "hit"
    comment.status = Rating.Status.APPROVED
    comment.save()
    assert "Đình rất đẹp" in client.get(relic.url).content.decode()


def test_each_page_of_a_relics_artifacts_is_kept_and_served_apart(client, district):
    relic = add_records(make_relic(district["wards"][0], title="Đình Nhiều Hiện Vật"), 30, 10)
    urls = [
        relic.url,
        f"{relic.url}?hien-vat=2",
        f"{relic.url}?hien-vat=2&phan=hien-vat",
        f"{relic.url}?hien-vat=3",
        f"{relic.url}?di-van=2&phan=di-van",
        f"{relic.url}?xem=hien-vat-hv-029",
    ]
    first = {url: client.get(url) for url in urls}
    assert all(r.status_code == 200 and r["X-Page-Cache"] == "miss" for r in first.values())
    for url in urls:
        again = client.get(url)
        assert again["X-Page-Cache"] == "hit" and again.content == first[url].content, url
    assert 'id="hien-vat-hv-012"' in first[f"{relic.url}?hien-vat=2"].content.decode()
    assert 'id="hien-vat-hv-024"' in first[f"{relic.url}?hien-vat=3"].content.decode()
    assert b"<html" not in first[f"{relic.url}?hien-vat=2&phan=hien-vat"].content
    assert 'id="hien-vat-hv-029"' in first[f"{relic.url}?xem=hien-vat-hv-029"].content.decode()
    # A page past the end is a 404, never stored; an artifact added shows on its page at once.
    assert client.get(f"{relic.url}?hien-vat=4").status_code == 404
    add_records(relic, artifacts=7)
    relic.refresh_from_db()
    publish(relic)
    assert 'id="hien-vat-hv-036"' in client.get(f"{relic.url}?hien-vat=4").content.decode()
