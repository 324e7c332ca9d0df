"""GeoJSON feeds (RFC 7946) and their query parameters."""

import json

import pytest

from maps.features import (
    BBox,
    FeedParamError,
    collection_bounds,
    dumps,
    feature_collection,
    parse_bbox,
    parse_filters,
    parse_paging,
    relic_feature,
    ward_feature,
)

RELIC = {
    "id": 7,
    "code": "DT07",
    "name": "Đình Đông Khê",
    "lon": 106.69491234567,
    "lat": 20.8561,
    "ranking": "quoc_gia",
    "type": "dinh",
    "ward": "Đông Khê",
    "url": "/di-tich/dinh-dong-khe/",
}


def test_relic_feature_is_lon_lat_with_six_decimals():
    feature = relic_feature(RELIC)
    assert feature["type"] == "Feature"
    assert feature["id"] == 7
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.694912, 20.8561]}
    assert feature["properties"]["name"] == "Đình Đông Khê"
    assert feature["properties"]["tour_url"] is None


def test_feature_collection_serialises_as_valid_rfc7946():
    document = json.loads(dumps(feature_collection([relic_feature(RELIC)])))
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document  # RFC 7946 removed it: WGS84 always
    lon, lat = document["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90 and lon > lat  # longitude first in Vietnam
    assert "Đình Đông Khê" in dumps(feature_collection([relic_feature(RELIC)]))  # not \u-escaped


def test_ward_feature_has_bbox_and_rounded_ring():
    ring = [[106.68, 20.85], [106.690000049, 20.85], [106.69, 20.86], [106.68, 20.85]]
    feature = ward_feature(
        {"id": 1, "name": "Đông Khê", "geometry": {"type": "Polygon", "coordinates": [ring]}}
    )
    assert feature["bbox"] == [106.68, 20.85, 106.69, 20.86]
    assert feature["geometry"]["coordinates"][0][1] == [106.69, 20.85]


def test_dumps_refuses_nan():
    with pytest.raises(ValueError):
        dumps({"x": float("nan")})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("106,20,107", "4 số"),
        ("106,20,107,abc", "không phải số"),
        ("106,21,107,20", "có thể bị đảo"),
        ("106,20,190,21", "−180 đến 180"),
        ("20,106,21,107", "−90 đến 90"),
        ("106,20,107,inf", "hữu hạn"),
    ],
)
def test_parse_bbox_errors_are_clear(text, message):
    with pytest.raises(FeedParamError) as error:
        parse_bbox(text)
    assert message in str(error.value)
    assert error.value.parameter == "bbox"


def test_parse_bbox_accepts_heights_and_antimeridian():
    assert parse_bbox("106, 20, 0, 107, 21, 100") == BBox(106, 20, 107, 21)
    crossing = parse_bbox("170,-10,-170,10")
    assert crossing.contains(179.5, 0) and crossing.contains(-175, 0)
    assert not crossing.contains(0, 0)


def test_paging_clamps_limit_and_rejects_nonsense():
    assert parse_paging(None, None) == (100, 0)
    assert parse_paging("5000", "20") == (1000, 20)
    for limit, offset in (("0", None), ("abc", None), (None, "-1")):
        with pytest.raises(FeedParamError):
            parse_paging(limit, offset)


def test_filters_by_ward_ranking_type_and_bbox():
    items = [
        RELIC,
        dict(RELIC, id=8, ranking="cap_tinh", ward="Cầu Đất"),
        dict(RELIC, id=9, lon=107.5, lat=21.0),
    ]
    assert [i["id"] for i in parse_filters({"ranking": "quoc_gia"}).apply(items)] == [7, 9]
    assert [i["id"] for i in parse_filters({"ward": "cầu đất, Lạch Tray"}).apply(items)] == [8]
    assert [i["id"] for i in parse_filters({"bbox": "106.6,20.8,106.8,20.9"}).apply(items)] == [
        7,
        8,
    ]
    assert parse_filters({"type": "chua"}).apply(items) == []


def test_filters_layers_are_checked():
    assert parse_filters({"layers": "wards,relics"}).layers == ("relics", "wards")
    with pytest.raises(FeedParamError, match="camera"):
        parse_filters({"layers": "relics,camera"})


def test_collection_bounds_over_points_and_polygons():
    ward = {
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[106.6, 20.7], [106.9, 20.7], [106.9, 20.95], [106.6, 20.7]]],
        }
    }
    assert collection_bounds([RELIC, ward]) == (106.6, 20.7, 106.9, 20.95)
    assert collection_bounds([]) is None
