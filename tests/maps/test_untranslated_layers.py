"""The map and the feeds in another language list every relic and place: translations where
they exist, the rest with their Vietnamese title, ``translated: false`` and a link under the
visitor's prefix (the page with a notice in their language)."""

import pytest
from django.utils import translation

from tests.factories import translate
from tests.maps.map_feeds import feeds_of

ROOT = "http://testserver"


@pytest.fixture
def english(geo_district):
    """Đình Đông Khê and Quán Bánh đa cua in English; the rest not translated."""
    with translation.override("vi"):
        relic = translate(geo_district["relics"][0], "en", title="Dong Khe Communal House")
        place = translate(geo_district["places"][0], "en", title="Crab Noodle Shop")
    return {"relic": relic, "place": place}


def by_name(doc):
    return {f["properties"]["name"]: f["properties"] for f in doc["features"]}


def test_english_relics_feed_lists_every_relic(client, geo_district, english):
    doc = client.get("/api/geo/relics.geojson", {"lang": "en"}).json()
    props = by_name(doc)
    assert sorted(props) == sorted(["Chùa Phổ Chiếu", "Dong Khe Communal House", "Đền Nghè"])
    assert props["Dong Khe Communal House"]["translated"] is True
    assert props["Dong Khe Communal House"]["url"] == ROOT + english["relic"].url
    den = props["Đền Nghè"]
    assert den["translated"] is False
    assert den["url"] == ROOT + "/en/di-tich/lach-tray/den-nghe/"
    assert den["ward"] == "Lạch Tray"
    # The untranslated relic in the translated ward is named in its English ward.
    assert props["Chùa Phổ Chiếu"]["ward"] == english["relic"].get_parent().title


def test_vietnamese_feed_is_unchanged_and_all_translated(client, geo_district, english):
    props = by_name(client.get("/api/geo/relics.geojson").json())
    assert sorted(props) == sorted(["Chùa Phổ Chiếu", "Đền Nghè", "Đình Đông Khê"])
    assert all(p["translated"] is True for p in props.values())
    assert props["Đền Nghè"]["url"] == ROOT + "/di-tich/lach-tray/den-nghe/"


@pytest.mark.parametrize("lang", ["zh-hans", "ko", "ja", "fr"])
def test_a_language_with_nothing_translated_lists_everything_in_vietnamese(
    client, geo_district, lang
):
    response = client.get("/api/geo/relics.geojson", {"lang": lang})
    assert response.status_code == 200
    props = by_name(response.json())
    assert sorted(props) == sorted(["Chùa Phổ Chiếu", "Đền Nghè", "Đình Đông Khê"])
    assert all(p["translated"] is False for p in props.values())
    assert props["Đền Nghè"]["url"] == f"{ROOT}/{lang}/di-tich/lach-tray/den-nghe/"


def test_ward_filter_in_english_reaches_untranslated_relics(client, geo_district, english):
    for ward, expected in (
        ("lach-tray", ["Đền Nghè"]),
        ("P01", ["Chùa Phổ Chiếu", "Dong Khe Communal House"]),
    ):
        doc = client.get("/api/geo/relics.geojson", {"lang": "en", "ward": ward}).json()
        assert sorted(by_name(doc)) == sorted(expected)


def test_english_places_feed(client, geo_district, english):
    props = by_name(client.get("/api/geo/places.geojson", {"lang": "en"}).json())
    assert sorted(props) == sorted(["Crab Noodle Shop", "Khách sạn Lạch Tray"])
    assert props["Crab Noodle Shop"]["translated"] is True
    assert props["Khách sạn Lạch Tray"]["translated"] is False
    assert props["Khách sạn Lạch Tray"]["url"].startswith(ROOT + "/en/")


def test_ogc_items_and_item_in_english(client, geo_district, english):
    doc = client.get("/api/ogc/collections/relics/items", {"lang": "en"}).json()
    assert doc["numberMatched"] == 3
    props = by_name(doc)
    assert props["Đền Nghè"]["translated"] is False
    den = geo_district["relics"][2]
    one = client.get(f"/api/ogc/collections/relics/items/{den.pk}", {"lang": "ko"})
    assert one.status_code == 200
    assert one.json()["properties"]["url"] == ROOT + "/ko/di-tich/lach-tray/den-nghe/"


def test_unknown_language_is_still_a_clear_400(client, geo_district):
    response = client.get("/api/geo/relics.geojson", {"lang": "xx"})
    assert response.status_code == 400 and "vi, en, zh-hans" in response.json()["error"]


@pytest.mark.parametrize("path", ["/en/map/", "/ko/map/", "/en/map/embed/"])
def test_the_map_in_another_language_marks_untranslated_points(client, geo_district, english, path):
    """The page names its label for them; the feeds it loads after first paint carry the points
    in Vietnamese, marked untranslated, with links under the visitor's prefix."""
    html = client.get(path).content.decode()
    prefix = path.split("/")[1]
    label = "Vietnamese only" if prefix == "en" else "베트남어만"
    assert f'"untranslated":"{label}"' in html
    relics = client.get(feeds_of(html)["relic"]).json()
    props = by_name(relics)
    assert {"Đền Nghè", "Chùa Phổ Chiếu"} <= set(props)
    assert props["Đền Nghè"]["translated"] is False
    assert props["Đền Nghè"]["url"] == ROOT + f"/{prefix}/di-tich/lach-tray/den-nghe/"
    if prefix == "en":
        assert "Dong Khe Communal House" in props and "Đình Đông Khê" not in props


def test_an_edit_to_an_untranslated_relic_changes_the_english_feed(client, geo_district):
    first = client.get("/api/geo/relics.geojson", {"lang": "en"})
    den = geo_district["relics"][2]
    den.title = "Đền Nghè (sửa)"
    den.save_revision().publish()
    again = client.get(
        "/api/geo/relics.geojson", {"lang": "en"}, headers={"If-None-Match": first["ETag"]}
    )
    assert again.status_code == 200 and "Đền Nghè (sửa)" in again.content.decode()
