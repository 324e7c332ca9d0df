"""Visitors in six languages: fallback to Vietnamese, switcher, hreflang, Accept-Language."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from content.languages import negotiate_language, path_in_language
from heritage_site.settings.base import site_languages
from tests.factories import make_image, make_relic, translate


@pytest.fixture(autouse=True)
def vietnamese_urls():
    # A request leaves its language active in the thread; page.url must start from Vietnamese.
    with translation.override("vi"):
        yield


@pytest.fixture
def relic(district):
    return make_relic(district["wards"][0], hero_image=make_image("hero", size=(1600, 1000)))


def test_site_languages_are_a_setting_with_vietnamese_first():
    from django.conf import settings

    assert [c for c, _ in settings.LANGUAGES] == ["vi", "en", "zh-hans", "ko", "ja", "fr"]
    assert [c for c, _ in site_languages(["fr", "en"])] == ["vi", "fr", "en"]
    with pytest.raises(ImproperlyConfigured, match="xx"):
        site_languages(["en", "xx"])


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-US,en;q=0.9,vi;q=0.8", "en"),
        ("vi-VN,vi;q=0.9,en;q=0.5", "vi"),
        ("zh-CN,zh;q=0.9", "zh-hans"),
        ("zh-TW,zh;q=0.9", "zh-hans"),
        ("zh-HK", "zh-hans"),
        ("zh-Hant-TW", "zh-hans"),
        ("ko-KR", "ko"),
        ("EN", "en"),
        ("en_GB", "en"),
        ("fr;q=0.1, ko", "ko"),
        ("de-DE, ja;q=0.5", "ja"),
        ("\x00\xff%00, ko", "ko"),
        ("en" + ",x" * 10_000, "en"),
        ("", "vi"),
        (None, "vi"),
        ("*", "vi"),
        ("*, fr", "vi"),
        ("de-DE,pt;q=0.5", "vi"),
        ("tlh-Piqd, sw", "vi"),
        ("en;q=0", "vi"),
        ("en;q=nonsense", "vi"),
        (";;;q=abc,,", "vi"),
        (";;;,,, =q, en;q=2", "vi"),
        ("x" * 5000, "vi"),
    ],
)
def test_accept_language_gives_a_configured_language_or_vietnamese(header, expected):
    assert negotiate_language(header) == expected


def test_negotiation_follows_the_language_setting(settings):
    settings.LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
    assert negotiate_language("fr, en;q=0.5") == "en"
    assert negotiate_language("zh-TW") == "vi"


def test_scans_are_counted_by_language_or_other(settings):
    counted = settings.QR_SCAN_LANGUAGES
    assert counted == ["vi", "en", "zh", "ko", "ja", "fr"]
    assert negotiate_language("zh-Hans-CN,zh;q=0.9", counted, "other") == "zh"
    assert negotiate_language("de", counted, "other") == "other"
    assert negotiate_language("", counted, "other") == "other"


@pytest.mark.parametrize(
    "header", ["", "garbage;;q=", "de-DE,pt;q=0.5", "x" * 3000, "fr;q=2,en;q=-1", "\u00e9\u00e8"]
)
def test_odd_accept_language_headers_get_the_vietnamese_page(client, relic, header):
    for path in ("/", relic.url):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=header)
        assert response.status_code == 200
        assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize("prefix", ["xx", "de", "zh-tw", "fr-xx"])
def test_unconfigured_language_prefix_is_a_friendly_404(client, relic, prefix):
    response = client.get(f"/{prefix}{relic.url}")
    assert response.status_code == 404
    assert 'role="search"' in response.content.decode()


def test_untranslated_page_falls_back_to_vietnamese_with_a_notice_in_french(client, relic):
    response = client.get(f"/fr{relic.url}")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "<h1>Đình Đông Khê</h1>" in html
    assert "pas encore traduite" in html
    # The interface is French even though the content is Vietnamese.
    assert "Rechercher" in html


@pytest.mark.parametrize(
    ("code", "words"),
    [("en", "not been translated"), ("zh-hans", "尚未"), ("ko", "아직"), ("ja", "まだ")],
)
def test_fallback_notice_is_in_each_visitor_language(client, relic, code, words):
    response = client.get(f"/{code}{relic.url}")
    assert response.status_code == 200
    assert words in response.content.decode()


def test_fallback_also_works_when_the_home_page_is_translated(client, district, relic):
    other = make_relic(district["wards"][0], "Chùa Phúc Lâm")
    translate(relic, "en", title="Dong Khe Communal House")
    response = client.get(f"/en{other.url}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Chùa Phúc Lâm</h1>" in html and "not been translated" in html
    # Links on a fallback page keep the visitor's language.
    assert 'href="/en/' in html


def test_translated_page_has_no_notice_and_hreflang_links(client, relic):
    en = translate(relic, "en", title="Dong Khe Communal House", summary="A national relic.")
    vi_url, en_url = relic.url, en.url
    html = client.get(en_url).content.decode()
    assert en_url.startswith("/en/")
    assert "<h1>Dong Khe Communal House</h1>" in html
    assert "not been translated" not in html
    assert f'hreflang="vi" href="http://testserver{vi_url}"' in html
    assert f'hreflang="en" href="http://testserver{en_url}"' in html
    assert f'hreflang="x-default" href="http://testserver{vi_url}"' in html
    # Only real translations get hreflang; the switcher still offers every language.
    assert 'rel="alternate" hreflang="fr"' not in html
    for name in ("Tiếng Việt", "English", "简体中文", "한국어", "日本語", "Français"):
        assert name in html
    assert f'href="/fr{vi_url}" hreflang="fr"' in html


def test_open_graph_card_for_zalo_and_facebook(client, relic):
    html = client.get(relic.url).content.decode()
    assert '<meta property="og:title" content="Đình Đông Khê">' in html
    assert '<meta property="og:description" content="Tóm tắt về Đình Đông Khê.">' in html
    assert f'<meta property="og:url" content="http://testserver{relic.url}">' in html
    assert '<meta property="og:locale" content="vi_VN">' in html
    assert 'property="og:image" content="http://testserver/media/images/' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_path_in_language():
    assert path_in_language("/fr/di-tich/", "vi") == "/di-tich/"
    assert path_in_language("/di-tich/", "ko") == "/ko/di-tich/"
    assert path_in_language("/zh-hans/", "ja") == "/ja/"
    assert path_in_language("/xx/a/", "en") == "/en/xx/a/"


def visitor_msgids() -> set[str]:
    """Every {% translate %} string of the visitor templates, and the choice labels they show."""
    import re

    from django.conf import settings

    from content import choices
    from feedback.models import ReportKind

    base = settings.BASE_DIR
    dirs = [base / "content" / "templates", base / "heritage_site", base / "maps" / "templates"]
    dirs += [base / "media_pipeline" / "templates", base / "feedback" / "templates"]
    found = set()
    for folder in dirs:
        for path in folder.rglob("*.html"):
            if "admin" in path.parts:
                continue  # staff pages: Vietnamese and English only
            found |= set(re.findall(r"""\{% translate (?:"([^"]+)"|'([^']+)')""", path.read_text()))
    msgids = {a or b for a, b in found}
    with translation.override(None):  # no catalogue: labels come out as their msgids
        for name in ("RelicType", "Ranking", "PlaceKind", "InscriptionKind", "ArtifactCondition"):
            msgids |= {str(label) for label in getattr(choices, name).labels}
        msgids |= {str(label) for label in ReportKind.labels}
        msgids |= {str(label) for _stars, label in choices.OCOP_STARS}
    return msgids


@pytest.mark.parametrize("code", ["en", "zh-hans", "ko", "ja", "fr"])
def test_visitor_interface_is_translated_into_every_language(code):
    def escape(msgid: str) -> str:
        return msgid.replace("%", "%%")

    msgids = visitor_msgids()
    assert len(msgids) > 80
    with translation.override(code):
        # As the {% translate %} tag does, a literal % is looked up as %%.
        untranslated = sorted(m for m in msgids if translation.gettext(escape(m)) == escape(m))
    assert untranslated == []
