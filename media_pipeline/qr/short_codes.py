"""Short codes in the database: give a page its code, re-point one, look one up, count a scan.

The resolver's hot path is `lookup` (one query) and `record_scan` (one statement).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.models import Page, Site

from content.public import hidden_ancestor_sql
from media_pipeline.qr.codes import allocate_code, plaque_url
from media_pipeline.qr.models import (
    PURPOSE_FRAGMENTS,
    DailyScanCount,
    Purpose,
    ShortCode,
    ShortCodeHistory,
)

Reason = ShortCodeHistory.Reason


def code_for_page(page: Page, purpose: str = Purpose.PAGE) -> ShortCode | None:
    """The page's own code (or its rating code): the oldest one of that purpose pointing at the
    page or at one of its translations."""
    return (
        ShortCode.objects.filter(page__translation_key=page.translation_key, purpose=purpose)
        .order_by("created_at", "pk")
        .first()
    )


def assign_code(page: Page, user=None, purpose: str = Purpose.PAGE) -> ShortCode:
    """Return the page's code of `purpose`, creating one (with its history row) if none yet."""
    existing = code_for_page(page, purpose)
    if existing is not None:
        return existing
    for _attempt in range(5):
        code = allocate_code(lambda c: ShortCode.objects.filter(code=c).exists())
        try:
            with transaction.atomic():
                short = ShortCode.objects.create(
                    code=code, page=page, page_title=page.title, purpose=purpose
                )
                ShortCodeHistory.objects.create(
                    code=short,
                    page=page,
                    page_title=page.title,
                    reason=Reason.CREATED,
                    changed_by=user,
                )
            return short
        except IntegrityError:
            continue  # another process drew the same free code a moment earlier
    raise RuntimeError("could not store a new short code")


def repoint_code(short: ShortCode, page: Page, user=None, note: str = "") -> ShortCode:
    """Point `short` at `page` from now on; the old target stays in the code's history."""
    with transaction.atomic():
        locked = ShortCode.objects.select_for_update().get(pk=short.pk)
        locked.page, locked.page_title, locked.retired_at = page, page.title, None
        locked.save(update_fields=["page", "page_title", "retired_at"])
        ShortCodeHistory.objects.create(
            code=locked,
            page=page,
            page_title=page.title,
            reason=Reason.REPOINTED,
            note=note[:255],
            changed_by=user,
        )
    return locked


def retire_codes_of(page: Page) -> int:
    """Called just before `page` is deleted: keep its title for the tombstone, log the deletion.

    Idempotent (Django may announce the same deletion once per model of the page's hierarchy).
    """
    codes = list(ShortCode.objects.filter(page_id=page.pk, retired_at__isnull=True))
    if not codes:
        return 0
    now = timezone.now()
    ShortCode.objects.filter(pk__in=[c.pk for c in codes]).update(
        page_title=page.title[:255], retired_at=now
    )
    # page=None: the row is about to go, and the deletion already collected what points at it.
    ShortCodeHistory.objects.bulk_create(
        ShortCodeHistory(code=c, page=None, page_title=page.title[:255], reason=Reason.PAGE_DELETED)
        for c in codes
    )
    return len(codes)


def url_for_code(code: str) -> str:
    """The upper-case URL printed on the plaque, from PLAQUE_BASE_URL."""
    return plaque_url(settings.PLAQUE_BASE_URL, code)


# ---------------------------------------------------------------- resolving


@dataclass(frozen=True)
class Resolved:
    """What one query tells the resolver about a code, for the visitor's language."""

    code_id: int
    title: str  # the page's title, or the snapshot kept when it was deleted
    page_id: int | None
    live: bool
    url_path: str | None
    translated_title: str | None
    translated_url_path: str | None
    translated_live: bool
    purpose: str = Purpose.PAGE
    language: str | None = None  # the visitor's language the translation was looked up in

    @property
    def visitor_url(self) -> str | None:
        """Where the scan goes: the live translation into the visitor's language, else the page
        itself under the visitor's language prefix (the untranslated notice), or None."""
        if self.translated_live and self.translated_url_path:
            return url_for_path(self.translated_url_path)
        if self.url_path is None:
            return None
        return url_for_path(self.url_path, self.language)

    @property
    def fragment(self) -> str:
        """Where on the page the scan lands: `#danh-gia` for a rating code, else the top."""
        return PURPOSE_FRAGMENTS.get(self.purpose, "")


@lru_cache(maxsize=1)
def _lookup_sql() -> str:
    # A page under an unpublished ward is not live for a visitor (content.public).
    q = connection.ops.quote_name
    code, page = ShortCode._meta.db_table, Page._meta.db_table
    locale = Page._meta.get_field("locale").related_model._meta.db_table
    return (
        f"SELECT sc.{q('id')}, sc.{q('page_title')}, p.{q('id')}, p.{q('title')}, "
        f"(p.{q('live')} AND NOT {hidden_ancestor_sql('p', q)}), p.{q('url_path')}, "
        f"tr.{q('title')}, tr.{q('url_path')}, "
        f"(tr.{q('live')} AND NOT {hidden_ancestor_sql('tr', q)}), sc.{q('purpose')} "
        f"FROM {q(code)} sc "
        f"LEFT JOIN {q(page)} p ON p.{q('id')} = sc.{q('page_id')} "
        f"LEFT JOIN {q(locale)} l ON l.{q('language_code')} = %(language)s "
        f"LEFT JOIN {q(page)} tr ON tr.{q('translation_key')} = p.{q('translation_key')} "
        f"AND tr.{q('locale_id')} = l.{q('id')} "
        f"WHERE sc.{q('code')} = %(code)s"
    )


def lookup(code: str, language: str) -> Resolved | None:
    """The code, its page and the page's translation into `language`, in one query.

    Plain SQL: building the equivalent ORM query cost several times the database's own time,
    and this runs on every scan. Named parameters: Django's SQLite backend rewrites each `%s`
    of a query with a regular expression on every call, which for this long one took as long
    as SQLite's own work; a mapping is substituted in one step (and PostgreSQL takes either).
    """
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(), {"language": language, "code": code})
        row = cursor.fetchone()
    if row is None:
        return None
    code_id, snapshot, page_id, title, live, url_path, tr_title, tr_url_path, tr_live, purpose = row
    return Resolved(
        code_id=code_id,
        title=title if page_id is not None else snapshot,
        page_id=page_id,
        live=bool(live),
        url_path=url_path,
        translated_title=tr_title,
        translated_url_path=tr_url_path,
        translated_live=bool(tr_live),
        purpose=purpose,
        language=language,
    )


@lru_cache(maxsize=32)
def _serve_prefix(language_code: str) -> str:
    """Where Wagtail serves pages in a language: `/` for Vietnamese, `/en/` for English."""
    with translation.override(language_code):
        return reverse("wagtail_serve", args=("",))


def url_for_path(url_path: str, language: str | None = None) -> str | None:
    """The public URL of a page from its `url_path`, as Wagtail's Page.get_url builds it, but
    without a query or a URL reversal per call (this runs on every scan).

    With `language`, a Vietnamese page is given under that language's prefix (/en/…), where it
    is served with the visitor's interface and a notice that it is not translated yet.
    Uses Wagtail's cached site root paths; relative when the installation serves one site.
    """
    roots = Site.get_site_root_paths()
    for root in roots:
        if url_path.startswith(root.root_path):
            rest = quote(url_path[len(root.root_path) :], safe=RFC3986_SUBDELIMS + "/~:@")
            prefix_language = root.language_code
            if language and root.language_code == settings.LANGUAGE_CODE:
                prefix_language = language
            path = _serve_prefix(prefix_language) + rest
            if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and path != "/":
                path = path.rstrip("/")
            if len({r.site_id for r in roots}) > 1:
                return root.root_url + path
            return path
    return None


def record_scan(code_id: int, language: str, device_class: str, day: datetime.date) -> None:
    """Add one to the day's counter for this code, language and device class, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql(),
            {
                "code": code_id,
                "date": connection.ops.adapt_datefield_value(day),
                "language": language,
                "device": device_class,
            },
        )


@lru_cache(maxsize=1)
def _upsert_sql() -> str:
    # INSERT … ON CONFLICT DO UPDATE reads the same on SQLite (3.24+) and PostgreSQL, the two
    # databases the platform runs on; concurrent scans cannot lose a count.
    table = DailyScanCount._meta.db_table
    q = connection.ops.quote_name
    return (
        f"INSERT INTO {q(table)} ({q('code_id')}, {q('date')}, {q('language')}, "
        f"{q('device_class')}, {q('count')}) "
        f"VALUES (%(code)s, %(date)s, %(language)s, %(device)s, 1) "
        f"ON CONFLICT ({q('code_id')}, {q('date')}, {q('language')}, {q('device_class')}) "
        f"DO UPDATE SET {q('count')} = {q(table)}.{q('count')} + 1"
    )
