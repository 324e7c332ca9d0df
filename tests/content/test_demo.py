from django.core.management import call_command

from content.models import (
    Artifact,
    Inscription,
    Narration,
    RelicPage,
    TourismPlacePage,
    WardPage,
)


def test_demo_district_is_complete_and_idempotent(db, client):
    call_command("load_demo_district", verbosity=0)

    def counts():
        models = (RelicPage, Artifact, TourismPlacePage, Narration)
        return tuple(m.objects.count() for m in models)

    first = counts()
    call_command("load_demo_district", verbosity=0)
    assert counts() == first
    assert first[3] == 2  # a Vietnamese and an English narration of Đình Đông Khê
    vi_relics = RelicPage.objects.filter(locale__language_code="vi")
    assert vi_relics.count() >= 16
    assert WardPage.objects.filter(locale__language_code="vi").count() >= 3
    assert Inscription.objects.exists() and Artifact.objects.exists()
    assert all("Nội dung mẫu" in r.summary for r in vi_relics)
    home = client.get("/")
    assert home.status_code == 200 and "nội dung mẫu" in home.content.decode().lower()
    relic = vi_relics.get(slug="dinh-dong-khe")
    response = client.get(relic.url)
    assert response.status_code == 200
    assert 'hreflang="en"' in response.content.decode()


def test_rerun_puts_an_older_demo_right_and_keeps_its_addresses(db, client):
    """An older demo had places under wards and two relics under each other's ward: a re-run
    moves them (with their translations' parents) and the old addresses redirect."""
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page

    call_command("load_demo_district", verbosity=0)
    wards = {w.title: w for w in WardPage.objects.filter(locale__language_code="vi")}
    relic = RelicPage.objects.get(slug="dinh-lach-tray", locale__language_code="vi")
    place = TourismPlacePage.objects.get(slug="cho-dem-tam-bac")
    relic.move(wards["Gia Viên"], pos="last-child")
    place.move(wards["Gia Viên"], pos="last-child")
    Redirect.objects.all().delete()
    old_relic_url = "/di-tich/gia-vien/dinh-lach-tray/"
    old_place_url = "/di-tich/gia-vien/cho-dem-tam-bac/"
    assert client.get(old_relic_url).status_code == 200

    call_command("load_demo_district", verbosity=0)
    relic.refresh_from_db()
    place.refresh_from_db()
    assert relic.get_parent().title == "Lạch Tray"
    assert relic.url_path.endswith("/di-tich/lach-tray/dinh-lach-tray/")
    assert RelicPage.objects.get(slug="den-thanh-mau-gia-vien").get_parent().title == "Gia Viên"
    assert place.url_path.endswith("/du-lich/cho-dem-tam-bac/")
    assert RelicPage.objects.filter(slug="dinh-lach-tray").count() == 1  # moved, not copied
    new_relic_url, new_place_url = "/di-tich/lach-tray/dinh-lach-tray/", "/du-lich/cho-dem-tam-bac/"
    for old, new in ((old_relic_url, new_relic_url), (old_place_url, new_place_url)):
        for prefix in ("", "/fr"):
            response = client.get(prefix + old)
            assert (response.status_code, response["Location"]) == (301, prefix + new)
    assert not any(Page.find_problems())


def test_demo_directory_has_every_category(db, client):
    from content.choices import PlaceKind

    call_command("load_demo_district", verbosity=0)
    places = TourismPlacePage.objects.live()
    assert set(places.values_list("kind", flat=True)) >= {
        PlaceKind.RESTAURANT,
        PlaceKind.HOTEL,
        PlaceKind.ENTERTAINMENT,
        PlaceKind.PRODUCT,
    }
    assert places.filter(kind=PlaceKind.PRODUCT, ocop_stars__gte=3).exists()
    assert all(p.phone or p.opening_hours for p in places)
    assert all(p.ward_id and p.get_parent().url_path.endswith("/du-lich/") for p in places)
    html = client.get("/du-lich/", {"kind": "product"}).content.decode()
    assert "Bánh đa đỏ làng Đông Khê" in html and "Khách sạn Hoa Phượng" not in html
