"""OGC API – Features at /api/ogc/, requirement by requirement.

One case per requirement of OGC 17-069r4 (Part 1 v1.0.1: Core, GeoJSON, OpenAPI 3.0) and of
Part 3's Queryables classes, named by its identifier; HTML is not claimed and its refusal is
tested instead. Each response the API gives is also checked against the schema its own OpenAPI
document declares for it.
"""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_openapi

from content.models import RelicPage
from maps.models import WardBoundary

API = "/api/ogc"
HOST = "http://testserver"
CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
COLLECTIONS = ("relics", "places", "wards")
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
OLD, NEW = datetime(2020, 1, 1, 8, tzinfo=UTC), datetime(2024, 6, 1, 8, tzinfo=UTC)


@pytest.fixture
def api(client, geo_district):
    """The client over a district whose relics were last published at known moments."""
    first, second, third = geo_district["relics"]
    RelicPage.objects.filter(pk=first.pk).update(last_published_at=OLD)
    RelicPage.objects.filter(pk__in=[second.pk, third.pk]).update(last_published_at=NEW)
    return client


def get(client, path, **headers):
    return client.get(path if path.startswith("http") else API + path, headers=headers)


def ok(client, path, media_type="application/json", **headers):
    response = get(client, path, **headers)
    assert response.status_code == 200, (path, response.content[:300])
    params = [p.strip() for p in response["Content-Type"].split(";")]
    assert ";".join(p for p in params if not p.startswith("charset=")) == media_type
    return response.json()


def rels(document):
    return {link["rel"]: link for link in document["links"]}


def declared(client, path, status="200"):
    """The schema the OpenAPI document gives for a GET at ``path`` (a path of the document)."""
    document = ok(client, "/api", OPENAPI)
    content = document["paths"][path]["get"]["responses"][status]
    if "$ref" in content:
        content = document["components"]["responses"][content["$ref"].rsplit("/", 1)[1]]
    (schema,) = (media["schema"] for media in content["content"].values())
    return OAS30Validator({**schema, "components": document["components"]})


def names(document):
    return sorted(f["properties"]["name"] for f in document["features"])


def is_error(response, status):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["code"] and body["description"]
    return body["description"]


# --- Core ------------------------------------------------------------------------------------


def req_root_op(client):
    assert get(client, "/").status_code == 200


def req_root_success(client):
    landing = ok(client, "/")
    declared(client, "/").validate(landing)
    links = rels(landing)
    assert links["service-desc"]["href"] == f"{HOST}{API}/api"
    assert links["conformance"]["href"] == f"{HOST}{API}/conformance"
    assert links["data"]["href"] == f"{HOST}{API}/collections"
    # One landing URL: the slash-less one moves there for good, query and all.
    moved = client.get(API + "?f=json")
    assert (moved.status_code, moved["Location"]) == (301, f"{API}/?f=json")


def req_api_definition_op(client):
    for link in ok(client, "/")["links"]:
        if link["rel"] in ("service-desc", "service-doc"):
            assert get(client, link["href"]).status_code == 200


def req_api_definition_success(client):
    links = rels(ok(client, "/"))
    desc, doc = links["service-desc"], links["service-doc"]
    definition = ok(client, desc["href"], desc["type"], Accept=desc["type"])
    assert definition["openapi"].startswith("3.0")
    page = get(client, doc["href"], Accept=doc["type"])
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    for collection in COLLECTIONS:
        assert f"{HOST}{API}/collections/{collection}/items" in html
    for parameter in ("bbox", "datetime", "limit", "ward", "ranking"):
        assert f"<code>{parameter}</code>" in html


def req_conformance_op(client):
    assert get(client, "/conformance").status_code == 200


def req_conformance_success(client):
    document = ok(client, "/conformance")
    declared(client, "/conformance").validate(document)
    assert {CORE + "core", CORE + "geojson", CORE + "oas30"} <= set(document["conformsTo"])
    assert CORE + "html" not in document["conformsTo"]  # see test_html_is_not_claimed


def req_http(client):
    # HTTP semantics: HEAD like GET, OPTIONS lists the methods, anything else 405 with Allow.
    assert client.head(f"{API}/collections").status_code == 200
    assert client.options(f"{API}/collections")["Allow"] == "GET, HEAD, OPTIONS"
    for method in (client.post, client.put, client.delete, client.patch):
        response = method(f"{API}/collections/relics/items")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD, OPTIONS"
        assert response.json()["code"] == "MethodNotAllowed"  # not CSRF's 403 page


def req_query_param_invalid(client):
    for query in (
        "limit=0",
        "limit=abc",
        "limit=1_000",
        "offset=-1",
        "bbox=1,2,3",
        "bbox=200,0,201,1",
        "bbox=0,95,1,96",
        "datetime=garbage",
        "datetime=2024-02-30T00:00:00Z",
        "datetime=2024-05-02/2024-05-01",
        "ranking=vo_hang",
        "lang=xx",
        "f=html",
        "f=",
    ):
        name = query.split("=")[0]
        assert name in is_error(get(client, f"/collections/relics/items?{query}"), 400), query


def req_query_param_unknown(client):
    for path in ("/", "/conformance", "/api", "/collections", "/collections/relics"):
        assert "foo" in is_error(get(client, f"{path}?foo=bar"), 400)
    assert "bbox-crs" in is_error(get(client, "/collections/wards/items?bbox-crs=x"), 400)
    # A relic filter is unknown on the places' items.
    assert "ranking" in is_error(get(client, "/collections/places/items?ranking=quoc_gia"), 400)


def req_crs84(client):
    for collection in COLLECTIONS:
        assert ok(client, f"/collections/{collection}")["crs"] == [
            "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
        ]
    relic = ok(client, "/collections/relics/items?limit=1", "application/geo+json")
    assert relic["features"][0]["geometry"]["coordinates"] == [106.68, 20.86]  # lon, lat


def req_fc_md_op(client):
    assert get(client, "/collections").status_code == 200


def req_fc_md_success(client):
    declared(client, "/collections").validate(ok(client, "/collections"))


def req_fc_md_links(client):
    links = rels(ok(client, "/collections"))
    assert links["self"] == {
        "href": f"{HOST}{API}/collections",
        "rel": "self",
        "type": "application/json",
        "title": "Các lớp dữ liệu",
    }
    assert "alternate" not in links  # one media type, so no alternates are owed


def req_fc_md_items(client):
    ids = [c["id"] for c in ok(client, "/collections")["collections"]]
    assert ids == list(COLLECTIONS)


def req_fc_md_items_links(client):
    for collection in ok(client, "/collections")["collections"]:
        items = rels(collection)["items"]
        assert items["href"] == f"{HOST}{API}/collections/{collection['id']}/items"
        assert items["type"] == "application/geo+json"


def req_fc_md_extent(client):
    relics = ok(client, "/collections/relics")["extent"]
    assert relics["spatial"]["bbox"] == [[106.68, 20.855, 106.7, 20.865]]
    assert relics["temporal"]["interval"] == [["2020-01-01T08:00:00Z", "2024-06-01T08:00:00Z"]]
    wards = ok(client, "/collections/wards")["extent"]
    assert wards["spatial"]["bbox"] == [[106.67, 20.85, 106.71, 20.87]]


def req_fc_md_extent_multi(client):
    # One box and one interval per collection: every feature lies inside them.
    for collection in COLLECTIONS:
        extent = ok(client, f"/collections/{collection}")["extent"]
        ((west, south, east, north),) = extent["spatial"]["bbox"]
        ((first, last),) = extent["temporal"]["interval"]
        page = ok(client, f"/collections/{collection}/items", "application/geo+json")
        for feature in page["features"]:
            xs, ys = zip(*_positions(feature["geometry"]["coordinates"]), strict=True)
            assert west <= min(xs) <= max(xs) <= east and south <= min(ys) <= max(ys) <= north
            assert first <= feature["properties"]["updated"] <= last


def _positions(node):
    if node and not isinstance(node[0], list):
        return [node]
    return [p for child in node for p in _positions(child)]


def req_sfc_md_op(client):
    for collection in ok(client, "/collections")["collections"]:
        assert get(client, f"/collections/{collection['id']}").status_code == 200


def req_sfc_md_success(client):
    for listed in ok(client, "/collections")["collections"]:
        one = ok(client, f"/collections/{listed['id']}")
        declared(client, f"/collections/{listed['id']}").validate(one)
        for key in ("id", "title", "description", "extent", "itemType"):
            assert one[key] == listed[key]
        assert all(link in one["links"] for link in listed["links"])


def req_fc_op(client):
    for collection in ok(client, "/collections")["collections"]:
        assert get(client, f"/collections/{collection['id']}/items").status_code == 200
    assert is_error(get(client, "/collections/roads/items"), 404)


def req_fc_limit_definition(client):
    definition = ok(client, "/api", OPENAPI)
    limit = definition["components"]["parameters"]["limit"]
    assert (limit["in"], limit["required"], limit["style"], limit["explode"]) == (
        "query",
        False,
        "form",
        False,
    )
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}


def req_fc_limit_response_1(client):
    page = ok(client, "/collections/relics/items?limit=2", "application/geo+json")
    assert len(page["features"]) == 2
    # Above the maximum: the maximum, not an error; a 20-digit limit too.
    for limit in ("1001", "99999999999999999999"):
        big = ok(client, f"/collections/relics/items?limit={limit}", "application/geo+json")
        assert big["numberReturned"] == 3
        assert "limit=1000" in rels(big)["self"]["href"]


def req_fc_bbox_definition(client):
    definition = ok(client, "/api", OPENAPI)
    bbox = definition["components"]["parameters"]["bbox"]
    assert (bbox["style"], bbox["explode"], bbox["schema"]["type"]) == ("form", False, "array")
    four, six = bbox["schema"]["oneOf"]
    assert four["items"] == {"type": "number", "minimum": -180, "maximum": 180}
    assert (four["minItems"], six["minItems"]) == (4, 6)


def req_fc_bbox_response(client):
    boxed = ok(client, "/collections/relics/items?bbox=106.675,20.855,106.69,20.87", GEOJSON)
    assert names(boxed) == ["Chùa Phổ Chiếu", "Đình Đông Khê"]
    six = ok(client, "/collections/relics/items?bbox=106.675,20.855,0,106.69,20.87,100", GEOJSON)
    assert names(six) == names(boxed)  # heights ignored
    wards = ok(client, "/collections/wards/items?bbox=106.695,20.86,106.70,20.861", GEOJSON)
    assert names(wards) == ["Lạch Tray"]  # the polygon touching the box
    assert is_error(get(client, "/collections/relics/items?bbox=0,-91,1,0"), 400)


def req_fc_time_definition(client):
    definition = ok(client, "/api", OPENAPI)
    parameter = definition["components"]["parameters"]["datetime"]
    assert (parameter["in"], parameter["style"], parameter["explode"]) == ("query", "form", False)
    assert parameter["schema"]["type"] == "string" and "updated" in parameter["description"]
    items = definition["paths"]["/collections/relics/items"]["get"]["parameters"]
    assert {"$ref": "#/components/parameters/datetime"} in items


def req_fc_time_response(client):
    cases = {
        "2020-01-01T08:00:00Z": ["Đình Đông Khê"],  # an instant: its second
        "2020-01-01T15:00:00+07:00": ["Đình Đông Khê"],  # the same moment in Vietnam
        "2020-01-01": ["Đình Đông Khê"],  # a date: the whole day (UTC)
        "2019-12-31T00:00:00Z/2020-01-02T00:00:00Z": ["Đình Đông Khê"],
        "../2023-01-01T00:00:00Z": ["Đình Đông Khê"],
        "/2023-01-01T00:00:00Z": ["Đình Đông Khê"],
        "2023-01-01T00:00:00Z/..": ["Chùa Phổ Chiếu", "Đền Nghè"],
        "2023-01-01T00:00:00Z/": ["Chùa Phổ Chiếu", "Đền Nghè"],
        "2021-01-01T00:00:00Z": [],
    }
    for value, expected in cases.items():
        page = ok(
            client, f"/collections/relics/items?datetime={value.replace('+', '%2B')}", GEOJSON
        )
        assert names(page) == expected, value
        assert page["numberMatched"] == len(expected)
    # Ward boundaries are stamped by their last save.
    WardBoundary.objects.update(updated_at=OLD)
    assert ok(client, "/collections/wards/items?datetime=2020-01-01", GEOJSON)["numberMatched"] == 2
    for malformed in ("yesterday", "2024-13-01", "2024-05-01T08:00:00", "../..", "/"):
        assert "datetime" in is_error(
            get(client, f"/collections/relics/items?datetime={malformed}"), 400
        )


def req_fc_response(client):
    page = ok(client, "/collections/relics/items?ward=P02", GEOJSON)
    declared(client, "/collections/relics/items").validate(page)
    assert names(page) == ["Đền Nghè"]
    assert "Miếu Chưa Duyệt" not in str(ok(client, "/collections/relics/items", GEOJSON))


def req_fc_links(client):
    page = ok(client, "/collections/relics/items?limit=2&ranking=quoc_gia,cap_tinh", GEOJSON)
    self_link = rels(page)["self"]
    query = parse_qs(urlsplit(self_link["href"]).query)
    assert query == {"ranking": ["quoc_gia,cap_tinh"], "limit": ["2"], "offset": ["0"]}
    assert "alternate" not in rels(page)


def req_fc_rel_type(client):
    first = ok(client, "/collections/relics/items?limit=1&offset=1", GEOJSON)
    links = rels(first)
    assert {"self", "next", "prev", "collection"} <= set(links)
    assert all(link["rel"] and link["type"] for link in first["links"])
    assert links["next"]["type"] == links["prev"]["type"] == GEOJSON


def req_fc_timestamp(client):
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = ok(client, "/collections/relics/items", GEOJSON)["timeStamp"]
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert before <= moment <= datetime.now(UTC)


def req_fc_numbermatched(client):
    page = ok(client, "/collections/relics/items?limit=1&ranking=quoc_gia", GEOJSON)
    assert page["numberMatched"] == 2
    empty = ok(client, "/collections/relics/items?offset=9223372036854775808", GEOJSON)
    assert (empty["numberMatched"], empty["features"]) == (3, [])  # past the end: empty, no 500
    huge = ok(client, "/collections/relics/items?offset=99999999999999999999", GEOJSON)
    assert huge["numberReturned"] == 0


def req_fc_numberreturned(client):
    for limit in (1, 2, 3, 5):
        page = ok(client, f"/collections/relics/items?limit={limit}", GEOJSON)
        assert page["numberReturned"] == len(page["features"]) == min(limit, 3)


def req_f_op(client, geo_district):
    for relic in geo_district["relics"]:
        assert get(client, f"/collections/relics/items/{relic.pk}").status_code == 200
    for ward in geo_district["wards"]:
        assert get(client, f"/collections/wards/items/{ward.pk}").status_code == 200


def req_f_success(client, geo_district):
    relic = geo_district["relics"][0]
    feature = ok(client, f"/collections/relics/items/{relic.pk}", GEOJSON)
    declared(client, "/collections/relics/items/{featureId}").validate(feature)
    for collection in COLLECTIONS:  # a number too big for the database is just not there
        for missing in ("9223372036854775808", "99999999999999999999", "0x1", "٣", "007", "-1"):
            assert is_error(get(client, f"/collections/{collection}/items/{missing}"), 404)


def req_f_links(client, geo_district):
    relic = geo_district["relics"][0]
    feature = ok(client, f"/collections/relics/items/{relic.pk}?lang=vi", GEOJSON)
    links = rels(feature)
    assert links["self"]["href"] == f"{HOST}{API}/collections/relics/items/{relic.pk}?lang=vi"
    assert links["collection"]["href"] == f"{HOST}{API}/collections/relics"
    assert all(link["rel"] and link["type"] for link in feature["links"])


# --- GeoJSON ---------------------------------------------------------------------------------


def req_geojson_definition(client, geo_district):
    for path in ("/", "/conformance", "/collections", "/collections/relics"):
        ok(client, path, "application/json")
    ok(client, "/collections/relics/items", GEOJSON)
    ok(client, f"/collections/relics/items/{geo_district['relics'][0].pk}", GEOJSON)
    # A client asking for plain JSON gets the GeoJSON too.
    ok(client, "/collections/relics/items", GEOJSON, Accept="application/json")


def req_geojson_content(client, geo_district):
    page = ok(client, "/collections/places/items", GEOJSON)
    assert page["type"] == "FeatureCollection" and isinstance(page["links"], list)
    declared(client, "/collections/places/items").validate(page)
    ward = geo_district["wards"][1]
    feature = ok(client, f"/collections/wards/items/{ward.pk}", GEOJSON)
    assert feature["type"] == "Feature" and str(feature["id"]) == str(ward.pk)
    declared(client, "/collections/wards/items/{featureId}").validate(feature)


# --- OpenAPI 3.0 -----------------------------------------------------------------------------


def req_oas30_completeness(client):
    definition = ok(client, "/api", OPENAPI)
    for path, operation in definition["paths"].items():
        statuses = set(operation["get"]["responses"])
        assert {"200", "400", "406"} <= statuses, path
        assert ("404" in statuses) == path.endswith("{featureId}"), path


def req_oas30_exceptions_codes(client):
    # Each error status the server gives is declared for that operation, with its body schema.
    checks = (
        ("/collections/relics/items", "400", "/collections/relics/items?foo=1", {}),
        ("/collections/relics/items", "406", "/collections/relics/items", {"Accept": "text/html"}),
        ("/collections/relics/items/{featureId}", "404", "/collections/relics/items/999999", {}),
    )
    for path, status, url, headers in checks:
        response = get(client, url, **headers)
        assert response.status_code == int(status)
        declared(client, path, status).validate(response.json())


def req_oas30_oas_definition_1(client):
    links = rels(ok(client, "/"))
    assert links["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert links["service-doc"]["type"] == "text/html"


def req_oas30_oas_definition_2(client):
    validate_openapi(ok(client, "/api", OPENAPI))


def req_oas30_oas_impl(client):
    # Every parameter the definition names is taken by the server (schemathesis goes further:
    # tests/maps/test_ogc_openapi_audit.py).
    definition = ok(client, "/api", OPENAPI)
    values = {
        **{"limit": "2", "offset": "0", "bbox": "106,20,107,21", "datetime": "2020-01-01/.."},
        **{"lang": "vi", "f": "json", "ward": "P01", "ranking": "quoc_gia", "type": "dinh"},
    }
    operation = definition["paths"]["/collections/relics/items"]["get"]
    named = [p.get("name") or p["$ref"].rsplit("/", 1)[1] for p in operation["parameters"]]
    assert set(named) == set(values)
    query = "&".join(f"{name}={values[name]}" for name in named)
    assert names(ok(client, f"/collections/relics/items?{query}", GEOJSON)) == ["Đình Đông Khê"]


def req_oas30_security(client):
    definition = ok(client, "/api", OPENAPI)
    assert "security" not in definition  # open data: no access control to document


# --- Part 3: queryables ----------------------------------------------------------------------


def req_queryables_get_queryables_op(client):
    for collection in COLLECTIONS:
        ok(client, f"/collections/{collection}/queryables", "application/schema+json")


def req_queryables_get_queryables_response(client):
    schema = ok(client, "/collections/relics/queryables", "application/schema+json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"{HOST}{API}/collections/relics/queryables"
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"ward", "ranking", "type"}
    assert all(p["type"] == "string" for p in schema["properties"].values())
    assert {"P01", "dong-khe", "Đông Khê"} <= set(schema["properties"]["ward"]["enum"])
    places = ok(client, "/collections/places/queryables", "application/schema+json")
    assert set(places["properties"]) == {"ward", "type"}


def req_queryables_queryables_link(client):
    for collection in COLLECTIONS:
        link = rels(ok(client, f"/collections/{collection}"))[
            "http://www.opengis.net/def/rel/ogc/1.0/queryables"
        ]
        assert link["href"] == f"{HOST}{API}/collections/{collection}/queryables"


def req_queryables_query_parameters_parameters(client):
    definition = ok(client, "/api", OPENAPI)
    for collection in COLLECTIONS:
        queryables = ok(client, f"/collections/{collection}/queryables", "application/schema+json")
        operation = definition["paths"][f"/collections/{collection}/items"]["get"]
        parameters = {p["name"]: p for p in operation["parameters"] if "name" in p}
        for name, schema in queryables["properties"].items():
            assert parameters[name]["schema"]["items"]["enum"] == schema["enum"]
    page = ok(client, "/collections/relics/items?type=den", GEOJSON)
    assert names(page) == ["Đền Nghè"]
    by_name = ok(client, "/collections/places/items?ward=Đông Khê", GEOJSON)
    assert names(by_name) == ["Quán Bánh đa cua"]


REQUIREMENTS = {
    "/req/core/root-op": req_root_op,
    "/req/core/root-success": req_root_success,
    "/req/core/api-definition-op": req_api_definition_op,
    "/req/core/api-definition-success": req_api_definition_success,
    "/req/core/conformance-op": req_conformance_op,
    "/req/core/conformance-success": req_conformance_success,
    "/req/core/http": req_http,
    "/req/core/query-param-invalid": req_query_param_invalid,
    "/req/core/query-param-unknown": req_query_param_unknown,
    "/req/core/crs84": req_crs84,
    "/req/core/fc-md-op": req_fc_md_op,
    "/req/core/fc-md-success": req_fc_md_success,
    "/req/core/fc-md-links": req_fc_md_links,
    "/req/core/fc-md-items": req_fc_md_items,
    "/req/core/fc-md-items-links": req_fc_md_items_links,
    "/req/core/fc-md-extent": req_fc_md_extent,
    "/req/core/fc-md-extent-multi": req_fc_md_extent_multi,
    "/req/core/sfc-md-op": req_sfc_md_op,
    "/req/core/sfc-md-success": req_sfc_md_success,
    "/req/core/fc-op": req_fc_op,
    "/req/core/fc-limit-definition": req_fc_limit_definition,
    "/req/core/fc-limit-response-1": req_fc_limit_response_1,
    "/req/core/fc-bbox-definition": req_fc_bbox_definition,
    "/req/core/fc-bbox-response": req_fc_bbox_response,
    "/req/core/fc-time-definition": req_fc_time_definition,
    "/req/core/fc-time-response": req_fc_time_response,
    "/req/core/fc-response": req_fc_response,
    "/req/core/fc-links": req_fc_links,
    "/req/core/fc-rel-type": req_fc_rel_type,
    "/req/core/fc-timeStamp": req_fc_timestamp,
    "/req/core/fc-numberMatched": req_fc_numbermatched,
    "/req/core/fc-numberReturned": req_fc_numberreturned,
    "/req/core/f-op": req_f_op,
    "/req/core/f-success": req_f_success,
    "/req/core/f-links": req_f_links,
    "/req/geojson/definition": req_geojson_definition,
    "/req/geojson/content": req_geojson_content,
    "/req/oas30/completeness": req_oas30_completeness,
    "/req/oas30/exceptions-codes": req_oas30_exceptions_codes,
    "/req/oas30/oas-definition-1": req_oas30_oas_definition_1,
    "/req/oas30/oas-definition-2": req_oas30_oas_definition_2,
    "/req/oas30/oas-impl": req_oas30_oas_impl,
    "/req/oas30/security": req_oas30_security,
    "/req/queryables/get-queryables-op": req_queryables_get_queryables_op,
    "/req/queryables/get-queryables-response": req_queryables_get_queryables_response,
    "/req/queryables/queryables-link": req_queryables_queryables_link,
    "/req/queryables-query-parameters/parameters": req_queryables_query_parameters_parameters,
}


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=list(REQUIREMENTS))
def test_requirement(requirement, api, geo_district):
    check = REQUIREMENTS[requirement]
    if check.__code__.co_argcount == 2:
        check(api, geo_district)
    else:
        check(api)


def test_html_is_not_claimed_and_never_answered_with_json(api):
    """/req/html/definition: not claimed, so HTML requests are refused, not answered in JSON."""
    assert is_error(get(api, "/collections?f=html"), 400)
    refused = get(api, "/collections/relics/items", Accept="text/html")
    assert refused.status_code == 406 and refused.json()["code"] == "NotAcceptable"
    # A browser (text/html first, */* after) is not refused: */* takes JSON.
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert get(api, "/", Accept=browser).status_code == 200
