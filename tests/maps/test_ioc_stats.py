"""The IOC statistics feed: per relic and per ward."""

from django.test import override_settings
from django.utils import timezone

IOC = "https://ioc.example.gov.vn"


def _by_name(rows):
    return {row["name"]: row for row in rows}


def test_stats_count_records_and_publication_state(client, geo_district):
    response = client.get("/api/ioc/stats.json")
    assert response.status_code == 200
    doc = response.json()
    relics = _by_name(doc["relics"])
    assert relics["Đình Đông Khê"]["artifacts"] == 2
    assert relics["Đình Đông Khê"]["inscriptions"] == 1
    assert relics["Đền Nghè"]["inscriptions"] == 3
    assert relics["Đình Đông Khê"]["state"] == "published"
    # A public feed: the relic taken down is not listed at all (content.public).
    assert "Miếu Chưa Duyệt" not in relics
    wards = _by_name(doc["wards"])
    assert wards["Đông Khê"]["relics"] == 2 and wards["Đông Khê"]["artifacts"] == 2
    assert wards["Lạch Tray"]["states"] == {"published": 1}
    assert doc["totals"]["relics"] == 3 and doc["totals"]["published"] == 3
    # Scans and published panoramas are counted (zero here, not null: the sources exist).
    assert doc["sources"] == {"scans": True, "panoramas": True}
    assert relics["Đình Đông Khê"]["scans_per_day"] == {}
    assert relics["Đình Đông Khê"]["panoramas"] == 0


def test_stats_count_published_panoramas(client, geo_district):
    from media_pipeline.models import Panorama

    relic = geo_district["relics"][0]
    Panorama.objects.create(title="Sân", relic=relic, status="ready", tiles_version="v1")
    Panorama.objects.create(title="Chưa xử lý", relic=relic)  # nothing a visitor can open yet
    relics = _by_name(client.get("/api/ioc/stats.json").json()["relics"])
    assert relics[relic.title]["panoramas"] == 1


def test_scans_per_day_come_from_the_plaque_counters(client, geo_district):
    from media_pipeline.qr.short_codes import code_for_page

    relic = geo_district["relics"][0]
    for _ in range(2):
        client.get(f"/Q/{code_for_page(relic).code}", HTTP_USER_AGENT="iPhone Mobile")
    doc = client.get("/api/ioc/stats.json").json()
    today = timezone.localdate().isoformat()
    assert _by_name(doc["relics"])[relic.title]["scans_per_day"] == {today: 2}
    assert doc["totals"]["scans"] == 2


def test_a_pending_draft_is_reported(client, geo_district):
    relic = geo_district["relics"][0]
    relic.title = "Đình Đông Khê (đang sửa)"
    relic.save_revision()
    relics = _by_name(client.get("/api/ioc/stats.json").json()["relics"])
    assert relics["Đình Đông Khê"]["state"] == "published_with_draft"


def test_panoramas_are_counted_per_ward_and_offered_on_the_map(client, geo_district):
    from media_pipeline.models import Panorama

    relic = geo_district["relics"][0]
    for title in ("Sân", "Hậu cung"):
        Panorama.objects.create(title=title, relic=relic, status="ready", tiles_version="v1")
    doc = client.get("/api/ioc/stats.json").json()
    assert _by_name(doc["relics"])["Đình Đông Khê"]["panoramas"] == 2
    assert _by_name(doc["wards"])["Đông Khê"]["panoramas"] == 2
    assert doc["totals"]["panoramas"] == 2
    # ...and the map offers that relic's 360° tour.
    feed = client.get("/api/geo/relics.geojson?ward=P01").json()
    tours = {f["properties"]["name"]: f["properties"]["tour_url"] for f in feed["features"]}
    assert tours["Đình Đông Khê"].endswith(relic.url + "#tham-quan-360")
    assert tours["Chùa Phổ Chiếu"] is None


def test_days_parameter_is_checked(client, geo_district):
    assert client.get("/api/ioc/stats.json?days=7").json()["period"]["days"] == 7
    bad = client.get("/api/ioc/stats.json?days=9999")
    assert bad.status_code == 400 and bad.json()["parameter"] == "days"


@override_settings(IOC_ALLOWED_ORIGINS=(IOC,))
def test_cors_header_only_for_the_ioc(client, geo_district):
    ok = client.get("/api/ioc/stats.json", headers={"Origin": IOC})
    assert ok["Access-Control-Allow-Origin"] == IOC
    portal = client.get("/api/ioc/stats.json", headers={"Origin": "https://portal.example.vn"})
    assert "Access-Control-Allow-Origin" not in portal
