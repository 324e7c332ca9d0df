"""Satisfaction figures: per relic for its page, per relic and ward for the IOC feed."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Avg, Count

from feedback.models import Rating, Report

OPEN = [Report.Status.NEW, Report.Status.IN_PROGRESS]


def relic_summary(translation_key) -> dict[str, Any]:
    """Count and average of a relic's ratings (any of its translations), in one query."""
    row = Rating.objects.filter(relic__translation_key=translation_key).aggregate(
        count=Count("pk"), average=Avg("score")
    )
    return {"count": row["count"], "average": row["average"]}


def _by_key(queryset, **annotations) -> dict:
    rows = queryset.order_by().values("relic__translation_key").annotate(**annotations)
    return {r.pop("relic__translation_key"): r for r in rows}


def add_feedback(stats: dict[str, Any], relic_keys: dict[int, Any]) -> dict[str, Any]:
    """Add ratings (count, average) and open reports to the IOC feed built by maps.iocstats:
    to each published relic, to its ward and to the totals. Unpublished relics get null.

    `relic_keys` maps the feed's relic ids to their translation keys (the feed may be in any
    language; ratings belong to the relic whatever language the visitor wrote in).
    """
    ratings = _by_key(Rating.objects.all(), count=Count("pk"), average=Avg("score"))
    reports = _by_key(Report.objects.filter(status__in=OPEN), open=Count("pk"))
    per_ward: dict[int, dict[str, float]] = defaultdict(lambda: {"n": 0, "sum": 0.0, "open": 0})
    for relic in stats["relics"]:
        if not relic["state"].startswith("published"):
            relic["ratings"] = relic["open_reports"] = None
            continue
        key = relic_keys.get(relic["id"])
        rated = ratings.get(key, {"count": 0, "average": None})
        relic["ratings"] = {
            "count": rated["count"],
            "average": round(rated["average"], 2) if rated["average"] is not None else None,
        }
        relic["open_reports"] = reports.get(key, {"open": 0})["open"]
        ward = per_ward[relic["ward_id"]]
        ward["n"] += rated["count"]
        ward["sum"] += (rated["average"] or 0) * rated["count"]
        ward["open"] += relic["open_reports"]
    for ward in stats["wards"]:
        agg = per_ward.get(ward["id"], {"n": 0, "sum": 0.0, "open": 0})
        ward["ratings"] = {
            "count": agg["n"],
            "average": round(agg["sum"] / agg["n"], 2) if agg["n"] else None,
        }
        ward["open_reports"] = agg["open"]
    total_n = sum(a["n"] for a in per_ward.values())
    total_sum = sum(a["sum"] for a in per_ward.values())
    stats["totals"]["ratings"] = total_n
    stats["totals"]["average_rating"] = round(total_sum / total_n, 2) if total_n else None
    stats["totals"]["open_reports"] = sum(a["open"] for a in per_ward.values())
    return stats
