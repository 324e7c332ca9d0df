"""The one rule for what visitors, feeds and embeds may show: a public page.

A page is public when it is live, every ancestor is live, and no view restriction (password,
login, groups) covers it. Unpublishing a ward hides every relic under it, even those still
marked live. Every visitor surface (search, map and feeds, IOC statistics, offline manifest,
360° gallery, tours, embeds and tiles, QR scans) reads pages through this module.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import get_language
from wagtail.models import Locale, Page, PageViewRestriction

from heritage_site.memo import remembered

# Deeper than any tree of ours (root → home → relic index → ward → relic is 5 levels).
MAX_DEPTH = 12
# Past this many hidden branches, one correlated subquery beats a chain of prefix tests.
MAX_PREFIX_TESTS = 200


def hidden_ancestor() -> Exists:
    """EXISTS (an ancestor of the outer row that is not live), by the ancestors' tree paths
    (prefixes of the row's path), so each test is an index lookup."""
    prefixes = [Substr(OuterRef("path"), 1, Page.steplen * k) for k in range(1, MAX_DEPTH)]
    return Exists(
        Page.objects.filter(
            path__in=prefixes, live=False, numchild__gt=0, depth__lt=OuterRef("depth")
        )
    )


def hidden_ancestor_sql(alias: str, quote) -> str:
    """``hidden_ancestor()`` as SQL over the page table aliased ``alias`` (for raw queries)."""
    table, h, path = quote(Page._meta.db_table), f"h_{alias}", quote("path")
    prefixes = ", ".join(
        f"SUBSTR({alias}.{path}, 1, {Page.steplen * k})" for k in range(1, MAX_DEPTH)
    )
    return (
        f"EXISTS (SELECT 1 FROM {table} {h} WHERE {h}.{path} IN ({prefixes}) "
        f"AND NOT {h}.{quote('live')} AND {h}.{quote('numchild')} > 0 "
        f"AND {h}.{quote('depth')} < {alias}.{quote('depth')})"
    )


def branches() -> tuple[list[str], list[str]]:
    """Tree paths of the view-restricted pages, and of the pages not live with pages under
    them: two small queries, kept in a visitor's process until visitor content changes
    (heritage_site/memo.py: unpublishing, restricting and moving pages all bump it)."""
    return remembered(("content.public.branches",), _read_branches)


def _read_branches() -> tuple[list[str], list[str]]:
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    hidden = list(Page.objects.filter(live=False, numchild__gt=0).values_list("path", flat=True))
    return restricted, hidden


def under_hidden_branch(page: Page) -> bool:
    """An ancestor of the page is not live (the page itself may be)."""
    _restricted, hidden = branches()
    return any(page.path.startswith(p) and len(p) < len(page.path) for p in hidden)


def public_pages(queryset: QuerySet) -> QuerySet:
    """The pages of ``queryset`` a visitor may see.

    Like Wagtail's ``public()`` for view restrictions, it first reads the few branches that
    are hidden (pages not live with pages under them: one small query), then excludes what
    lies under them; with none hidden, the queryset is only ``live().public()``. A page that
    names its ward (a tourism place in the directory) is hidden with that ward too.
    """
    restricted, hidden = branches()
    queryset = queryset.live()
    if restricted:  # Wagtail's public(): no page at or under a view restriction
        within = Q()
        for path in restricted:
            within |= Q(path__startswith=path)
        queryset = queryset.exclude(within)
    if any(f.name == "ward" for f in queryset.model._meta.fields):
        queryset = queryset.exclude(ward__live=False)
    if len(hidden) > MAX_PREFIX_TESTS:
        return queryset.exclude(hidden_ancestor())
    under = Q()
    for path in hidden:
        under |= Q(path__startswith=path)
    return queryset.exclude(under) if hidden else queryset


def public_ids(queryset: QuerySet) -> QuerySet:
    """The primary keys of ``public_pages(queryset)``, for ``relic__in=`` filters."""
    return public_pages(queryset).values("pk")


def is_public(page: Page) -> bool:
    return public_pages(Page.objects.filter(pk=page.pk)).exists()


def in_language(queryset: QuerySet, locale, within: Page | None = None) -> QuerySet:
    """The public pages of ``queryset`` a visitor reading ``locale`` is shown: those in their
    language, and the Vietnamese ones not translated into it yet (listed, never hidden; their
    links open them under the visitor's prefix with a notice). With ``within``, only pages under
    it or under its counterpart in the other of the two languages (the trees run in parallel).
    """
    default = default_locale()
    shown = public_pages(queryset)
    if locale.pk == default.pk:
        mine = Q(locale_id=default.pk)
    else:
        translated = queryset.model.objects.live().filter(locale_id=locale.pk)
        mine = Q(locale_id=locale.pk) | (
            Q(locale_id=default.pk) & ~Q(translation_key__in=translated.values("translation_key"))
        )
    if within is not None:
        mine &= _under_either(within, locale, default)
    return shown.filter(mine)


def _under_either(page: Page, locale, default) -> Q:
    """Pages in ``locale`` under ``page``'s ``locale`` version, Vietnamese ones under its
    Vietnamese version (a page with no such version contributes none)."""
    under = Q(pk__in=[])
    for language in {locale, default}:
        version = page if page.locale_id == language.pk else page.get_translation_or_none(language)
        if version is not None:
            here = Q(path__startswith=version.path, depth__gt=version.depth)
            under |= Q(locale_id=language.pk) & here
    return under


def listing_locale(page: Page):
    """The language a listing page lists in: its own when it is a translation, else the
    visitor's (a Vietnamese page shown under /en/ lists for an English reader)."""
    default = default_locale()
    if page.locale_id != default.pk:
        return page.locale
    return remembered(("locale-active", get_language()), Locale.get_active)


def default_locale() -> Locale:
    """Wagtail's default locale (Vietnamese), remembered during a visitor's request."""
    return remembered(("locale-default",), Locale.get_default)


def locale_for_language(language: str) -> Locale:
    """The locale whose pages a site language reads: its own, or the default's while no page
    is translated into it (a language with no page has no locale row). Remembered during a
    visitor's request until content changes (a first translation is published with a bump)."""

    def find() -> Locale:
        return Locale.objects.filter(language_code=language).first() or Locale.get_default()

    return remembered(("locale-for", language), find)
