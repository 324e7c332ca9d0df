"""The geo test district: two wards with boundaries, relics and places at known places."""

from maps.models import WardBoundary
from tests.factories import make_district, make_place, make_relic

SQUARE_A = [[106.67, 20.85], [106.69, 20.85], [106.69, 20.87], [106.67, 20.87], [106.67, 20.85]]
SQUARE_B = [[106.69, 20.85], [106.71, 20.85], [106.71, 20.87], [106.69, 20.87], [106.69, 20.85]]


def add_boundary(ward, ring):
    boundary = WardBoundary(ward=ward)
    boundary.set_geometry({"type": "Polygon", "coordinates": [ring]})
    boundary.save()
    return boundary


def build_geo_district():
    """Two wards with boundaries, three live relics, one draft relic and two places."""
    d = make_district()
    east, west = d["wards"]
    east.ward_code, west.ward_code = "P01", "P02"
    east.save_revision().publish()
    west.save_revision().publish()
    add_boundary(east, SQUARE_A)
    add_boundary(west, SQUARE_B)
    d["relics"] = [
        make_relic(
            east,
            "Đình Đông Khê",
            lat="20.8600",
            lon="106.6800",
            relic_code="DT01",
            ranking="quoc_gia",
            relic_type="dinh",
            artifacts=2,
            inscriptions=1,
        ),
        make_relic(
            east,
            "Chùa Phổ Chiếu",
            lat="20.8650",
            lon="106.6850",
            relic_code="DT02",
            ranking="cap_tinh",
            relic_type="chua",
        ),
        make_relic(
            west,
            "Đền Nghè",
            lat="20.8550",
            lon="106.7000",
            relic_code="DT03",
            ranking="quoc_gia",
            relic_type="den",
            inscriptions=3,
        ),
    ]
    draft = make_relic(west, "Miếu Chưa Duyệt", lat="20.8560", lon="106.7050", relic_code="DT04")
    draft.unpublish()
    d["draft"] = draft
    d["places"] = [
        make_place(east, "Quán Bánh đa cua", lat="20.8610", lon="106.6810"),
        make_place(west, "Khách sạn Lạch Tray", lat="20.8570", lon="106.7010"),
    ]
    hotel = d["places"][1]
    hotel.kind = "hotel"
    hotel.save_revision().publish()
    return d
