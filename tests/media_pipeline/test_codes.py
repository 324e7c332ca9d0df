"""Short codes, plaque URLs and the facts a scan is counted by."""

import random

import pytest

from media_pipeline.qr.codes import (
    ALPHABET,
    BLOCKED_WORDS,
    MAX_CODE_LENGTH,
    allocate_code,
    classify_device,
    is_bot,
    is_qr_alphanumeric,
    new_code,
    normalize_code,
    plaque_url,
)
from media_pipeline.qr.plaques import make_qr_matrix


def test_alphabet_has_no_look_alikes_and_fits_qr_alphanumeric():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("0O1I") & set(ALPHABET)
    assert ALPHABET == ALPHABET.upper()
    assert is_qr_alphanumeric(ALPHABET)


def test_new_code_is_short_upper_case_and_from_the_alphabet():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200  # 32**5 values: collisions in 200 draws would mean a broken rng
    for code in codes:
        assert len(code) == 5
        assert set(code) <= set(ALPHABET)


def test_new_code_is_reproducible_with_a_seeded_rng():
    assert new_code(rng=random.Random(7)) == new_code(rng=random.Random(7))
    assert len(new_code(8, rng=random.Random(7))) == 8


class _Scripted:
    """An rng that deals the given symbols in order."""

    def __init__(self, symbols: str):
        self._symbols = iter(symbols)

    def choice(self, seq):
        return next(self._symbols)


def test_new_code_never_spells_a_blocked_word():
    assert "CAC" in BLOCKED_WORDS
    assert new_code(rng=_Scripted("CAC22" + "7F3K2")) == "7F3K2"


def test_allocate_code_skips_taken_codes_and_grows_when_a_length_is_full():
    taken = {"7F3K2"}
    assert allocate_code(taken.__contains__, rng=_Scripted("7F3K2" + "9ABCD")) == "9ABCD"
    longer = allocate_code(lambda code: len(code) == 5)
    assert len(longer) == 6


@pytest.mark.parametrize("raw", ["7F3K2", "7f3k2", "7f3K2", " 7F3K2 ", "7F3K2/", "\t7f3k2\n"])
def test_normalize_code_accepts_any_case_and_stray_space(raw):
    assert normalize_code(raw) == "7F3K2"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "%00",
        "7F3K2%00",
        "7F3K2\x00",
        "../",
        "..%2F..%2Fetc%2Fpasswd",
        "../../etc/passwd",
        "A" * 50,
        "2" * (MAX_CODE_LENGTH + 1),
        "7F3",  # too short to be one of ours
        "7F3K0",  # 0 and O, 1 and I are not in the alphabet
        "7F3KO",
        "7F3K1",
        "7F3KI",
        "7F 3K2",
        "7F3K2?x=1",
        "<script>",
        "7F3Kſ",  # long s: upper-cases to an ASCII S
        "ı7F3K",  # dotless i: upper-cases to an ASCII I
        "７Ｆ３Ｋ２",
        None,
        12345,
        b"7F3K2",
    ],
)
def test_normalize_code_rejects_junk(raw):
    assert normalize_code(raw) is None


def test_plaque_url_is_upper_case_and_qr_alphanumeric():
    url = plaque_url("https://disan.example.gov.vn", "7f3k2")
    assert url == "HTTPS://DISAN.EXAMPLE.GOV.VN/Q/7F3K2"
    assert is_qr_alphanumeric(url)
    assert plaque_url("https://disan.example.gov.vn/", "7F3K2") == url
    assert plaque_url("http://localhost:8000", "7F3K2") == "HTTP://LOCALHOST:8000/Q/7F3K2"


@pytest.mark.parametrize(
    ("base", "code"),
    [
        ("https://example.gov.vn/disan", "7F3K2"),  # a path prefix would be upper-cased
        ("https://example.gov.vn/?a=1", "7F3K2"),
        ("ftp://example.gov.vn", "7F3K2"),
        ("example.gov.vn", "7F3K2"),
        ("https://user@example.gov.vn", "7F3K2"),
        ("https://my_host.example", "7F3K2"),  # "_" is outside QR alphanumeric mode
        ("https://example.gov.vn", "7F3K0"),
    ],
)
def test_plaque_url_rejects_what_would_not_resolve_or_not_fit(base, code):
    with pytest.raises(ValueError):
        plaque_url(base, code)


@pytest.mark.parametrize(
    "base",
    [
        "https://disan.example.gov.vn",
        "https://disanso.gialam.hanoi.gov.vn",
        "http://localhost:8000",
    ],
)
def test_upper_case_url_is_at_least_one_qr_version_smaller(base):
    upper = plaque_url(base, "7F3K2")
    lower = upper.lower()
    assert make_qr_matrix(upper).error == make_qr_matrix(lower).error == "H"
    assert make_qr_matrix(upper).version < make_qr_matrix(lower).version


def test_example_url_saves_one_version():
    upper = "HTTPS://DISAN.EXAMPLE.GOV.VN/Q/7F3K2"
    assert make_qr_matrix(upper).version == 4
    assert make_qr_matrix(upper.lower()).version == 5


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
ZALO_IN_APP = ANDROID_PHONE + " Zalo android/12345 ZaloTheme/light ZaloLanguage/vi"
FACEBOOK_IN_APP = IPHONE + " [FBAN/FBIOS;FBAV/470.0.0.0;FBBV/123;FBDV/iPhone15,2]"
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 12_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1"
)
WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@pytest.mark.parametrize(
    ("ua", "device"),
    [
        (IPHONE, "phone"),
        (ANDROID_PHONE, "phone"),
        (ZALO_IN_APP, "phone"),
        (FACEBOOK_IN_APP, "phone"),
        (ANDROID_TABLET, "tablet"),
        (IPAD, "tablet"),
        (WINDOWS, "desktop"),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot"),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bot"),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "bot"),
        (
            "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
            "bot",
        ),
        ("curl/8.5.0", "bot"),
        ("python-requests/2.32.3", "bot"),
        (WINDOWS.replace("Chrome/", "HeadlessChrome/"), "bot"),
        ("", "bot"),
        (None, "bot"),
    ],
)
def test_classify_device(ua, device):
    assert classify_device(ua) == device
    assert is_bot(ua) is (device == "bot")
