"""Visitor languages: which are configured, what the browser asks for, and URL prefixes."""

import re

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

# Open Graph wants a territory; these are where most of each language's visitors come from.
OG_LOCALES = {
    "vi": "vi_VN",
    "en": "en_US",
    "zh-hans": "zh_CN",
    "ko": "ko_KR",
    "ja": "ja_JP",
    "fr": "fr_FR",
}
# The Web Speech API and <audio srclang> use BCP 47 tags with a region.
SPEECH_TAGS = {
    "vi": "vi-VN",
    "en": "en-US",
    "zh-hans": "zh-CN",
    "ko": "ko-KR",
    "ja": "ja-JP",
    "fr": "fr-FR",
}
_PREFIX = re.compile(r"^/([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*)(/.*)$")


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


def default_language() -> str:
    return settings.LANGUAGE_CODE


def preferred_language(accept_language: str | None) -> str:
    """The first configured language an Accept-Language header asks for, else Vietnamese.

    Empty, malformed, oversized or unknown-only headers all give the default language.
    """
    for tag, _quality in parse_accept_lang_header((accept_language or "")[:500]):
        if tag == "*":
            continue
        try:
            return get_supported_language_variant(_django_tag(tag))
        except LookupError:
            continue
    return default_language()


def _django_tag(tag: str) -> str:
    """zh-CN, zh-SG and plain zh mean simplified Chinese here; Taiwan's zh-TW does not."""
    low = tag.lower()
    if low in ("zh", "zh-cn", "zh-sg", "zh-hans-cn"):
        return "zh-hans"
    return low


def bcp47_tag(code: str) -> str:
    """hreflang, IIIF and schema.org want zh-Hans, not Django's zh-hans."""
    head, _sep, tail = code.partition("-")
    return f"{head}-{tail.title()}" if len(tail) == 4 else code


def og_locale(code: str) -> str:
    return OG_LOCALES.get(code, code.replace("-", "_"))


def speech_tag(code: str) -> str:
    return SPEECH_TAGS.get(code, code)


def strip_language_prefix(path: str) -> str:
    """The path without a configured language prefix: /fr/di-tich/ → /di-tich/."""
    match = _PREFIX.match(path)
    if match and match.group(1).lower() in language_codes():
        return match.group(2)
    return path


def path_in_language(path: str, code: str) -> str:
    """The same path in another language: no prefix for Vietnamese, /<code>/… otherwise."""
    bare = strip_language_prefix(path)
    return bare if code == default_language() else f"/{code}{bare}"
