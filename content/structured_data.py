"""schema.org JSON-LD for relic and tourism place pages, so search engines and maps read them.

The page is a ``WebPage`` (it has the language); its ``mainEntity`` is the place itself:
``LandmarksOrHistoricalBuildings`` + ``TouristAttraction`` for a relic, ``Restaurant``,
``LodgingBusiness``, ``TouristAttraction`` or ``LocalBusiness`` for a tourism place, and a
``Product`` offered at its ``LocalBusiness`` for a local speciality.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from content.choices import PlaceKind
from content.languages import bcp47_tag as bcp47

CONTEXT = "https://schema.org"
SHARE_IMAGE = "fill-1200x630|format-jpeg"  # the Open Graph image: already rendered for the page
PLACE_TYPES = {
    PlaceKind.RESTAURANT: "Restaurant",
    PlaceKind.HOTEL: "LodgingBusiness",
    PlaceKind.ENTERTAINMENT: "TouristAttraction",
    PlaceKind.SERVICE: "LocalBusiness",
    PlaceKind.OTHER: "LocalBusiness",
}
ALL_WEEK = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_HOURS = re.compile(r"^\s*(\d{1,2})\s*[:hg]\s*(\d{2})?\s*[-–—]\s*(\d{1,2})\s*[:hg]\s*(\d{2})?(.*)$")
_EVERY_DAY = re.compile(r"^\W*(hằng ngày|hàng ngày|cả tuần|các ngày trong tuần)?\W*$", re.I)
# Escaped as Django's json_script does, so "</script>" in a title cannot end the element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def opening_hours(text: str) -> dict[str, Any] | None:
    """``6:00 – 18:00 hằng ngày`` → an OpeningHoursSpecification; None for anything less plain
    (day ranges, lunch breaks, festival days), which stays in the page's text only."""
    match = _HOURS.match(text or "")
    if not match or not _EVERY_DAY.match(match[5]):
        return None
    opens_h, opens_m, closes_h, closes_m = match[1], match[2] or "00", match[3], match[4] or "00"
    if int(opens_h) > 23 or int(closes_h) > 24 or int(opens_m) > 59 or int(closes_m) > 59:
        return None
    return {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": ALL_WEEK,
        "opens": f"{int(opens_h):02d}:{opens_m}",
        "closes": f"{int(closes_h):02d}:{closes_m}",
    }


def _place(
    page, types: list[str] | str, absolute: Callable[[str], str], image, district=None
) -> dict:
    """What every place shares: name, description, URL, coordinates, address and image."""
    from content.models import DistrictSettings

    node: dict[str, Any] = {"@type": types, "name": page.title, "url": absolute(page.url)}
    if page.summary:
        node["description"] = page.summary
    if page.has_coordinates:
        node["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(page.latitude),
            "longitude": float(page.longitude),
        }
    if district is None:
        site = page.get_site()
        district = DistrictSettings.for_site(site) if site else None
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "VN"}
    if page.address:
        address["streetAddress"] = page.address
    ward = page.get_parent()
    if ward is not None and ward.depth > 3:
        address["addressLocality"] = ward.title
    if district is not None:
        region = ", ".join(p for p in (district.district_name, district.province_name) if p)
        address["addressRegion"] = region
    node["address"] = address
    if image is not None:
        node["image"] = absolute(image.get_rendition(SHARE_IMAGE).url)
    if hours := opening_hours(page.opening_hours):
        node["openingHoursSpecification"] = hours
    return node


def relic_data(page, absolute: Callable[[str], str], district=None) -> dict[str, Any]:
    """``district``: the district's settings when the caller has them (one query less)."""
    types = ["LandmarksOrHistoricalBuildings", "TouristAttraction"]
    place = _place(page, types, absolute, page.hero_image, district)
    if page.other_names:
        place["alternateName"] = [n.strip() for n in page.other_names.split(",") if n.strip()]
    place["isAccessibleForFree"] = settings.RELIC_FREE_ENTRY
    place["publicAccess"] = True
    return _web_page(page, absolute, place)


def tourism_place_data(page, absolute: Callable[[str], str], district=None) -> dict[str, Any]:
    kind = PLACE_TYPES.get(page.kind, "LocalBusiness")
    place = _place(page, kind, absolute, page.image, district)
    if page.phone:
        place["telephone"] = page.phone
    if page.website:
        place["sameAs"] = page.website
    if page.kind == PlaceKind.PRODUCT:
        return _web_page(page, absolute, _product(page, place))
    return _web_page(page, absolute, place)


def _product(page, seller: dict[str, Any]) -> dict[str, Any]:
    """A local speciality (đặc sản, OCOP): the product, offered at the place that sells it."""
    product: dict[str, Any] = {"@type": "Product", "name": page.title, "url": seller["url"]}
    for key in ("description", "image"):
        if key in seller:
            product[key] = seller[key]
    if page.ocop_stars:
        product["award"] = str(page.get_ocop_stars_display())
    product["offers"] = {"@type": "Offer", "availableAtOrFrom": seller}
    return product


def _web_page(page, absolute: Callable[[str], str], place: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "WebPage",
        "url": absolute(page.url),
        "name": page.seo_title or page.title,
        "inLanguage": bcp47(page.locale.language_code),
        "mainEntity": place,
    }


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` with the data; never executed, so the CSP's
    ``script-src 'self'`` does not apply to it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
