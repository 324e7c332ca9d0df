"""Visitor languages: which are configured, what the browser asks for, and URL prefixes."""

import re
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings

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
_LANGUAGE_TAG = re.compile(r"^(?:[a-z]{1,8}(?:-[a-z0-9]{1,8})*|\*)$")
_MAX_ACCEPT_LANGUAGE = 1024
_MAX_LANGUAGE_ITEMS = 32


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


def default_language() -> str:
    return settings.LANGUAGE_CODE


def negotiate_language(
    accept_language: str | None,
    available: Sequence[str] | None = None,
    default: str | None = None,
) -> str:
    """The best of `available` (the site's languages) for an Accept-Language header.

    A full tag matches first (`zh-hans`), then the primary subtag, so zh-CN, zh-TW and zh-HK all
    get the configured Chinese. Empty, malformed, oversized, `*` or unknown-only headers get
    `default` (Vietnamese). No database and no session: the QR resolver calls it on every scan.
    """
    if available is None:
        available = language_codes()
    if default is None:
        default = default_language()
    if not accept_language or not isinstance(accept_language, str):
        return default
    return _negotiate(accept_language[:_MAX_ACCEPT_LANGUAGE], tuple(available), default)


@lru_cache(maxsize=256)
def _negotiate(accept_language: str, available: tuple[str, ...], default: str) -> str:
    # Remembered per process: browsers send a handful of distinct headers, and every scan asks.
    lowered = [(code, code.lower(), code.lower().split("-", 1)[0]) for code in available]
    for tag in _accept_language_tags(accept_language):
        if tag == "*":
            return default
        primary = tag.split("-", 1)[0]
        for code, low, _ in lowered:
            if low == tag:
                return code
        for code, _, code_primary in lowered:
            if code_primary == primary:
                return code
    return default


def _accept_language_tags(header: str) -> list[str]:
    """Language tags from an Accept-Language header, best first; malformed items are skipped."""
    weighted: list[tuple[float, int, str]] = []
    items = header[:_MAX_ACCEPT_LANGUAGE].split(",")[:_MAX_LANGUAGE_ITEMS]
    for position, item in enumerate(items):
        tag, _, params = item.strip().partition(";")
        tag = tag.strip().lower().replace("_", "-")
        if not _LANGUAGE_TAG.match(tag):
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = -1.0
        if 0.0 < quality <= 1.0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


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
