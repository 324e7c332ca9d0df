"""Hostile input on every public endpoint: each case names the answer it must get, never a 500.

Queries and codes with quotes, NUL, regex and full-text syntax, huge and odd Unicode; junk
Accept-Language; out-of-range and overflowing numbers in every numeric parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from media_pipeline.qr.short_codes import code_for_page
from tests.security.district import PUBLIC, TILE

OK, BAD, GONE, NOT_ALLOWED = {200}, {400}, {404}, {405}
OK_OR_BAD = {200, 400}
PREFIXES = ["", "/en", "/zh-hans", "/ko", "/ja", "/fr"]
HUGE = "99999999999999999999"
INT64_OVERFLOW = "9223372036854775808"

QUERIES = {
    "quote": '"',
    "quote-inside": 'dinh" khe',
    "quote-vietnamese": '"Hậu thần',
    "nul": "\x00",
    "nul-inside": "đình\x00khê",
    "percent-nul": "%00",
    "huge": "x" * 5000,
    "regex": "(.*)+$",
    "regex-class": "[a-z]*{2,}",
    "backslash": "\\",
    "sql": "' OR 1=1 --",
    "fts-near": "NEAR(dinh khe)",
    "fts-operators": "dinh AND OR NOT khe",
    "fts-star": "*",
    "fts-prefix": "dinh*",
    "fts-minus": "-dinh",
    "fts-caret": "^dinh",
    "fts-column": "title:dinh",
    "emoji": "🏯🏯",
    "bidi": "\u202e\u202d",
    "script": "<script>alert(1)</script>",
    "astral-han": "𠀀𠀁",
    "bom": "\ufeff",
    "combining-only": "\u0301\u0301",
    "spaces": "   ",
}
FEW_QUERIES = ["quote", "nul", "regex", "script", "quote-inside", "percent-nul", "huge", "sql"]
PAGES = {
    "negative": "-1",
    "zero": "0",
    "overflow": HUGE,
    "int64-overflow": INT64_OVERFLOW,
    "exponent": "1e9",
    "letters": "abc",
    "nul": "\x00",
    "arabic-digit": "٣",
}
LANGUAGES = {
    "star": "*",
    "unknown": "zz",
    "bad-q": "en;q=abc",
    "huge": "x" * 5000,
    "separators": ";;;,,,",
    "q-overflow": "zh-TW;q=1e309",
    "q-nan": "en-US,en;q=0.9,vi;q=NaN",
    "latin1": "\xff\xfe",
    "dash": "-",
}
BBOXES = {
    "three": "1,2,3",
    "letters": "a,b,c,d",
    "overflow": "1e309,0,1,1",
    "nan": "nan,nan,nan,nan",
    "out-of-range": "-181,-91,181,91",
    "long-number": "9" * 400 + ",0,1,1",
    "inf": "inf,-inf,inf,-inf",
    "inverted": "10,10,0,0",
    "empty-parts": ",,,",
}
WORDS = {
    "unknown": "khong-co",
    "nul": "\x00",
    "huge": "x" * 1000,
    "regex": "(.*)",
    "script": "<script>alert(1)</script>",
    "commas": ",,,",
}
DAYS = {
    "zero": "0",
    "negative": "-1",
    "too-many": "367",
    "overflow": HUGE,
    "exponent": "1e3",
    "letters": "abc",
    "nul": "\x00",
    "fraction": "30.5",
    "nan": "NaN",
    "huge": "9" * 5000,
}


@dataclass(frozen=True)
class Case:
    id: str
    path: str
    expect: set[int]
    params: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    method: str = "get"


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    # Search, in every language, with every hostile query (fewer under the last four).
    for prefix in PREFIXES:
        names = QUERIES if prefix == "" else FEW_QUERIES if prefix == "/en" else FEW_QUERIES[:4]
        for name in names:
            add(
                Case(
                    f"search{prefix or '/vi'}-{name}", f"{prefix}/search/", OK, {"q": QUERIES[name]}
                )
            )
    for name, value in PAGES.items():
        add(Case(f"search-page-{name}", "/search/", OK, {"q": "dinh", "page": value}))
        add(Case(f"relic-index-page-{name}", "/di-tich/", OK, {"page": value}))
        add(Case(f"gallery-page-{name}", "/360/", OK, {"page": value}))
        add(Case(f"gallery-embed-page-{name}", "/360/embed/", OK, {"page": value}))
    # A relic's pages of inscriptions and artifacts (and the "Xem thêm" fragments): an odd page
    # number is not found, never an error; an unknown item to open shows the first pages.
    relic = "/di-tich/dong-khe/dinh-cong-khai/"
    for name, value in {**PAGES, "past-the-end": "2", "huge-digits": "9" * 5000}.items():
        for param in ("hien-vat", "di-van"):
            add(Case(f"relic-{param}-page-{name}", relic, OK | GONE, {param: value}))
            part = {param: value, "phan": param}
            add(Case(f"relic-{param}-part-{name}", relic, OK | GONE, part))
    anchors = {**WORDS, "nul-anchor": "hien-vat-\x00", "pk-overflow": f"di-van-{HUGE}"}
    for name, value in anchors.items():
        add(Case(f"relic-xem-{name}", relic, OK, {"xem": value}))
        add(Case(f"relic-phan-{name}", relic, OK, {"phan": value}))
    for name, value in WORDS.items():
        filters = {"ward": value, "type": value, "ranking": value}
        add(Case(f"relic-index-filters-{name}", "/di-tich/", OK, filters))
    # Visitor pages in every language, and paths that lead nowhere.
    for prefix in PREFIXES:
        add(Case(f"home{prefix or '/vi'}", f"{prefix}/", OK))
        add(Case(f"relic{prefix or '/vi'}", f"{prefix}/di-tich/dong-khe/dinh-cong-khai/", OK))
        add(Case(f"near-me{prefix or '/vi'}", f"{prefix}/near-me/", OK))
        add(Case(f"offline-manifest{prefix or '/vi'}", f"{prefix}/offline/manifest.json", OK))
        add(Case(f"map{prefix or '/vi'}", f"{prefix}/map/", OK))
        add(Case(f"offline-map{prefix or '/vi'}", f"{prefix}/offline/map/", OK))
    for name, path in {
        "nul-slug": "/di-tich/%00/",
        "huge-slug": "/di-tich/" + "a" * 3000 + "/",
        "unknown-prefix": "/xx/",
        "unknown-page-en": "/en/di-tich/khong-co/",
        "bidi-slug": "/di-tich/%E2%80%AE/",
        "dot-dot": "/di-tich/../../etc/passwd",
    }.items():
        add(Case(f"page-{name}", path, GONE))
    add(Case("old-near-me-redirects", "/gan-toi/", {301}))
    add(Case("offline-manifest-post", "/offline/manifest.json", NOT_ALLOWED, method="post"))
    add(Case("near-me-post", "/near-me/", NOT_ALLOWED, method="post"))
    add(Case("offline-map-post", "/offline/map/", NOT_ALLOWED, method="post"))
    # The share QR: only paths of this site; anything else a clear 400.
    for name, value in {
        **QUERIES,
        "scheme": "javascript:alert(1)",
        "other-host": "//evil.test/",
    }.items():
        add(Case(f"share-qr-{name}", "/share/qr.svg", {400}, {"path": value}))
    add(Case("share-qr-relic", "/share/qr.svg", OK, {"path": "/di-tich/dong-khe/"}))
    add(Case("share-qr-post", "/share/qr.svg", NOT_ALLOWED, {"path": "/"}, method="post"))
    add(Case("sw", "/sw.js", OK))
    add(Case("sw-post", "/sw.js", NOT_ALLOWED, method="post"))
    add(Case("search-post", "/search/", NOT_ALLOWED, {"q": "dinh"}, method="post"))
    # QR codes: any case, anything after the slash.
    for name, raw in {
        "empty": "",
        "percent-nul": "%00",
        "huge": "A" * 500,
        "dot-dot": "..%2F..%2Fetc%2Fpasswd",
        "quote": "7F3K2%22",
        "vietnamese": "ĐÌNH",
        "regex": "(.*)",
        "bidi": "%E2%80%AE",
        "script": "<script>",
        "confusable-zeros": "0O0O0",
    }.items():
        add(Case(f"qr-{name}", f"/Q/{raw}", {200, 404}))
    # Junk Accept-Language wherever the language is negotiated.
    for name, value in LANGUAGES.items():
        for target, path, params, expect in (
            ("home", "/", {}, OK),
            ("search", "/search/", {"q": "dinh"}, OK),
            ("manifest", "/offline/manifest.json", {}, OK),
            ("qr", "/Q/<public-code>", {}, {302}),
        ):
            add(
                Case(
                    f"accept-language-{name}-{target}",
                    path,
                    expect,
                    params,
                    {"accept-language": value},
                )
            )
    # Map page and embed filters; GeoJSON feeds with every parameter.
    # (The map pages read their filters with the feeds' parser: fewer cases there.)
    for page in ("/map/", "/map/embed/"):
        for name in ("unknown", "nul", "script"):
            for param in ("ward", "ranking", "type", "layers"):
                value = WORDS[name]
                add(Case(f"{page.strip('/')}-{param}-{name}", page, OK_OR_BAD, {param: value}))
        for name in ("letters", "overflow", "nan", "long-number"):
            add(Case(f"{page.strip('/')}-bbox-{name}", page, OK_OR_BAD, {"bbox": BBOXES[name]}))
    for layer in ("relics", "places", "wards"):
        feed = f"/api/geo/{layer}.geojson"
        for name, value in BBOXES.items():
            add(Case(f"geo-{layer}-bbox-{name}", feed, OK_OR_BAD, {"bbox": value}))
        for name in ("unknown", "nul", "huge", "regex"):
            for param in ("ward", "ranking", "type", "lang"):
                add(Case(f"geo-{layer}-{param}-{name}", feed, OK_OR_BAD, {param: WORDS[name]}))
        add(Case(f"geo-{layer}-post", feed, NOT_ALLOWED, method="post"))
        add(Case(f"geo-{layer}-options", feed, {204}, method="options"))
    for name, value in DAYS.items():
        add(Case(f"ioc-days-{name}", "/api/ioc/stats.json", BAD, {"days": value}))
    add(Case("ioc-days-padded", "/api/ioc/stats.json", OK, {"days": " 30"}))
    add(Case("ioc-lang-unknown", "/api/ioc/stats.json", BAD, {"lang": "zz"}))
    # 360° tours and tiles: unknown, negative and overflowing ids, paths out of the folder.
    for name, pk in {"zero": "0", "overflow": HUGE, "int64-overflow": INT64_OVERFLOW}.items():
        add(Case(f"tour-{name}", f"/360/tour/{pk}/embed/", GONE))
        add(Case(f"tile-pk-{name}", f"/media/panoramas/tiles/{pk}/{TILE}", GONE))
        add(Case(f"image-serve-{name}", f"/images/abc/{pk}/width-100/x.jpg", {403, 404}))
        add(Case(f"document-{name}", f"/documents/{pk}/x.pdf", GONE))
    add(Case("tour-coords-junk", "/360/tour/<public-pano>/embed/", OK, {"toa-do": "\x00" * 10}))
    for name, rest in {
        "dot-dot": "../../../../etc/passwd",
        "encoded-dot-dot": "v1/..%2F..%2F..%2Fsecret",
        "nul": "v1/1/f0_0.jpg%00",
        "html": "v1/1/x.html",
        "manifest": "v1/manifest.json",
    }.items():
        add(Case(f"tile-path-{name}", f"/media/panoramas/tiles/<public-pano>/{rest}", GONE))
    for name, path in {
        "inventory": "/media/inventory/imports/2025/01/evil.html",
        "geoimports": "/media/geoimports/2025/01/evil.html",
        "documents": "/media/documents/evil.pdf",
        "plaques": "/media/plaques/2025/01/batch.zip",
        "dot-dot": "/media/images/../../etc/passwd",
    }.items():
        add(Case(f"media-private-{name}", path, {400, 404}))
    return out


CASES = cases()


def test_the_battery_is_large():
    assert len(CASES) >= 250, len(CASES)
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_public_input(client, db, _hidden_module, case):
    path = case.path.replace("<public-code>", code_for_page(_hidden_module["relics"][PUBLIC]).code)
    path = path.replace("<public-pano>", str(_hidden_module["panoramas"][PUBLIC].pk))
    headers = {k.replace("-", "_").upper(): v for k, v in case.headers.items()}
    request = getattr(client, case.method)
    response = request(path, case.params, **{f"HTTP_{k}": v for k, v in headers.items()})
    assert response.status_code in case.expect, (case.id, response.status_code)
    if not response.streaming and "html" in response.get("Content-Type", ""):
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "Traceback" not in body
