"""What a relic page shows besides its own fields, gathered in a fixed number of queries.

Kept apart from the views so that page models and the offline manifest can use it without
importing a view.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Window
from django.http import Http404
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.images import get_image_model

from content.languages import speech_tag
from content.models.narration import Narration

if TYPE_CHECKING:
    from content.models.pages import RelicPage

PLAYBACK_SPEEDS = [0.75, 1, 1.25, 1.5]
# Wagtail hook name: functions registered under it take (relic page, context dict) and add to it.
RELIC_PAGE_CONTEXT_HOOK = "construct_relic_page_context"
# A relic page shows this many of each at first; the rest a page at a time ("Xem thêm").
INSCRIPTIONS_PER_PAGE = 6
ARTIFACTS_PER_PAGE = 12
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
MAX_ANCHOR_LENGTH = 120


def images_by_id(ids) -> dict:
    """Fetch images and their renditions in two queries, however many there are."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {
        img.pk: img for img in get_image_model().objects.filter(pk__in=ids).prefetch_renditions()
    }


def narration_for(page: RelicPage, language: str) -> Narration | None:
    """The recording in the visitor's language, whichever translation of the relic holds it."""
    return (
        Narration.objects.filter(relic__translation_key=page.translation_key, language=language)
        .order_by("-updated_at")
        .first()
    )


@dataclass
class ListPage:
    """One page of a relic's inscriptions or artifacts, and where the others are."""

    param: str  # the query parameter that names the page: "di-van" or "hien-vat"
    number: int
    per_page: int
    total: int
    items: list = field(default_factory=list)
    keep: dict = field(default_factory=dict)  # the other list's page, kept in links
    base: str = ""  # the relic page's path

    def url(self, number: int, part: bool = False) -> str:
        """The relic page (query string only) showing page ``number`` of this list; with
        ``part``, only the items (the "Xem thêm" button's fragment)."""
        params = dict(self.keep)
        if number > 1 or part:
            params[self.param] = number
        if part:
            params["phan"] = self.param
        return f"{self.base}?{urlencode(params)}" if params else self.base or "?"

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1)

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1)

    @property
    def next_part_url(self) -> str:
        return self.url(self.number + 1, part=True)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def remaining(self) -> int:
        """How many come after this page."""
        return max(0, self.total - self.number * self.per_page)

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.total, self.number * self.per_page)


def item_link(relic_url: str, anchor: str) -> str:
    """A link to an inscription or artifact on its relic's page: the page of the list that
    holds it (``?xem=``) and the item itself (``#``)."""
    return f"{relic_url}?{urlencode({'xem': anchor})}#{anchor}"


def page_number(raw: str | None) -> int:
    """A list's page number from the query string: absent is 1; anything but a plain positive
    number (0, -1, 'abc', NUL, 9223372036854775808…) is a 404, never a 500."""
    if raw is None:
        return 1
    if not PAGE_NUMBER.fullmatch(raw):
        raise Http404("no such page")
    return int(raw)


def _ordered(manager):
    """A relic's inscriptions or artifacts in their editors' order, ties broken by id so a page
    never repeats or skips one (a preview's unsaved children keep their order in memory)."""
    rows = manager.all()
    return rows.order_by("sort_order", "pk") if isinstance(rows, QuerySet) else rows


def _page_of(manager, number: int, per_page: int) -> tuple[list, int]:
    """Page ``number`` of a relic's inscriptions or artifacts and how many there are, in one
    query (the total rides along on every row as a window count)."""
    rows = _ordered(manager)
    start = (number - 1) * per_page
    if not isinstance(rows, QuerySet):
        everything = list(rows)
        return everything[start : start + per_page], len(everything)
    items = list(rows.annotate(list_total=Window(Count("pk")))[start : start + per_page])
    return items, items[0].list_total if items else 0


def item_position(page: RelicPage, anchor: str) -> tuple[str, int] | None:
    """Which list and page hold the inscription or artifact an anchor names
    (``di-van-<id>`` / ``hien-vat-<inventory number slug>``), in one query; None if none does."""
    if anchor.startswith("di-van-"):
        key, manager, per_page = "di-van", page.inscriptions, INSCRIPTIONS_PER_PAGE
        wanted = anchor.removeprefix("di-van-")
        keys = [str(pk) for pk in _values(manager, "pk")]
    elif anchor.startswith("hien-vat-"):
        key, manager, per_page = "hien-vat", page.artifacts, ARTIFACTS_PER_PAGE
        wanted = anchor.removeprefix("hien-vat-")
        keys = [slugify(n) for n in _values(manager, "inventory_number")]
    else:
        return None
    if wanted in keys:
        return key, keys.index(wanted) // per_page + 1
    return None


def _values(manager, name: str) -> list:
    rows = _ordered(manager)
    if isinstance(rows, QuerySet):
        return list(rows.values_list(name, flat=True))
    return [getattr(row, name) for row in rows]


def shared_list_variant(query) -> str | None:
    """What a relic page's kept parts depend on in the query string (the list pages asked
    for), or None when they must be built for this request: a ``?phan=`` fragment, a
    ``?xem=`` link to one item, or a page number that is not plain (the view answers 404)."""
    if "phan" in query or "xem" in query:
        return None
    numbers = [query.get(key) for key in ("di-van", "hien-vat")]
    if any(n is not None and not PAGE_NUMBER.fullmatch(n) for n in numbers):
        return None
    return "&".join(n or "1" for n in numbers)


def list_pages(page: RelicPage, query=None, base: str = "") -> tuple[ListPage, ListPage]:
    """The page of inscriptions and the page of artifacts the query string asks for: the first
    ones, ``?di-van=2`` / ``?hien-vat=3``, or the page holding ``?xem=<anchor>``.
    A page number past the end is a 404."""
    query = query or {}
    numbers = {
        "di-van": page_number(query.get("di-van")),
        "hien-vat": page_number(query.get("hien-vat")),
    }
    seek = query.get("xem")
    if seek and len(seek) <= MAX_ANCHOR_LENGTH:
        found = item_position(page, seek)
        if found:
            numbers[found[0]] = found[1]
    pages = []
    for key, manager, per_page in (
        ("di-van", page.inscriptions, INSCRIPTIONS_PER_PAGE),
        ("hien-vat", page.artifacts, ARTIFACTS_PER_PAGE),
    ):
        items, total = _page_of(manager, numbers[key], per_page)
        if numbers[key] > 1 and not items:
            raise Http404("no such page")
        keep = {k: n for k, n in numbers.items() if k != key and n > 1}
        pages.append(ListPage(key, numbers[key], per_page, total, items, keep, base))
    return pages[0], pages[1]


def relic_page_context(
    page: RelicPage, language: str | None = None, query=None, base: str = ""
) -> dict:
    """Inscriptions, artifacts (a page of each), places and panoramas with their images, and
    the narration, in a constant query count however many inscriptions and artifacts there
    are."""
    inscription_page, artifact_page = list_pages(page, query, base)
    inscriptions, artifacts = inscription_page.items, artifact_page.items
    places = page.nearby_places()
    wanted = [page.hero_image_id]
    for ins in inscriptions:
        wanted += [ins.rubbing_image_id, ins.photo_id]
    for art in artifacts:
        wanted += [art.image_id, *art.extra_image_ids()]
    wanted += [p.image_id for p in places]
    images = images_by_id(wanted)
    for ins in inscriptions:
        ins.rubbing = images.get(ins.rubbing_image_id)
        ins.photo_image = images.get(ins.photo_id)
    for art in artifacts:
        art.main_image = images.get(art.image_id)
        art.gallery = [images[i] for i in art.extra_image_ids() if i in images]
    for place in places:
        place.thumb = images.get(place.image_id)
    if page.hero_image_id in images:
        page.hero_image = images[page.hero_image_id]  # with its renditions: no query later
    context = {
        "hero": images.get(page.hero_image_id),
        "inscriptions": inscriptions,
        "artifacts": artifacts,
        "inscription_page": inscription_page,
        "artifact_page": artifact_page,
        "nearby_places": places,
        "narration": narration_for(page, language or get_language()),
        "playback_speeds": PLAYBACK_SPEEDS,
        # The phone's own voice reads the text in the language it is written in.
        "speech_lang": speech_tag(page.locale.language_code),
    }
    # Other rooms (the panorama viewer) add their part without content importing them.
    for add_to_context in hooks.get_hooks(RELIC_PAGE_CONTEXT_HOOK):
        add_to_context(page, context)
    return context
