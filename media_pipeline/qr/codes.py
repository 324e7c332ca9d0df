"""Permanent short codes for QR plaques, their URLs, and the request facts a scan is counted by.

Pure functions only: the ShortCode model, the `/Q/<code>` resolver and the scan counter call
these. Nothing here stores or returns a user-agent string, an IP address or a cookie.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Literal, Protocol
from urllib.parse import urlsplit

# Digits and upper-case letters minus the look-alike pairs 0/O and 1/I: 32 symbols, so a
# five-symbol code has 32**5 ≈ 33.5 million values. U/V, 5/S, 8/B and 2/Z stay in: the code is
# read by a camera first, and the printed fallback uses DejaVu Sans, which keeps those distinct;
# dropping them would cost a quarter of the space for little gain.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
DEFAULT_CODE_LENGTH = 5
MIN_CODE_LENGTH = 4
# Longer than any code we hand out (allocate_code grows by one symbol when a length fills up),
# short enough that the resolver rejects junk without a database query.
MAX_CODE_LENGTH = 10

# A random code on a pagoda's plaque must not spell an insult. Codes cannot contain O or I, which
# already rules out most words; these are the ones still possible (English, and Vietnamese
# written without diacritics).
BLOCKED_WORDS = (
    "FUCK",
    "CUNT",
    "FAG",
    "NAZ",
    "CAC",
    "DCM",
    "DMM",
    "VCL",
    "VKL",
    "CLM",
    "DKM",
)

# The character set of QR alphanumeric mode (ISO/IEC 18004, table 5).
QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

_ALPHABET_SET = frozenset(ALPHABET)

DeviceClass = Literal["phone", "tablet", "desktop", "bot"]


class _Chooser(Protocol):
    def choice(self, seq: Sequence[str], /) -> str: ...


def new_code(length: int = DEFAULT_CODE_LENGTH, rng: _Chooser = secrets) -> str:
    """Return a random code of `length` symbols from ALPHABET that spells no blocked word."""
    if not MIN_CODE_LENGTH <= length <= MAX_CODE_LENGTH:
        raise ValueError(f"code length must be {MIN_CODE_LENGTH}..{MAX_CODE_LENGTH}")
    while True:
        code = "".join(rng.choice(ALPHABET) for _ in range(length))
        if not any(word in code for word in BLOCKED_WORDS):
            return code


def allocate_code(
    is_taken: Callable[[str], bool],
    length: int = DEFAULT_CODE_LENGTH,
    attempts_per_length: int = 20,
    rng: _Chooser = secrets,
) -> str:
    """Return a new code for which `is_taken` is false, growing one symbol if a length is full.

    The caller still needs a unique constraint: two processes may draw the same free code.
    """
    while length <= MAX_CODE_LENGTH:
        for _ in range(attempts_per_length):
            code = new_code(length, rng)
            if not is_taken(code):
                return code
        length += 1
    raise RuntimeError("no free short code found")


def normalize_code(raw: object) -> str | None:
    """Return the canonical (upper-case) code for what followed `/Q/`, or None if it can't be one.

    Accepts any letter case, surrounding spaces and a trailing slash; rejects anything else —
    over-long input, characters outside ALPHABET, percent-encoded or decoded junk — without
    raising, so the resolver can answer with a friendly 404.
    """
    if not isinstance(raw, str) or len(raw) > 4 * MAX_CODE_LENGTH:
        return None
    text = raw.strip().rstrip("/").strip()
    # isascii() first: str.upper() maps some non-ASCII letters (ı, ſ) onto ASCII ones.
    if not text.isascii():
        return None
    code = text.upper()
    if not MIN_CODE_LENGTH <= len(code) <= MAX_CODE_LENGTH:
        return None
    if not _ALPHABET_SET.issuperset(code):
        return None
    return code


def is_qr_alphanumeric(text: str) -> bool:
    """True if `text` can be encoded entirely in QR alphanumeric mode."""
    return QR_ALPHANUMERIC.issuperset(text)


def plaque_url(base_url: str, code: str) -> str:
    """Return the upper-case plaque URL, e.g. `HTTPS://DISAN.EXAMPLE.GOV.VN/Q/7F3K2`.

    `base_url` must be scheme and host (and port) only: the resolver lives at the site root, and
    upper-casing a path prefix would change it.
    """
    canonical = normalize_code(code)
    if canonical is None:
        raise ValueError(f"not a short code: {code!r}")
    parts = urlsplit(base_url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"base URL needs http(s) and a host: {base_url!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise ValueError(f"base URL must be scheme and host only: {base_url!r}")
    url = f"{parts.scheme}://{parts.netloc}/Q/{canonical}".upper()
    if not is_qr_alphanumeric(url):
        raise ValueError(f"URL does not fit QR alphanumeric mode: {url!r}")
    return url


# Host names that only resolve inside a building or on one machine.
_LOCAL_SUFFIXES = (".localhost", ".local", ".lan", ".internal", ".intranet", ".home.arpa")


def plaque_host_problem(base_url: str | None) -> str | None:
    """Why `base_url` must not be printed on a plaque that hangs for years, in Vietnamese (a
    phrase to follow "Địa chỉ …"), or None for a public HTTPS host name."""
    if not base_url or not base_url.strip():
        return "chưa được đặt"
    parts = urlsplit(base_url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return "không phải địa chỉ web (cần dạng https://tên-miền)"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        return "là tên của chính máy này (localhost), điện thoại của khách không mở được"
    if ip is not None and (ip.is_loopback or ip.is_unspecified):
        return "là địa chỉ loopback của chính máy chủ, điện thoại của khách không mở được"
    if ip is not None and (ip.is_private or ip.is_link_local or ip.is_reserved):
        return "là địa chỉ mạng nội bộ, điện thoại của khách ở ngoài mạng không mở được"
    if ip is None and "." not in host:
        return "là tên máy trong mạng nội bộ, không phải tên miền công khai"
    if parts.scheme.lower() != "https":
        return "dùng http:// không mã hoá: trình duyệt cảnh báo và nhà mạng có thể chèn nội dung"
    return None


# Tokens of crawlers, link-preview fetchers, monitors and HTTP libraries. In-app browsers of
# Zalo, Facebook (FBAN/FBAV) and the like are people and are deliberately absent.
# The patterns are matched against the lower-cased user agent: the same answers as
# re.IGNORECASE, three times faster (every scan is classified).
_BOT_RE = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiver|facebookexternalhit|facebookcatalog|"
    r"meta-externalagent|embedly|preview|validator|monitor|pingdom|uptime|lighthouse|"
    r"headlesschrome|phantomjs|selenium|puppeteer|playwright|"
    r"curl/|wget/|httpie|python-requests|python-urllib|aiohttp|httpx|go-http-client|"
    r"okhttp|java/|libwww|apache-httpclient|node-fetch|axios/|guzzle|postman|"
    r"^mozilla/5\.0$|^mozilla/4\.0$"
)
_TABLET_RE = re.compile(r"ipad|tablet|playbook|silk/|kindle|sm-t\d|tab\b")
_PHONE_RE = re.compile(
    r"mobile|iphone|ipod|android|windows phone|kaios|blackberry|opera mini|iemobile"
)
_MAX_UA = 1024


def is_bot(user_agent: str | None) -> bool:
    """True for crawlers, preview fetchers, scripts and requests without a user agent."""
    return _classify((user_agent or "")[:_MAX_UA]) == "bot"


def classify_device(user_agent: str | None) -> DeviceClass:
    """Return 'phone', 'tablet', 'desktop' or 'bot' for counting; the string itself is not kept.

    iPadOS 13+ sends a desktop Safari user agent, so those iPads count as desktop.
    """
    return _classify((user_agent or "")[:_MAX_UA])


@lru_cache(maxsize=512)
def _classify(ua: str) -> DeviceClass:
    # Remembered per process: phones of one model and version send the same string, so most
    # scans skip the patterns. The cache lives in memory only and is never written anywhere.
    low = ua.lower()
    stripped = low.strip()
    if not stripped or _BOT_RE.search(stripped):
        return "bot"
    if _TABLET_RE.search(low):
        return "tablet"
    if "android" in low and "mobile" not in low:
        return "tablet"  # Android tablets omit "Mobile"; phones include it.
    if _PHONE_RE.search(low):
        return "phone"
    return "desktop"
