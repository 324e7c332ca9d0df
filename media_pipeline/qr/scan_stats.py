"""Figures from the daily scan counters: this week's scans, the top relics, silent plaques."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Sum
from django.utils import timezone

from media_pipeline.qr.models import DailyScanCount, ShortCode

WEEK_DAYS = 7
SILENT_DAYS = 30


@dataclass(frozen=True)
class ScanSummary:
    since: datetime.date
    week_total: int
    by_language: list[tuple[str, int]]
    by_device: list[tuple[str, int]]
    top_pages: list[dict]
    silent: list[ShortCode]
    silent_total: int
    # Codes of live pages made within SILENT_DAYS: too new to call silent, so not counted.
    recent_total: int = 0


def _cutoff(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=SILENT_DAYS)


def recent_codes(today: datetime.date):
    """Codes of live pages made within the last SILENT_DAYS: their plaques may not hang yet."""
    return ShortCode.objects.filter(page__live=True, created_at__date__gt=_cutoff(today))


def silent_codes(today: datetime.date):
    """Codes of live pages, older than SILENT_DAYS, not scanned once in the last SILENT_DAYS.

    A plaque that nobody scans for a month is likely damaged, covered or gone.
    """
    cutoff = _cutoff(today)
    return (
        ShortCode.objects.filter(page__live=True, created_at__date__lte=cutoff)
        .exclude(daily_scans__date__gt=cutoff)
        .annotate(last_scan=Max("daily_scans__date"))
        .select_related("page")
        .order_by("page__path")
    )


def scan_summary(
    today: datetime.date | None = None, top: int = 5, silent_limit: int = 20
) -> ScanSummary:
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=WEEK_DAYS - 1)
    week = DailyScanCount.objects.filter(date__gte=since, date__lte=today)

    def totals(field: str) -> list[tuple[str, int]]:
        return list(week.values_list(field).annotate(n=Sum("count")).order_by("-n", field))

    top_pages = list(
        week.filter(code__page__isnull=False)
        .values("code__page_id", "code__page__title")
        .annotate(scans=Sum("count"))
        .order_by("-scans", "code__page__title")[:top]
    )
    silent = silent_codes(today)
    return ScanSummary(
        since=since,
        week_total=week.aggregate(n=Sum("count"))["n"] or 0,
        by_language=totals("language"),
        by_device=totals("device_class"),
        top_pages=[
            {"page_id": r["code__page_id"], "title": r["code__page__title"], "scans": r["scans"]}
            for r in top_pages
        ],
        silent=list(silent[:silent_limit]),
        silent_total=silent.count(),
        recent_total=recent_codes(today).count(),
    )
