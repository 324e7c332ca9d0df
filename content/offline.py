"""What "save the district for offline" downloads: every live relic page at phone size.

The same list carries coordinates for the "near me" view and the offline map, which draw on the
phone, each relic's URL in every site language, and the pages kept besides the relics (the relic
index, near me, the offline map). Other rooms add their part through the
`construct_offline_manifest` hook: the QR room adds each relic's plaque codes, so that a plaque
scanned without signal opens the kept page.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.urls import reverse
from django.utils import translation
from wagtail import hooks
from wagtail.models import Locale, Page, PageViewRestriction

from content.models import Artifact, Inscription, Narration, RelicPage, TourismPlacePage
from content.models.page_context import ARTIFACTS_PER_PAGE, INSCRIPTIONS_PER_PAGE
from content.public import in_language, locale_for_language, public_pages

# The smallest size of each image on the relic page (see relic_page.html); offline, the
# service worker serves one of these when the browser asks for a larger one.
PHONE_SPECS = {
    "hero": "format-webp|fill-480x320",
    "inscription": "width-320|format-webp",
    "artifact": "fill-160x160|format-webp",
    "thumb": "fill-96x96|format-webp",
}
# A relic page's HTML is 6–12 KB compressed; the estimate keeps the manifest cheap to build.
ESTIMATED_PAGE_BYTES = 12_000
CACHE_SECONDS = 600
# Called as hook(request, manifest, relics): `relics` are the Vietnamese pages, in the order of
# manifest["relics"]; a hook may add keys to the entries.
OFFLINE_MANIFEST_HOOK = "construct_offline_manifest"


def _image_ids(relic: RelicPage) -> list[tuple[int, str]]:
    """The images of the relic page as first served: its hero and the first page of
    inscriptions and artifacts (the later pages are fetched online)."""
    wanted = [(relic.hero_image_id, "hero")]
    for ins in relic.inscriptions.all()[:INSCRIPTIONS_PER_PAGE]:
        wanted += [(ins.rubbing_image_id, "inscription"), (ins.photo_id, "inscription")]
    for art in relic.artifacts.all()[:ARTIFACTS_PER_PAGE]:
        wanted.append((art.image_id, "artifact"))
        wanted += [(i, "thumb") for i in art.extra_image_ids()]
    return [(i, kind) for i, kind in wanted if i]


def _rendition(image, spec: str) -> tuple[str, int] | None:
    try:
        rendition = image.get_rendition(spec)
        return rendition.url, rendition.file.size
    except (OSError, ValueError):
        # A missing or unreadable original must not break the whole manifest.
        return None


def build_manifest(request, language: str) -> dict:
    """Relic pages in the visitor's language (Vietnamese where untranslated), their phone-size
    images and narrations, places with coordinates, and the bytes it all takes."""
    from content.models.page_context import images_by_id

    default = Locale.get_default()
    relics = list(
        public_pages(RelicPage.objects.filter(locale=default))
        .prefetch_related(
            Prefetch("inscriptions", Inscription.objects.order_by("sort_order", "pk")),
            Prefetch("artifacts", Artifact.objects.order_by("sort_order", "pk")),
        )
        .order_by("title")
    )
    # Every live translation, by language: the plaque codes open the one in the phone's language.
    translations: dict[str, dict] = {}
    for p in (
        public_pages(RelicPage.objects.exclude(locale=default))
        .filter(translation_key__in=[r.translation_key for r in relics])
        .select_related("locale")
    ):
        translations.setdefault(p.locale.language_code, {})[p.translation_key] = p
    translated = translations.get(language, {})
    audio = {}
    for n in Narration.objects.filter(
        language=language, relic__translation_key__in=[r.translation_key for r in relics]
    ).select_related("relic"):
        audio[n.relic.translation_key] = n
    wanted = {r.pk: _image_ids(r) for r in relics}
    images = images_by_id(i for ids in wanted.values() for i, _kind in ids)

    totals = {"pages": 0, "images": 0, "audio": 0}
    entries, kept = [], []
    for relic in relics:
        page = translated.get(relic.translation_key, relic)
        url = page.get_url(request)
        if url is None:
            continue
        files, seen = [], set()
        for image_id, kind in wanted[relic.pk]:
            image = images.get(image_id)
            found = image and _rendition(image, PHONE_SPECS[kind])
            if found and found[0] not in seen:
                seen.add(found[0])
                files.append(found)
        narration = audio.get(relic.translation_key)
        entry = {
            "title": page.title,
            "url": url,
            # False: listed in Vietnamese for a visitor in another language ("near me" says so).
            "translated": language == default.language_code or page.pk != relic.pk,
            "lat": float(relic.latitude) if relic.has_coordinates else None,
            "lon": float(relic.longitude) if relic.has_coordinates else None,
            "images": [u for u, _size in files],
            "audio": [narration.file.url] if narration else [],
            "urls": _urls_by_language(request, relic, translations),
        }
        image_bytes = sum(size for _url, size in files)
        audio_bytes = narration.file_size if narration else 0
        entry["bytes"] = ESTIMATED_PAGE_BYTES + image_bytes + audio_bytes
        totals["pages"] += ESTIMATED_PAGE_BYTES
        totals["images"] += image_bytes
        totals["audio"] += audio_bytes
        entries.append(entry)
        kept.append(relic)

    locale = locale_for_language(language)
    places = [
        {
            "title": place.title,
            "url": place.get_url(request),
            "lat": float(place.latitude),
            "lon": float(place.longitude),
            "kind": place.get_kind_display(),
            "translated": language == default.language_code or place.locale_id != default.pk,
        }
        for place in in_language(TourismPlacePage.objects.all(), locale)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("title")
    ]
    manifest = {
        "language": language,
        "relics": entries,
        "places": places,
        "pages": _other_pages(request),
        "bytes": {**totals, "total": sum(totals.values())},
    }
    for add_to_manifest in hooks.get_hooks(OFFLINE_MANIFEST_HOOK):
        add_to_manifest(request, manifest, kept)
    return manifest


def _urls_by_language(request, relic: RelicPage, translations: dict) -> dict[str, str]:
    """The relic's page in each site language: its translation, else the Vietnamese page under
    that language's prefix (served with a notice, the interface in the visitor's language)."""
    urls = {}
    for code, _name in settings.LANGUAGES:
        page = translations.get(code, {}).get(relic.translation_key, relic)
        with translation.override(code):
            url = page.get_url(request)
        if url:
            urls[code] = url
    return urls


def _other_pages(request) -> list[str]:
    """Kept with the relics, in the visitor's language: the relic index, near me, the offline
    map, and this list itself (near me and the map read it without network)."""
    from content.models import RelicIndexPage

    pages = []
    index = (
        RelicIndexPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
        .first()
    )
    if index is not None and (url := index.get_url(request)):
        pages.append(url)
    return [*pages, reverse("nearby"), reverse("offline_map"), reverse("offline_manifest")]


def cached_manifest(request, language: str) -> dict:
    """The manifest, rebuilt when a page is published or unpublished, or a narration changes."""
    # Every page counts: unpublishing a ward hides the relics under it without touching them.
    live_pages = Page.objects.live().aggregate(m=Max("last_published_at"), n=Count("pk"))
    stamp = [*live_pages.values(), PageViewRestriction.objects.count()]
    stamp.append(Narration.objects.aggregate(m=Max("updated_at"))["m"])
    digest = hashlib.sha256("|".join(map(str, stamp)).encode()).hexdigest()[:16]
    key = f"offline-manifest:{request.get_host()}:{language}:{digest}"
    manifest = cache.get(key)
    if manifest is None:
        manifest = build_manifest(request, language)
        cache.set(key, manifest, CACHE_SECONDS)
    return manifest


# The offline map: the saved relics and places over no base map (tiles need the network).
MAP_WIDTH = 360
MAP_MARGIN = 16


def offline_map_points(manifest: dict) -> dict:
    """Relics and places with coordinates, numbered, at x/y in an SVG of MAP_WIDTH across.

    An equirectangular projection around the district's middle latitude: over a district's few
    kilometres it keeps distances and directions true enough to find one's way.
    """
    import math

    rows = [(r, "relic") for r in manifest["relics"]] + [(p, "place") for p in manifest["places"]]
    rows = [
        (item, kind)
        for item, kind in rows
        if item.get("lat") is not None and item.get("lon") is not None
    ]
    if not rows:
        return {"points": [], "width": MAP_WIDTH, "height": MAP_WIDTH}
    lats = [item["lat"] for item, _kind in rows]
    lons = [item["lon"] for item, _kind in rows]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * squeeze, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    inner = MAP_WIDTH - 2 * MAP_MARGIN
    scale = inner / max(span_x, span_y)
    height = round(span_y * scale) + 2 * MAP_MARGIN
    points = []
    for number, (item, kind) in enumerate(rows, start=1):
        points.append(
            {
                "number": number,
                "kind": kind,
                "title": item["title"],
                "url": item["url"],
                "label": item.get("kind", ""),
                "x": round(MAP_MARGIN + (item["lon"] - min(lons)) * squeeze * scale, 1),
                "y": round(MAP_MARGIN + (max(lats) - item["lat"]) * scale, 1),
            }
        )
    return {"points": points, "width": MAP_WIDTH, "height": height}
