"""Import relic points and ward boundaries: a dry run against the site, then one transaction.

Points update a relic's coordinates through a new page revision, published when the relic was
live with no pending draft (a pending draft gets the coordinates and waits for its reviewer), so
the page history records every change. New relics are created as drafts under their ward for a
reviewer to approve. Boundaries are stored as maps.WardBoundary.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from content.choices import Ranking, RelicType
from content.models import RelicPage, WardPage
from heritage_site.jobs import keep_alive
from maps.geoimport import ImportReport, RowReport, read_geodata
from maps.geomatch import KnownRelic, KnownWard, match_boundaries, match_points
from maps.georead import Kind, Source
from maps.models import GeoImport, WardBoundary

logger = logging.getLogger(__name__)

ACTION_LABELS = {"create": "tạo mới", "update": "cập nhật", "skip": "bỏ qua"}


class ImportRefused(Exception):
    """Nothing was imported; the message (Vietnamese) says why and where."""


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    waiting_review: int = 0  # updates that joined a pending draft, or new draft relics
    messages: list[str] = field(default_factory=list)
    skipped_rows: list[str] = field(default_factory=list)  # labels of the bad rows left out

    def summary(self) -> str:
        """What was written and what was not, in one sentence or two."""
        written = self.created + self.updated
        head = "Đã nhập" if written else "Không có gì mới để ghi"
        text = (
            f"{head}: tạo mới {self.created}, cập nhật {self.updated}, không đổi {self.unchanged}"
        )
        if self.skipped:
            where = ", ".join(self.skipped_rows[:10]) + ("…" if self.skipped > 10 else "")
            text += f"; bỏ qua {self.skipped} dòng lỗi, không nhập ({where})"
        text += f"; chờ duyệt {self.waiting_review}."
        if self.waiting_review:
            text += " Các thay đổi chờ duyệt chỉ hiện trên trang sau khi người duyệt xuất bản."
        return text


def _known_wards(locale: Locale) -> list[KnownWard]:
    boundaries = {b.ward_id: b.geometry for b in WardBoundary.objects.all()}
    return [
        KnownWard(w["id"], w["title"], w["ward_code"], w["slug"], boundaries.get(w["id"]))
        for w in WardPage.objects.filter(locale=locale).values("id", "title", "ward_code", "slug")
    ]


def _known_relics(locale: Locale) -> list[KnownRelic]:
    wards = dict(WardPage.objects.filter(locale=locale).values_list("path", "id"))
    return [
        KnownRelic(r["id"], r["title"], r["relic_code"], wards.get(r["path"][: -Page.steplen]))
        for r in RelicPage.objects.filter(locale=locale).values("id", "title", "relic_code", "path")
    ]


def district_boundary(wards: list[KnownWard]) -> Any | None:
    """The union of the stored ward outlines, or None before any is imported."""
    from shapely import union_all
    from shapely.geometry import shape

    shapes = [shape(w.geometry) for w in wards if w.geometry]
    return union_all(shapes) if shapes else None


def check_file(
    source: Source, *, kind: Kind, crs: str | int | None = None, filename: str | None = None
) -> ImportReport:
    """The dry run: what importing the file would do, row by row; writes nothing."""
    locale = Locale.get_default()
    wards = _known_wards(locale)
    area = district_boundary(wards) if kind == "points" else None
    report = read_geodata(
        source,
        kind=kind,
        crs=crs,
        district_boundary=area,
        key_field="code_or_name",
        filename=filename,
    )
    if report.errors:
        return report
    if kind == "points":
        match_points(report, _known_relics(locale), wards)
        if area is None:
            report.notes.append(
                "Chưa có ranh giới phường/xã nên chưa kiểm tra điểm có nằm trong huyện không."
            )
    else:
        match_boundaries(report, wards, WardBoundary.objects.values_list("ward_id", flat=True))
    return report


def _without_nul(value: Any) -> Any:
    """PostgreSQL's JSON cannot hold U+0000, which a hostile file's text may echo into a report."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(item) for item in value]
    return value


def report_json(report: ImportReport, skip_bad_rows: bool = False) -> dict[str, Any]:
    """The report as stored on GeoImport and shown in the admin."""
    return _without_nul(_report_json(report, skip_bad_rows))


def _report_json(report: ImportReport, skip_bad_rows: bool) -> dict[str, Any]:
    return {
        "filename": report.filename,
        "format": report.format,
        "ok": report.ok,
        "errors": report.errors,
        "notes": report.notes,
        "counts": report.counts(),
        "summary": report.summary(skip_bad_rows=skip_bad_rows),
        "rows": [
            {
                "number": row.number,
                "label": row.label,
                "name": row.attributes.get("name", ""),
                "action": row.action,
                "action_label": ACTION_LABELS[row.action],
                "reason": row.reason,
                "warnings": row.warnings,
                "outside": row.outside_district,
                "invalid": row.invalid_geometry,
            }
            for row in report.rows
            if not row.blank
        ],
    }


def apply_report(
    report: ImportReport, *, skip_bad_rows: bool = False, user=None, source: GeoImport | None = None
) -> ImportOutcome:
    """Import the rows of a checked report in one transaction: all of them, or none."""
    if report.errors:
        raise ImportRefused(report.summary())
    if not report.ok and not skip_bad_rows:
        raise ImportRefused(report.summary())
    outcome = ImportOutcome()
    with transaction.atomic():
        for row in report.rows:
            if row.blank:
                continue
            if row.problems:
                outcome.skipped += 1
                outcome.skipped_rows.append(row.label)
                continue
            try:
                if report.kind == "points":
                    _apply_point(row, user, outcome)
                else:
                    _apply_boundary(row, source, outcome)
            except ValidationError as exc:
                # Rolls back every row already written: nothing is imported half-way.
                text = "; ".join(exc.messages)
                raise ImportRefused(f"{row.label}: {text} — chưa nhập gì.") from exc
    return outcome


def _coordinates(row: RowReport) -> tuple[Decimal, Decimal]:
    lon, lat = row.geometry["coordinates"]
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _apply_point(row: RowReport, user, outcome: ImportOutcome) -> None:
    lat, lon = _coordinates(row)
    attrs = row.attributes
    if row.action == "create":
        ward = WardPage.objects.get(pk=row.ward_id)
        relic = RelicPage(
            title=attrs["name"],
            relic_code=attrs.get("code", ""),
            ranking=attrs.get("ranking") or Ranking.KIEM_KE,
            relic_type=attrs.get("type") or RelicType.KHAC,
            address=attrs.get("address", ""),
            latitude=lat,
            longitude=lon,
            live=False,
        )
        ward.add_child(instance=relic)
        relic.save_revision(user=user, log_action=True)
        outcome.created += 1
        outcome.waiting_review += 1
        return
    page = RelicPage.objects.get(pk=row.target_id)
    was_clean = page.live and not page.has_unpublished_changes
    latest = page.get_latest_revision_as_object()
    code = attrs.get("code", "")
    if (latest.latitude, latest.longitude) == (lat, lon) and (latest.relic_code or not code):
        outcome.unchanged += 1
        return
    latest.latitude, latest.longitude = lat, lon
    latest.relic_code = latest.relic_code or code
    revision = latest.save_revision(user=user, log_action=True)
    if was_clean:
        revision.publish(user=user)
    else:
        outcome.waiting_review += 1
    outcome.updated += 1


def _apply_boundary(row: RowReport, source: GeoImport | None, outcome: ImportOutcome) -> None:
    boundary = WardBoundary.objects.filter(ward_id=row.target_id).first()
    if boundary is None:
        boundary = WardBoundary(ward_id=row.target_id)
    elif boundary.geometry == row.geometry:
        outcome.unchanged += 1
        return
    boundary.set_geometry(row.geometry)
    boundary.source = source
    boundary.save()
    if row.action == "create":
        outcome.created += 1
    else:
        outcome.updated += 1


def run_import(geo_import: GeoImport, *, user=None) -> ImportOutcome:
    """Check the kept file again (the site may have changed since the dry run) and import it."""
    with geo_import.file.open("rb") as handle:
        report = check_file(
            handle,
            kind=geo_import.kind,
            crs=geo_import.crs or None,
            filename=geo_import.original_name,
        )
    geo_import.report = report_json(report, geo_import.skip_bad_rows)
    outcome = apply_report(
        report, skip_bad_rows=geo_import.skip_bad_rows, user=user, source=geo_import
    )
    geo_import.result = asdict(outcome) | {"summary": outcome.summary()}
    return outcome


def run_geo_import(import_id: int, user_id: int | None = None) -> str:
    """Import a file staff confirmed; its GeoImport records the status and the outcome."""
    geo_import = GeoImport.objects.get(pk=import_id)
    if geo_import.status == GeoImport.Status.DONE:
        return "already done"  # a task run twice imports once
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    geo_import.status = GeoImport.Status.RUNNING
    geo_import.save(update_fields=["status"])
    with keep_alive(GeoImport, geo_import.pk):
        return _run_and_record(geo_import, user)


def _run_and_record(geo_import: GeoImport, user) -> str:
    import_id = geo_import.pk
    try:
        outcome = run_import(geo_import, user=user)
    except ImportRefused as exc:
        geo_import.status = GeoImport.Status.FAILED
        geo_import.result = {"summary": str(exc)}
    except Exception:  # staff see a message; logger.exception keeps the traceback
        logger.exception("geodata import %s failed", import_id)
        geo_import.status = GeoImport.Status.FAILED
        geo_import.result = {
            "summary": "Lỗi không mong đợi khi nhập: chưa nhập gì. Hãy báo quản trị."
        }
    else:
        geo_import.status = GeoImport.Status.DONE
        logger.info("geodata import %s: %s", import_id, outcome.summary())
    geo_import.finished_at = timezone.now()
    geo_import.save(update_fields=["status", "report", "result", "finished_at"])
    return geo_import.status
