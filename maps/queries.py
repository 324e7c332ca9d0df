"""Published relics, places and ward boundaries as the plain dicts the pure geo core takes.

Each reader makes a fixed number of queries however many rows there are: page columns through
``values()``, wards once, thumbnails with their renditions in two more.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from content.choices import OCOP_STARS, PlaceKind, Ranking, RelicType
from content.models import RelicPage, TourismPlacePage, WardPage
from content.public import default_locale, in_language, locale_for_language, public_pages
from heritage_site.memo import remembered
from maps.features import BBox, FeedFilters, FeedParamError
from maps.iocstats import panorama_counts
from maps.models import WardBoundary
from maps.ogcparams import TimeRange

# 2× the popup's 200×112 picture, WebP: about 10 KB, fetched only when a popup opens.
THUMBNAIL_SPEC = "fill-400x224|format-webp"
# What ``datetime`` (OGC API) compares and the features' ``updated`` shows: the last publication
# of a relic or place page, the last save of a ward boundary.
PAGE_STAMP, BOUNDARY_STAMP = "last_published_at", "updated_at"
# Where the relic page shows its 360° tour (media_pipeline's viewer section).
TOUR_ANCHOR = "#tham-quan-360"
RELIC_COLUMNS = (
    "id",
    "title",
    "path",
    "url_path",
    "latitude",
    "longitude",
    "ranking",
    "relic_type",
    "relic_code",
    "hero_image_id",
    "locale_id",
    PAGE_STAMP,
)
PLACE_COLUMNS = (
    *("id", "title", "path", "url_path", "latitude", "longitude", "kind", "image_id"),
    *("ward_id", "phone", "opening_hours", "price_range", "ocop_stars", "locale_id"),
    PAGE_STAMP,
)


@dataclass(frozen=True)
class Ward:
    id: int
    path: str
    name: str
    slug: str
    code: str
    translation_key: str = ""

    def keys(self) -> set[str]:
        return {k.casefold() for k in (self.name, self.slug, self.code) if k}


@dataclass
class Context:
    """What every reader needs once per request: the locale, its wards and URL prefixes."""

    locale: Locale
    # The wards shown, by tree path: in the locale, or in Vietnamese while not translated.
    wards: dict[str, Ward] = field(default_factory=dict)
    # Any language's ward id → its translation key: a place may name a Vietnamese ward.
    ward_keys: dict[int, str] = field(default_factory=dict)
    # Any language's ward path → its translation key: an untranslated relic stands in the
    # Vietnamese ward, whose English page may exist.
    ward_paths: dict[str, str] = field(default_factory=dict)
    default_locale_id: int | None = None
    # The visitor's language, for links; a site language with no page yet has no locale row,
    # and then reads the default locale's pages, all of them untranslated.
    language: str = ""

    @classmethod
    def for_language(cls, language: str, locale: Locale | None = None) -> Context:
        """The context for a site language, whether or not any page is translated into it
        (``locale``: the one it reads, when the caller has it already)."""
        locale = locale or locale_for_language(language)
        # Kept per process until visitor content changes; each caller gets its own copy.
        ctx = remembered(("maps.Context", locale.pk), lambda: cls.for_locale(locale))
        return dataclasses.replace(ctx, language=language)

    @classmethod
    def for_locale(cls, locale: Locale) -> Context:
        rows = public_pages(WardPage.objects.all()).values(
            "id", "path", "title", "slug", "ward_code", "translation_key", "locale_id"
        )
        default = default_locale()
        shown = set(in_language(WardPage.objects.all(), locale).values_list("id", flat=True))
        wards, keys, paths = {}, {}, {}
        for r in rows:
            keys[r["id"]] = paths[r["path"]] = str(r["translation_key"])
            if r["id"] in shown:
                wards[r["path"]] = Ward(
                    r["id"], r["path"], r["title"], r["slug"], r["ward_code"], keys[r["id"]]
                )
        return cls(locale, wards, keys, paths, default.pk, locale.language_code)

    def is_translated(self, row: Mapping[str, Any]) -> bool:
        """A row in the feed's language; False for a Vietnamese page listed untranslated."""
        if self.language == settings.LANGUAGE_CODE:
            return True
        return row["locale_id"] == self.locale.pk and self.locale.language_code == self.language

    def _by_key(self, key: str | None) -> Ward | None:
        return next((w for w in self.wards.values() if w.translation_key == key), None)

    def ward_of(self, path: str) -> Ward | None:
        """A relic's ward (its parent page), in this context's language where translated."""
        parent = path[: -Page.steplen]
        return self.wards.get(parent) or self._by_key(self.ward_paths.get(parent))

    def ward_by_id(self, ward_id: int | None) -> Ward | None:
        """A place's ward in this context's language, whichever translation it names."""
        return self._by_key(self.ward_keys.get(ward_id))

    def tree_paths(self, ward: Ward) -> list[str]:
        """The tree paths of a ward in every language: relics stand under any of them."""
        return [path for path, key in self.ward_paths.items() if key == ward.translation_key]

    def wards_matching(self, wanted: Iterable[str]) -> list[Ward]:
        """Wards named by slug, code or name (any case); FeedParamError names an unknown one."""
        found = []
        for key in wanted:
            matches = [w for w in self.wards.values() if key in w.keys()]
            if not matches:
                matches = self._translations_of(key)
            found += matches
        return found

    def _translations_of(self, key: str) -> list[Ward]:
        """A ward named in another language: its page in this locale (none if untranslated)."""
        rows = public_pages(WardPage.objects.all()).values(
            "title", "slug", "ward_code", "translation_key"
        )
        named = {str(r["translation_key"]) for r in rows if key in ward_names(r)}
        if not named:
            raise FeedParamError("ward", f"không có phường/xã «{key}».")
        return [w for w in self.wards.values() if w.translation_key in named]


def ward_names(row: Mapping[str, Any]) -> set[str]:
    """The keys a ward filter takes for one ward (name, slug, code), folded."""
    return {str(row[k]).casefold() for k in ("title", "slug", "ward_code") if row.get(k)}


def ward_keys() -> list[str]:
    """Every name, slug and code of every ward, in every language: what ``ward`` accepts."""
    rows = public_pages(WardPage.objects.all()).values_list("title", "slug", "ward_code")
    return sorted({key for row in rows for key in row if key})


def feed_languages() -> list[str]:
    """What ``lang`` takes: the site's languages (translated or not) and any with pages."""
    codes = [code for code, _name in settings.LANGUAGES]
    extra = Locale.objects.exclude(language_code__in=codes).values_list("language_code", flat=True)
    return [*codes, *sorted(extra)]


def language_from(lang: str | None) -> str:
    """The language a feed is asked for (``lang``); the site's default language when not given."""
    if not lang:
        return settings.LANGUAGE_CODE
    if lang in dict(settings.LANGUAGES):  # no query for the site's own languages
        return lang
    known = feed_languages()
    if lang in known:
        return lang
    raise FeedParamError("lang", f"không có ngôn ngữ «{lang[:20]}»; dùng: {', '.join(known)}.")


def locale_from(lang: str | None) -> Locale:
    """The locale a feed reads: ``lang`` when given, else the site's default language."""
    if not lang:
        return default_locale()
    try:
        if "\x00" in lang or len(lang) > 20:  # PostgreSQL refuses NUL in a string literal
            raise Locale.DoesNotExist
        return Locale.objects.get(language_code=lang)
    except Locale.DoesNotExist:
        codes = ", ".join(Locale.objects.values_list("language_code", flat=True))
        raise FeedParamError("lang", f"không có ngôn ngữ «{lang}»; dùng: {codes}.") from None


def check_values(filters: FeedFilters, *, layer: str) -> None:
    """Refuse ranking/type values the layer does not know, so a typo is not an empty map."""
    types = RelicType.values if layer == "relics" else PlaceKind.values
    if layer == "places" and filters.ranking:
        raise FeedParamError("ranking", "điểm du lịch không có xếp hạng; bỏ tham số ranking.")
    for name, known in (("ranking", Ranking.values), ("type", types)):
        unknown = sorted(set(getattr(filters, name)) - {k.casefold() for k in known})
        if unknown:
            raise FeedParamError(
                name, f"{name} «{', '.join(unknown)}» không có; dùng: {', '.join(known)}."
            )


class PageUrls:
    """Page paths as Wagtail's ``page.url`` gives them, without a query or reverse() per page."""

    def __init__(self) -> None:
        self.roots = Site.get_site_root_paths()
        self.prefixes: dict[str | None, str] = {}

    def _prefix(self, language: str | None) -> str:
        if language not in self.prefixes:
            try:
                with translation.override(language):
                    self.prefixes[language] = reverse("wagtail_serve", args=("",))
            except NoReverseMatch:
                self.prefixes[language] = "/"
        return self.prefixes[language]

    def __call__(self, url_path: str, language: str | None = None) -> str | None:
        """With ``language``, a Vietnamese page's path under that language's prefix (where it
        is served with a notice that it is not translated yet)."""
        for root in self.roots:
            if url_path.startswith(root.root_path):
                prefix = root.language_code
                if language and root.language_code == settings.LANGUAGE_CODE:
                    prefix = language
                return self._prefix(prefix) + url_path[len(root.root_path) :]
        return None


def _filtered(qs: QuerySet, ctx: Context, filters: FeedFilters, type_field: str) -> QuerySet:
    if filters.ward and type_field == "kind":  # places name their ward; relics stand in it
        keys = [w.translation_key for w in ctx.wards_matching(filters.ward)]
        qs = qs.filter(ward__translation_key__in=keys)
    elif filters.ward:
        paths = Q(pk__in=[])
        for ward in ctx.wards_matching(filters.ward):
            for path in ctx.tree_paths(ward):
                paths |= Q(path__startswith=path)
        qs = qs.filter(paths)
    if filters.ranking:
        qs = qs.filter(ranking__in=filters.ranking)
    if filters.type:
        qs = qs.filter(**{f"{type_field}__in": filters.type})
    if filters.bbox is not None:
        qs = qs.filter(_in_box(filters.bbox, "longitude", "latitude", "longitude", "latitude"))
    return qs


def _in_box(box: BBox, west: str, south: str, east: str, north: str) -> Q:
    """Rows whose extent (column names) touches the box; a point has west == east."""
    q = Q(**{f"{north}__gte": box.miny, f"{south}__lte": box.maxy})
    if box.crosses_antimeridian:
        return q & (Q(**{f"{east}__gte": box.minx}) | Q(**{f"{west}__lte": box.maxx}))
    return q & Q(**{f"{east}__gte": box.minx, f"{west}__lte": box.maxx})


def relic_queryset(ctx: Context, filters: FeedFilters) -> QuerySet:
    """Public relics in the locale, or in Vietnamese while not translated into it, that have
    coordinates and pass the filters, in id order."""
    qs = in_language(RelicPage.objects.all(), ctx.locale).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    return _filtered(qs, ctx, filters, "relic_type").order_by("id")


def place_queryset(ctx: Context, filters: FeedFilters) -> QuerySet:
    """Public places as relics are chosen (untranslated ones in Vietnamese), in id order."""
    qs = in_language(TourismPlacePage.objects.all(), ctx.locale).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    return _filtered(qs, ctx, filters, "kind").order_by("id")


def visitor_url(ctx: Context, urls: PageUrls, row: Mapping[str, Any]) -> str | None:
    """A row's page in the feed's language: an untranslated one under the language's prefix."""
    if ctx.is_translated(row):
        return urls(row["url_path"])
    return urls(row["url_path"], ctx.language)


def thumbnails(image_ids: Iterable[int | None]) -> dict[int, str]:
    """Image id → a small picture's URL: the rendition when it exists, else a signed URL that
    makes it on first request (so a feed never waits for thousands of renditions)."""
    from wagtail.images.views.serve import generate_image_url

    ids = {i for i in image_ids if i}
    if not ids:
        return {}
    images = get_image_model().objects.filter(pk__in=ids).prefetch_renditions(THUMBNAIL_SPEC)
    urls = {}
    for image in images:
        # prefetch_renditions(spec) fills `prefetched_renditions`, not the related manager.
        ready = list(getattr(image, "prefetched_renditions", None) or [])
        urls[image.pk] = ready[0].url if ready else generate_image_url(image, THUMBNAIL_SPEC)
    return urls


def relic_rows(ctx: Context, qs: QuerySet, *, with_thumbnails: bool = True) -> list[dict[str, Any]]:
    """Plain dicts for maps.features / maps.foliummap from a relic queryset (or a slice)."""
    rows = list(qs.values(*RELIC_COLUMNS))
    urls = PageUrls()
    thumbs = thumbnails(r["hero_image_id"] for r in rows) if with_thumbnails else {}
    # Every public panorama's relic, in one query without thousands of ids in its SQL.
    tours = panorama_counts() if len(rows) > 1 else panorama_counts([r["id"] for r in rows])
    out = []
    for r in rows:
        ward = ctx.ward_of(r["path"])
        url = visitor_url(ctx, urls, r)
        out.append(
            {
                "id": r["id"],
                "code": r["relic_code"],
                "name": r["title"],
                "lon": float(r["longitude"]),
                "lat": float(r["latitude"]),
                "ranking": r["ranking"],
                "type": r["relic_type"],
                "ward": ward.name if ward else None,
                "url": url,
                "tour_url": url + TOUR_ANCHOR if url and tours.get(r["id"]) else None,
                "thumbnail": thumbs.get(r["hero_image_id"]),
                "translated": ctx.is_translated(r),
                "updated": r[PAGE_STAMP],
            }
        )
    return out


def place_rows(ctx: Context, qs: QuerySet, *, with_thumbnails: bool = True) -> list[dict[str, Any]]:
    rows = list(qs.values(*PLACE_COLUMNS))
    urls = PageUrls()
    thumbs = thumbnails(r["image_id"] for r in rows) if with_thumbnails else {}
    labels = dict(PlaceKind.choices)
    out = []
    stars = dict(OCOP_STARS)
    for r in rows:
        ward = ctx.ward_by_id(r["ward_id"])
        out.append(
            {
                "id": r["id"],
                "name": r["title"],
                "lon": float(r["longitude"]),
                "lat": float(r["latitude"]),
                "type": r["kind"],
                "type_label": str(labels.get(r["kind"], "")) or None,
                "ocop": str(stars[r["ocop_stars"]]) if r["ocop_stars"] in stars else None,
                "ward": ward.name if ward else None,
                "phone": r["phone"],
                "opening_hours": r["opening_hours"],
                "price_range": r["price_range"],
                "url": visitor_url(ctx, urls, r),
                "thumbnail": thumbs.get(r["image_id"]),
                "translated": ctx.is_translated(r),
                "updated": r[PAGE_STAMP],
            }
        )
    return out


def boundary_queryset(ctx: Context, filters: FeedFilters) -> QuerySet:
    """Boundaries of the locale's live wards, by ward and bbox (their stored extent)."""
    qs = WardBoundary.objects.filter(ward_id__in=[w.id for w in ctx.wards.values()])
    if filters.ward:
        qs = qs.filter(ward_id__in=[w.id for w in ctx.wards_matching(filters.ward)])
    if filters.bbox is not None:
        qs = qs.filter(_in_box(filters.bbox, "min_lon", "min_lat", "max_lon", "max_lat"))
    return qs.order_by("ward_id")


def ward_rows(ctx: Context, qs: QuerySet) -> list[dict[str, Any]]:
    rows = qs.values("ward_id", "ward__title", "ward__ward_code", "geojson", BOUNDARY_STAMP)
    return [
        {
            "id": r["ward_id"],
            "code": r["ward__ward_code"],
            "name": r["ward__title"],
            "geometry": json.loads(r["geojson"]),
            "updated": r[BOUNDARY_STAMP],
        }
        for r in rows
    ]


@dataclass(frozen=True)
class Extent:
    """(west, south, east, north) and (first, last) update of a collection, or None if empty."""

    bbox: tuple[float, float, float, float] | None
    interval: tuple[datetime | None, datetime | None] | None


def _extent(qs: QuerySet, west: str, south: str, east: str, north: str, stamp: str) -> Extent:
    """Both extents in one aggregate query."""
    agg = qs.aggregate(
        w=Min(west), s=Min(south), e=Max(east), n=Max(north), t0=Min(stamp), t1=Max(stamp)
    )
    if agg["w"] is None:
        return Extent(None, None)
    box = (float(agg["w"]), float(agg["s"]), float(agg["e"]), float(agg["n"]))
    return Extent(box, (agg["t0"], agg["t1"]))


def extent(qs: QuerySet) -> Extent:
    """The extent of a relic/place queryset; its time is the pages' last publication."""
    return _extent(qs, "longitude", "latitude", "longitude", "latitude", PAGE_STAMP)


def boundary_extent(qs: QuerySet) -> Extent:
    return _extent(qs, "min_lon", "min_lat", "max_lon", "max_lat", BOUNDARY_STAMP)


def updated_within(qs: QuerySet, when: TimeRange | None, stamp: str) -> QuerySet:
    """Rows stamped inside ``when``, and rows with no stamp (/req/core/fc-time-response C)."""
    if when is None:
        return qs
    inside = Q()
    if when.start is not None:
        inside &= Q(**{f"{stamp}__gte": when.start})
    if when.end is not None:
        inside &= Q(**{f"{stamp}__lt": when.end})
    return qs.filter(inside | Q(**{f"{stamp}__isnull": True}))


def as_params(mapping: Mapping[str, Any]) -> dict[str, str]:
    """A QueryDict as a plain dict of its last values (what the pure parsers take)."""
    return {key: mapping.get(key) for key in mapping}
