"""Read relic points and ward boundaries (GeoJSON, zipped Shapefile, CSV) into a dry-run report.

Nothing here writes: the report says, row by row, what an import would create, update or skip
and why (in Vietnamese), with each geometry converted to WGS84. The caller imports only when
``report.ok``, so a bad file never leaves a half-done import.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from maps.crs import (
    CRSError,
    accepted_crs_text,
    conversion_to_wgs84,
    missing_crs_error,
    parse_crs,
)
from maps.geoattrs import extract_attributes, normalize_key
from maps.geocheck import orient_rfc7946, outside_area_of_use, place_in_vietnam, validity_problem
from maps.georead import (
    Declared,
    GeoImportError,
    Kind,
    Record,
    Source,
    parse_source,
    read_bytes,
    source_name,
)

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = ["GeoImportError", "ImportReport", "RowReport", "read_geodata"]

logger = logging.getLogger(__name__)

Action = Literal["create", "update", "skip"]
COORD_DECIMALS = 6


@dataclass
class RowReport:
    """What the import would do with one row (CSV) or feature (GeoJSON, Shapefile)."""

    number: int
    label: str
    action: Action = "skip"
    key: str = ""
    geometry: dict[str, Any] | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_crs: int | None = None
    invalid_geometry: bool = False
    outside_district: bool = False
    blank: bool = False
    target_id: int | None = None  # the relic or ward an update changes (maps.geomatch)
    ward_id: int | None = None  # the ward a new relic goes under

    @property
    def reason(self) -> str:
        """Why this action, in Vietnamese."""
        if self.problems:
            return "; ".join(self.problems)
        if self.blank:
            return "dòng trống"
        return "đã có, sẽ cập nhật" if self.action == "update" else "mới, sẽ tạo"

    def message(self) -> str:
        """'dòng 5: tọa độ … ngoài phạm vi' — one line for staff."""
        text = f"{self.label}: {self.reason}"
        if self.warnings:
            text += " (lưu ý: " + "; ".join(self.warnings) + ")"
        return text


@dataclass
class ImportReport:
    """A dry run of one file; ``ok`` only when every row can be imported."""

    filename: str
    kind: Kind
    format: str = ""
    rows: list[RowReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not any(row.problems for row in self.rows)

    def rows_with(self, action: Action) -> list[RowReport]:
        return [row for row in self.rows if row.action == action and not row.blank]

    @property
    def creates(self) -> list[RowReport]:
        return self.rows_with("create")

    @property
    def updates(self) -> list[RowReport]:
        return self.rows_with("update")

    @property
    def skips(self) -> list[RowReport]:
        return self.rows_with("skip")

    @property
    def invalid(self) -> list[RowReport]:
        return [row for row in self.rows if row.invalid_geometry]

    @property
    def outside(self) -> list[RowReport]:
        return [row for row in self.rows if row.outside_district]

    def counts(self) -> dict[str, int]:
        return {
            "create": len(self.creates),
            "update": len(self.updates),
            "skip": len(self.skips),
            "outside": len(self.outside),
            "invalid": len(self.invalid),
        }

    def summary(self, skip_bad_rows: bool = False) -> str:
        """A few lines for staff: totals, each row with a problem, then what happens to them."""
        if self.errors:
            return "\n".join([f"Không thể nhập tệp {self.filename}:", *self.errors])
        counts = self.counts()
        lines = [
            f"Tệp {self.filename} ({self.format}): tạo mới {counts['create']}, cập nhật "
            f"{counts['update']}, bỏ qua {counts['skip']} (ngoài ranh giới huyện "
            f"{counts['outside']}, hình học không hợp lệ {counts['invalid']}).",
            *self.notes,
        ]
        lines += [row.message() for row in self.rows if row.problems or row.warnings]
        if not self.ok and skip_bad_rows:
            lines.append(
                f"{counts['skip']} dòng lỗi ở trên sẽ bị bỏ qua; các dòng còn lại được nhập."
            )
        elif not self.ok:
            lines.append("Chưa nhập gì: hãy sửa các dòng trên rồi thử lại.")
        return "\n".join(lines)

    def points_outside(
        self, boundary: BaseGeometry | Mapping[str, Any], tolerance_m: float = 0.0
    ) -> list[RowReport]:
        """Rows whose WGS84 geometry lies outside a boundary (for a ward, its inner point)."""
        area = _as_area(boundary, tolerance_m)
        return [
            row for row in self.rows if row.geometry is not None and not _inside(area, row.geometry)
        ]


def read_geodata(
    source: Source,
    *,
    kind: Kind = "points",
    crs: str | int | None = None,
    district_boundary: BaseGeometry | Mapping[str, Any] | None = None,
    existing_keys: Iterable[str] = (),
    key_field: Literal["code", "name", "code_or_name"] = "code",
    filename: str | None = None,
) -> ImportReport:
    """Read GeoJSON, zipped Shapefile or CSV and report what importing it would do.

    ``crs`` is the staff's choice (used when the file states none); ``existing_keys`` are the
    codes (or names, with ``key_field='name'``) already in the database. With
    ``'code_or_name'`` a row without a code is keyed by ward and name, and the caller decides
    create or update (maps.geomatch).
    """
    name = filename or source_name(source)
    report = ImportReport(filename=name, kind=kind)
    try:
        data = read_bytes(source)
        report.format, records, declared = parse_source(data, name, kind)
        staff = parse_crs(crs) if crs not in (None, "") else None
        base = _base_crs(declared, staff, report)
    except (GeoImportError, CRSError) as exc:
        report.errors.append(str(exc))
        return report
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        # A file shaped in a way no check above foresaw: refuse it, never fail the request.
        logger.warning("geodata file %s could not be read", name, exc_info=exc)
        report.errors.append(f"Không đọc được tệp {name}: tệp sai định dạng hoặc bị hỏng.")
        return report
    existing = {normalize_key(key) for key in existing_keys}
    area = _as_area(district_boundary) if district_boundary is not None else None
    seen: dict[str, str] = {}
    for record in records:
        row = _build_row(record, kind, base, key_field, existing, seen, area)
        report.rows.append(row)
    used = sorted({row.source_crs for row in report.rows if row.source_crs})
    report.notes += [conversion_to_wgs84(code).describe() for code in used]
    if not any(not row.blank for row in report.rows):
        report.errors.append("Tệp không có dòng dữ liệu nào.")
    return report


# --- Rows ----------------------------------------------------------------------------------


def _base_crs(declared: Declared, staff: int | None, report: ImportReport) -> int | None:
    if declared.code is not None and staff is not None and declared.code != staff:
        raise CRSError(
            f"Tệp ghi hệ tọa độ EPSG:{declared.code} nhưng bạn chọn EPSG:{staff}: hãy kiểm tra "
            "lại và chọn đúng hệ của tệp."
        )
    if declared.note:
        report.notes.append(declared.note.capitalize() + ".")
    if declared.unknown is not None:
        if staff is None:
            raise CRSError(
                f"Không nhận ra hệ tọa độ {declared.unknown}. Hãy chọn hệ tọa độ khi nhập; các "
                f"hệ được chấp nhận: {accepted_crs_text()}."
            )
        report.notes.append(
            f"Không nhận ra hệ tọa độ {declared.unknown}; dùng hệ đã chọn EPSG:{staff}."
        )
        return staff
    base = declared.code or staff or declared.default
    if base is None and not declared.has_column:
        raise missing_crs_error()
    return base


def _build_row(
    record: Record,
    kind: Kind,
    base: int | None,
    key_field: str,
    existing: set[str],
    seen: dict[str, str],
    area: BaseGeometry | None,
) -> RowReport:
    row = RowReport(record.number, record.label, problems=list(record.problems))
    row.blank = record.blank
    if record.blank:
        return row
    row.attributes, row.warnings = extract_attributes(record.properties)
    row.invalid_geometry = any("hình học" in p or "vòng" in p for p in row.problems)
    try:
        row.source_crs = parse_crs(record.row_crs) if record.row_crs else base
        if row.source_crs is None:
            raise missing_crs_error()
    except CRSError as exc:
        row.problems.append(str(exc))
    if record.geometry is not None and not row.problems:
        _place(row, record.geometry, kind)
    if key_field == "code_or_name":
        attrs = row.attributes
        key = normalize_key(attrs.get("code")) or (
            normalize_key(f"{attrs.get('ward', '')}|{attrs.get('name', '')}")
            if attrs.get("name")
            else ""
        )
    else:
        key = normalize_key(row.attributes.get(key_field, ""))
    if not row.attributes.get("name"):
        row.problems.append("thiếu tên")
    if key_field == "code" and not key:
        row.problems.append("thiếu mã")
    elif key in seen:
        what = {"code": "mã", "name": "tên"}.get(key_field, "mã hoặc tên")
        row.problems.append(f"trùng {what} với {seen[key]}")
    elif key:
        seen[key] = record.label
    row.key = key
    if area is not None and row.geometry is not None and not _inside(area, row.geometry):
        row.outside_district = True
        row.problems.append("nằm ngoài ranh giới huyện")
    if not row.problems:
        row.action = "update" if key in existing else "create"
    return row


def _place(row: RowReport, geom: BaseGeometry, kind: Kind) -> None:
    import shapely
    from shapely.geometry import MultiPoint, mapping

    assert row.source_crs is not None
    if isinstance(geom, MultiPoint) and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    wanted = ("Point",) if kind == "points" else ("Polygon", "MultiPolygon")
    if geom.geom_type not in wanted:
        need = "một điểm (Point)" if kind == "points" else "một vùng (Polygon/MultiPolygon)"
        row.problems.append(f"cần {need}, nhưng gặp {geom.geom_type}")
        row.invalid_geometry = True
        return
    if geom.is_empty:
        row.problems.append("hình học rỗng")
        row.invalid_geometry = True
        return
    problem = validity_problem(geom)
    if problem:
        row.problems.append(problem)
        row.invalid_geometry = True
        return
    conversion = conversion_to_wgs84(row.source_crs)
    placed = place_in_vietnam(geom, conversion)
    if placed.geometry is None:
        row.problems.append(placed.problem or "tọa độ không hợp lệ")
        return
    wgs84 = placed.geometry
    if outside_area_of_use(wgs84, conversion):
        row.warnings.append(
            f"điểm nằm xa vùng dùng của EPSG:{row.source_crs}: kiểm tra lại múi chiếu"
        )
    if kind == "boundaries":
        wgs84 = orient_rfc7946(shapely.set_precision(wgs84, 10**-COORD_DECIMALS))
    row.geometry = _rounded(mapping(wgs84))


def _rounded(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _rounded(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        if node and isinstance(node[0], float | int):
            return [round(float(v), COORD_DECIMALS) for v in node]
        return [_rounded(value) for value in node]
    return node


def _as_area(boundary: BaseGeometry | Mapping[str, Any], tolerance_m: float = 0.0) -> Any:
    import shapely
    from shapely.geometry import shape

    area = shape(boundary) if isinstance(boundary, Mapping) else boundary
    if tolerance_m:
        area = area.buffer(tolerance_m / 111_320.0)  # metres to degrees, near enough here
    shapely.prepare(area)
    return area


def _inside(area: BaseGeometry, geometry: Mapping[str, Any]) -> bool:
    from shapely.geometry import shape

    geom = shape(geometry)
    probe = geom if geom.geom_type == "Point" else geom.representative_point()
    return bool(area.covers(probe))
