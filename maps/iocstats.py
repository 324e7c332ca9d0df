"""Statistics for the district's IOC: per relic and per ward, scans per day, panoramas,
artifacts, inscriptions and publication state.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from wagtail.models import Locale, Page

from content.models import Artifact, Inscription, RelicPage, WardPage
from content.public import public_pages
from feedback.stats import add_feedback
from media_pipeline.models import DailyScanCount, Panorama

MAX_DAYS = 366


def panorama_counts(relic_ids: list[int] | None = None) -> dict[int, int]:
    """Relic id → number of panoramas a visitor can open (published tiles, public relic)."""
    qs = Panorama.objects.public()
    if relic_ids is not None:
        qs = qs.filter(relic_id__in=relic_ids)
    return dict(qs.order_by().values_list("relic_id").annotate(n=Count("pk")))


def scan_counts(since: date) -> dict[int, dict[str, int]]:
    """Relic id → {ISO day: scans} from ``since``; scans are counted per short code of a page."""
    rows = (
        DailyScanCount.objects.filter(date__gte=since)
        .order_by()
        .values_list("code__page_id", "date")
        .annotate(n=Sum("count"))
    )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for relic_id, day, n in rows:
        out[relic_id][day.isoformat()] = int(n or 0)
    return dict(out)


def publication_state(live: bool, has_draft: bool, ever_published: bool) -> str:
    """'published', 'published_with_draft', 'unpublished' (taken down) or 'draft'."""
    if live:
        return "published_with_draft" if has_draft else "published"
    return "unpublished" if ever_published else "draft"


def _counts(model) -> dict[int, int]:
    return dict(model.objects.order_by().values_list("relic_id").annotate(n=Count("pk")))


def build_stats(*, locale: Locale, days: int = 30, today: date | None = None) -> dict[str, Any]:
    """The whole feed as a dict, in a fixed number of queries (relics, wards, 4 counts)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=days - 1)
    # A public feed (CORS): public wards and relics only (content.public), never drafts.
    ward_rows = public_pages(WardPage.objects.filter(locale=locale))
    wards = {w["path"]: w for w in ward_rows.values("id", "path", "title", "ward_code")}
    relics = public_pages(RelicPage.objects.filter(locale=locale)).order_by("id")
    artifacts, inscriptions = _counts(Artifact), _counts(Inscription)
    panoramas = panorama_counts()
    scans = scan_counts(since)

    relic_out = []
    per_ward: dict[int, dict[str, Any]] = {}
    for w in sorted(wards.values(), key=lambda w: w["title"]):
        per_ward[w["id"]] = {
            "id": w["id"],
            "code": w["ward_code"] or None,
            "name": w["title"],
            "relics": 0,
            "states": defaultdict(int),
            "panoramas": 0,
            "artifacts": 0,
            "inscriptions": 0,
            "scans_total": 0,
            "scans_per_day": defaultdict(int),
        }
    columns = (
        "id",
        "title",
        "path",
        "relic_code",
        "ranking",
        "relic_type",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
    )
    for r in relics.values(*columns):
        ward = wards.get(r["path"][: -Page.steplen])
        state = publication_state(
            r["live"], r["has_unpublished_changes"], r["first_published_at"] is not None
        )
        relic_scans = scans.get(r["id"], {})
        row = {
            "id": r["id"],
            "code": r["relic_code"] or None,
            "name": r["title"],
            "ward_id": ward["id"] if ward else None,
            "ranking": r["ranking"],
            "type": r["relic_type"],
            "state": state,
            "last_published_at": r["last_published_at"].isoformat()
            if r["last_published_at"]
            else None,
            "panoramas": panoramas.get(r["id"], 0),
            "artifacts": artifacts.get(r["id"], 0),
            "inscriptions": inscriptions.get(r["id"], 0),
            "scans_total": sum(relic_scans.values()),
            "scans_per_day": relic_scans,
        }
        relic_out.append(row)
        if ward is None:
            continue
        agg = per_ward[ward["id"]]
        agg["relics"] += 1
        agg["states"][state] += 1
        agg["artifacts"] += row["artifacts"]
        agg["inscriptions"] += row["inscriptions"]
        agg["panoramas"] += row["panoramas"]
        agg["scans_total"] += row["scans_total"]
        for day, n in relic_scans.items():
            agg["scans_per_day"][day] += n
    ward_out = []
    for agg in per_ward.values():
        agg["states"] = dict(agg["states"])
        agg["scans_per_day"] = dict(sorted(agg["scans_per_day"].items()))
        ward_out.append(agg)
    stats = {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "language": locale.language_code,
        "period": {"from": since.isoformat(), "to": today.isoformat(), "days": days},
        # Part of the feed's published shape: both sources always exist now.
        "sources": {"scans": True, "panoramas": True},
        "totals": {
            "relics": len(relic_out),
            "published": sum(1 for r in relic_out if r["state"].startswith("published")),
            "artifacts": sum(r["artifacts"] for r in relic_out),
            "inscriptions": sum(r["inscriptions"] for r in relic_out),
            "panoramas": sum(r["panoramas"] for r in relic_out),
            "scans": sum(r["scans_total"] for r in relic_out),
        },
        "wards": ward_out,
        "relics": relic_out,
    }
    # Visitors' ratings and open reports (feedback app), published relics only.
    return add_feedback(stats, dict(relics.values_list("id", "translation_key")))
