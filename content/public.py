"""The one rule for what visitors, feeds and embeds may show: a public page.

A page is public when it is live, every ancestor is live, and no view restriction (password,
login, groups) covers it. Unpublishing a ward hides every relic under it, even those still
marked live. Every visitor surface (search, map and feeds, IOC statistics, offline manifest,
360° gallery, tours, embeds and tiles) reads pages through ``public_pages``.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Length, Substr
from wagtail.models import Page


def hidden_ancestor():
    """EXISTS (a page above the outer row that is not live): tree paths are prefixes."""
    return Exists(
        Page.objects.filter(
            live=False,
            numchild__gt=0,
            depth__lt=OuterRef("depth"),
            path=Substr(OuterRef("path"), 1, Length("path")),
        )
    )


def public_pages(queryset: QuerySet) -> QuerySet:
    """The pages of ``queryset`` a visitor may see, in the same query (one more for Wagtail's
    view restrictions)."""
    return queryset.live().public().exclude(hidden_ancestor())


def public_ids(queryset: QuerySet) -> QuerySet:
    """The primary keys of ``public_pages(queryset)``, for ``relic__in=`` filters."""
    return public_pages(queryset).values("pk")


def is_public(page: Page) -> bool:
    return public_pages(Page.objects.filter(pk=page.pk)).exists()


def hidden_ancestor_sql(alias: str, quote) -> str:
    """``hidden_ancestor()`` as SQL over the page table aliased ``alias`` (for raw queries)."""
    table, h = quote(Page._meta.db_table), f"h_{alias}"
    path = quote("path")
    return (
        f"EXISTS (SELECT 1 FROM {table} {h} WHERE NOT {h}.{quote('live')} "
        f"AND {h}.{quote('numchild')} > 0 AND {h}.{quote('depth')} < {alias}.{quote('depth')} "
        f"AND {h}.{path} = SUBSTR({alias}.{path}, 1, LENGTH({h}.{path})))"
    )
