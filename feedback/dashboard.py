"""The admin home's "Tình hình di tích" panel: scans per day (an SVG drawn here), the most and
least scanned relics, silent plaques, ratings with their trend, open reports by ward and
panoramas that are processing or failed. Scan figures come from media_pipeline.qr.scan_stats.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone
from django.utils.html import escape

from content.models import RelicPage, WardPage
from feedback.models import Rating, Report
from media_pipeline.panoramas.models import Panorama
from media_pipeline.qr.models import DailyScanCount
from media_pipeline.qr.scan_stats import silent_codes

PERIOD_DAYS = 30
LIST_LENGTH = 5
TREND_STEP = 0.2  # a change of average smaller than this is "steady"


@dataclass
class Dashboard:
    since: datetime.date
    today: datetime.date
    scans_per_day: list[tuple[datetime.date, int]]
    scans_total: int
    top: list[dict]
    bottom: list[dict]
    silent: list = field(default_factory=list)
    silent_total: int = 0
    ratings: list[dict] = field(default_factory=list)
    open_reports: list[dict] = field(default_factory=list)
    open_reports_total: int = 0
    panoramas: list[Panorama] = field(default_factory=list)


def scans_per_day(since: datetime.date, today: datetime.date) -> list[tuple[datetime.date, int]]:
    counts = dict(
        DailyScanCount.objects.filter(date__gte=since, date__lte=today)
        .order_by()
        .values_list("date")
        .annotate(n=Sum("count"))
    )
    days = (today - since).days + 1
    return [(d, counts.get(d, 0)) for d in (since + datetime.timedelta(n) for n in range(days))]


def relic_scans(since: datetime.date) -> list[dict]:
    """Every live relic (default language) with its scans since `since`, most scanned first."""
    scans = dict(
        DailyScanCount.objects.filter(date__gte=since, code__page__isnull=False)
        .order_by()
        .values_list("code__page__translation_key")
        .annotate(n=Sum("count"))
    )
    relics = RelicPage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)
    rows = [
        {"id": pk, "title": title, "scans": scans.get(key, 0)}
        for pk, title, key in relics.values_list("pk", "title", "translation_key")
    ]
    return sorted(rows, key=lambda r: (-r["scans"], r["title"]))


def rating_trends(today: datetime.date, limit: int = 10) -> list[dict]:
    """Relics with ratings in the last two periods: average now, before, and the direction."""
    now_start = today - datetime.timedelta(days=PERIOD_DAYS - 1)
    before_start = now_start - datetime.timedelta(days=PERIOD_DAYS)
    now_q = Q(created_at__date__gte=now_start)
    before_q = Q(created_at__date__gte=before_start, created_at__date__lt=now_start)
    rows = (
        Rating.objects.filter(created_at__date__gte=before_start)
        .order_by()
        .values("relic_id", "relic__title")
        .annotate(
            count=Count("pk", filter=now_q),
            average=Avg("score", filter=now_q),
            before=Avg("score", filter=before_q),
        )
        .order_by("-count", "relic__title")[:limit]
    )
    out = []
    for r in rows:
        trend = "steady"
        if r["average"] is not None and r["before"] is not None:
            delta = r["average"] - r["before"]
            trend = "up" if delta >= TREND_STEP else "down" if delta <= -TREND_STEP else "steady"
        elif r["average"] is None:
            trend = "none"
        out.append({**r, "trend": trend, "title": r["relic__title"]})
    return out


def open_reports_by_ward() -> list[dict]:
    open_ = Report.objects.exclude(status=Report.Status.FIXED)
    counts = dict(open_.order_by().values_list("ward_id").annotate(n=Count("pk")))
    names = dict(
        WardPage.objects.filter(pk__in=[k for k in counts if k]).values_list("pk", "title")
    )
    rows = [{"ward_id": k, "title": names.get(k, ""), "open": n} for k, n in counts.items()]
    return sorted(rows, key=lambda r: (-r["open"], r["title"]))


def build_dashboard(today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=PERIOD_DAYS - 1)
    per_day = scans_per_day(since, today)
    relics = relic_scans(since)
    silent = silent_codes(today)
    reports = open_reports_by_ward()
    pending = [Panorama.Status.UPLOADED, Panorama.Status.PROCESSING, Panorama.Status.FAILED]
    return Dashboard(
        since=since,
        today=today,
        scans_per_day=per_day,
        scans_total=sum(n for _, n in per_day),
        top=relics[:LIST_LENGTH],
        bottom=relics[-LIST_LENGTH:][::-1] if len(relics) > LIST_LENGTH else [],
        silent=list(silent[:10]),
        silent_total=silent.count(),
        ratings=rating_trends(today),
        open_reports=reports,
        open_reports_total=sum(r["open"] for r in reports),
        panoramas=list(
            Panorama.objects.filter(status__in=pending)
            .select_related("relic")
            .order_by("-updated_at")[:10]
        ),
    )


_AXIS = 'text-anchor="end" font-size="11"'


def bar_chart_svg(
    values: list[tuple[datetime.date, int]], label: str, width: int = 600, height: int = 140
) -> str:
    """A bar per day with its count in a <title> (shown on hover), axis labels at both ends.

    Drawn on the server: no script, nothing to download, readable by screen readers.
    """
    top = max((n for _, n in values), default=0) or 1
    pad_left, pad_bottom, pad_top = 36, 20, 8
    plot_w, plot_h = width - pad_left - 4, height - pad_bottom - pad_top
    step = plot_w / max(1, len(values))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" class="fb-chart" width="100%">',
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 4}" '
        f'y2="{pad_top + plot_h}" stroke="#888" stroke-width="1"/>',
        f'<text x="{pad_left - 4}" y="{pad_top + 10}" {_AXIS}>{top}</text>',
        f'<text x="{pad_left - 4}" y="{pad_top + plot_h}" {_AXIS}>0</text>',
    ]
    for i, (day, n) in enumerate(values):
        h = plot_h * n / top
        x = pad_left + i * step + 1
        y = pad_top + plot_h - h
        tip = escape(f"{day:%d/%m}: {n}")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(1.0, step - 2):.1f}" height="{h:.1f}" '
            f'fill="#007d7e"><title>{tip}</title></rect>'
        )
    if values:
        first, last = values[0][0], values[-1][0]
        base = height - 5
        parts.append(f'<text x="{pad_left}" y="{base}" font-size="11">{first:%d/%m}</text>')
        parts.append(
            f'<text x="{width - 4}" y="{base}" font-size="11" text-anchor="end">{last:%d/%m}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
