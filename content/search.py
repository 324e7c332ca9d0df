"""Site search: one result per page, with the inscriptions and artifacts that matched grouped
under their relic.

Latin words go through Wagtail's full-text index (built from folded text, so `dinh` finds
`Đình`); Hán Nôm words are looked for as substrings of the folded titles and record keys,
because full-text tokenizers keep a run of CJK characters as one token (`重修亭碑記`), so
`重修` would never match it. Only word characters reach the index: no query syntax from users.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.text import slugify
from wagtail.models import Locale, Page

from content.models import Artifact, Inscription, RelicPage, TourismPlacePage, WardPage
from content.public import public_ids
from content.text import fold

MAX_QUERY_LENGTH = 200
MAX_PAGES = 200  # per page type; a visitor never reads further
MAX_RECORDS = 1000
MATCHES_SHOWN = 3
_WORD = re.compile(r"\w+")


def query_words(raw: str) -> list[str]:
    """The folded words of a query: `Đình  "Đông-Khê"` → ['dinh', 'dong', 'khe']."""
    return _WORD.findall(fold(raw[:MAX_QUERY_LENGTH]))


def is_cjk(word: str) -> bool:
    """Han characters, Nôm (CJK extensions) and the like, which tokenizers do not split."""
    return any(ord(ch) >= 0x2E80 for ch in word)


@dataclass
class Match:
    """An inscription or artifact that holds the query, shown under its relic."""

    label: str
    anchor: str
    kind: str  # "inscription" | "artifact"


@dataclass
class Hit:
    model: type[Page]
    pk: int
    matches: list[Match] = field(default_factory=list)
    page: Page | None = None
    ward: str | None = None
    thumb: object | None = None

    @property
    def more_matches(self) -> int:
        return max(0, len(self.matches) - MATCHES_SHOWN)

    @property
    def shown_matches(self) -> list[Match]:
        return self.matches[:MATCHES_SHOWN]


def live_in(model: type[Page], locale: Locale):
    """Public pages (content.public) in the visitor's language, and the Vietnamese ones not
    translated into it; filtered by id, which the search backend can filter on."""
    own = model.objects.live().filter(locale=locale)
    default = Locale.get_default()
    if locale.pk == default.pk:
        return model.objects.filter(id__in=public_ids(own))
    untranslated = Q(locale=default) & ~Q(translation_key__in=own.values("translation_key"))
    shown = model.objects.filter(Q(locale=locale) | untranslated)
    return model.objects.filter(id__in=public_ids(shown))


def _pages(model: type[Page], locale: Locale, words: list[str]) -> list[int]:
    """Ids of live pages of ``model`` holding every word, titles holding the whole query first."""
    qs = live_in(model, locale)
    latin = [w for w in words if not is_cjk(w)]
    cjk = [w for w in words if is_cjk(w)]
    for word in cjk:
        qs = qs.filter(title__contains=word)
    if not latin:
        return list(qs.order_by("title").values_list("pk", flat=True)[:MAX_PAGES])
    found = list(qs.search(" ".join(latin), operator="and")[:MAX_PAGES])
    phrase = " ".join(words)
    found.sort(key=lambda p: phrase not in fold(p.title))
    return [p.pk for p in found]


def _records(locale: Locale, words: list[str]) -> dict[int, list[Match]]:
    """Matching inscriptions and artifacts of live relics, grouped by relic id."""
    live = live_in(RelicPage, locale).values("pk")
    grouped: dict[int, list[Match]] = {}
    for model, kind in ((Inscription, "inscription"), (Artifact, "artifact")):
        rows = model.objects.filter(relic__in=live)
        for word in words:
            rows = rows.filter(search_key__contains=word)
        columns = (
            "pk",
            "relic_id",
            "inventory_number",
            "title" if kind == "inscription" else "name",
        )
        for pk, relic_id, number, name in rows.order_by("relic_id", "sort_order").values_list(
            *columns
        )[:MAX_RECORDS]:
            if kind == "inscription":
                match = Match(label=name, anchor=f"di-van-{pk}", kind=kind)
            else:
                match = Match(
                    label=f"{name} ({number})", anchor=f"hien-vat-{slugify(number)}", kind=kind
                )
            grouped.setdefault(relic_id, []).append(match)
    return grouped


def search_site(raw: str, locale: Locale) -> list[Hit]:
    """Every page the query finds, once: relics and places by their own text first, then
    relics found only through their inscriptions or artifacts."""
    words = query_words(raw)
    if not words:
        return []
    records = _records(locale, words)
    hits: dict[tuple[str, int], Hit] = {}
    for model in (RelicPage, TourismPlacePage):
        for pk in _pages(model, locale, words):
            hits.setdefault((model.__name__, pk), Hit(model, pk))
    for relic_id in records:
        hits.setdefault(("RelicPage", relic_id), Hit(RelicPage, relic_id))
    for (name, pk), hit in hits.items():
        if name == "RelicPage":
            hit.matches = records.get(pk, [])
    return list(hits.values())


def load_hits(hits: list[Hit]) -> None:
    """Fill one results page's hits with their pages, wards and thumbnails, in a few queries
    whatever their number."""
    from content.models.page_context import images_by_id

    pages: dict[tuple[str, int], Page] = {}
    for model in (RelicPage, TourismPlacePage):
        ids = [h.pk for h in hits if h.model is model]
        if ids:
            for page in model.objects.filter(pk__in=ids):
                pages[(model.__name__, page.pk)] = page
    for hit in hits:
        hit.page = pages.get((hit.model.__name__, hit.pk))
    loaded = [h for h in hits if h.page is not None]
    parent_paths = {h.page.path[: -Page.steplen] for h in loaded if h.model is RelicPage}
    ward_ids = {h.page.ward_id for h in loaded if h.model is TourismPlacePage and h.page.ward_id}
    wards = list(
        WardPage.objects.filter(Q(path__in=parent_paths) | Q(pk__in=ward_ids)).values_list(
            "pk", "path", "title"
        )
    )
    by_path = {path: title for _pk, path, title in wards}
    by_id = {pk: title for pk, _path, title in wards}
    images = images_by_id(
        getattr(h.page, "hero_image_id", None) or getattr(h.page, "image_id", None) for h in loaded
    )
    for hit in loaded:
        if hit.model is RelicPage:
            hit.ward = by_path.get(hit.page.path[: -Page.steplen])
            hit.thumb = images.get(hit.page.hero_image_id)
        else:
            hit.ward = by_id.get(hit.page.ward_id)
            hit.thumb = images.get(hit.page.image_id)
