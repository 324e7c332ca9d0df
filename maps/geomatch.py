"""Which relic or ward each imported row changes: pure matching against what the site holds.

Points match a relic by code, else by name within the row's ward; a new relic needs a ward, from
the ward column or from the ward boundary the point falls in. Boundaries match a ward by code,
else by name. Rows that cannot be matched get a problem (Vietnamese), as the dry run reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from content.text import fold_key
from maps.geoattrs import normalize_key
from maps.geoimport import ImportReport, RowReport


@dataclass(frozen=True, eq=False)
class KnownWard:
    id: int
    name: str
    code: str = ""
    slug: str = ""
    geometry: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class KnownRelic:
    id: int
    name: str
    code: str = ""
    ward_id: int | None = None


class _Wards:
    def __init__(self, wards: Iterable[KnownWard]) -> None:
        from shapely import prepare
        from shapely.geometry import shape

        self.by_id = {w.id: w for w in wards}
        self.by_key: dict[str, list[KnownWard]] = defaultdict(list)
        for ward in self.by_id.values():
            keys = {normalize_key(ward.name), normalize_key(ward.code), ward.slug.casefold()}
            # "Phường Đông Khê" and "Đông Khê" name the same ward.
            keys.add(normalize_key(_without_kind(ward.name)))
            keys |= {fold_key(key) for key in keys}  # "Dong Khe" typed without diacritics
            for key in keys - {""}:
                self.by_key[key].append(ward)
        self.shapes = []
        for ward in self.by_id.values():
            if ward.geometry:
                area = shape(ward.geometry)
                prepare(area)
                self.shapes.append((ward, area))

    def named(self, text: str) -> list[KnownWard]:
        found: list[KnownWard] = []
        for key in (normalize_key(text), normalize_key(_without_kind(text))):
            found = found or self.by_key.get(key) or self.by_key.get(fold_key(key)) or []
        return list(dict.fromkeys(found))

    def containing(self, geometry: Mapping[str, Any]) -> list[KnownWard]:
        from shapely.geometry import shape

        point = shape(geometry)
        return [ward for ward, area in self.shapes if area.covers(point)]


def _without_kind(name: str) -> str:
    folded = fold_key(name)
    for prefix in ("phuong_", "xa_", "thi_tran_", "p_"):
        if folded.startswith(prefix):
            words = name.split()
            drop = 2 if prefix == "thi_tran_" else 1
            return " ".join(words[drop:])
    return name


def _importable(report: ImportReport) -> list[RowReport]:
    return [row for row in report.rows if not row.blank and not row.problems]


def _refuse(row: RowReport, problem: str) -> None:
    row.problems.append(problem)
    row.action = "skip"


def match_points(
    report: ImportReport, relics: Sequence[KnownRelic], wards: Sequence[KnownWard]
) -> None:
    """Set each good row's action, relic (update) or ward (create); refuse ambiguous rows."""
    index = _Wards(wards)
    by_code = {normalize_key(r.code): r for r in relics if r.code}
    by_name: dict[tuple[int | None, str], list[KnownRelic]] = defaultdict(list)
    for relic in relics:
        by_name[(relic.ward_id, normalize_key(relic.name))].append(relic)
        by_name[(None, normalize_key(relic.name))].append(relic)
    for row in _importable(report):
        attrs = row.attributes
        ward = None
        if attrs.get("ward"):
            named = index.named(attrs["ward"])
            if not named:
                _refuse(row, f"không có phường/xã «{attrs['ward']}» trên trang")
                continue
            ward = named[0]
        elif row.geometry is not None:
            inside = index.containing(row.geometry)
            ward = inside[0] if len(inside) == 1 else None
        relic = by_code.get(normalize_key(attrs.get("code")))
        if relic is None:
            same = by_name.get((ward.id if ward else None, normalize_key(attrs["name"])), [])
            if len(same) > 1:
                where = f" ở {ward.name}" if ward else ""
                _refuse(
                    row,
                    f"có {len(same)} di tích tên «{attrs['name']}»{where}: thêm mã để phân biệt",
                )
                continue
            relic = same[0] if same else None
        if relic is not None:
            row.action, row.target_id = "update", relic.id
            if ward is not None and relic.ward_id not in (None, ward.id):
                home = index.by_id.get(relic.ward_id)
                where = home.name if home else "phường khác"
                row.warnings.append(f"di tích thuộc {where}, không chuyển phường")
        elif ward is None:
            _refuse(row, "không rõ thuộc phường/xã nào: thêm cột phường/xã")
            continue
        else:
            row.action, row.ward_id = "create", ward.id
        home = index.by_id.get(relic.ward_id) if relic is not None else ward
        if home is not None and home.geometry and row.geometry is not None:
            if home not in index.containing(row.geometry):
                row.warnings.append(f"điểm nằm ngoài ranh giới {home.name}")


def match_boundaries(
    report: ImportReport, wards: Sequence[KnownWard], with_boundary: Iterable[int]
) -> None:
    """Attach each good row to a ward page (by code, else name); update if it has an outline."""
    index = _Wards(wards)
    existing = set(with_boundary)
    taken: dict[int, str] = {}
    for row in _importable(report):
        attrs = row.attributes
        named = []
        for text in (attrs.get("code"), attrs.get("name"), attrs.get("ward")):
            if text and not named:
                named = index.named(text)
        if not named:
            _refuse(
                row,
                f"không có phường/xã «{attrs.get('name') or attrs.get('code')}» trên trang: "
                "tạo trang phường/xã trước",
            )
            continue
        if len(named) > 1:
            _refuse(row, f"«{attrs.get('name')}» khớp {len(named)} phường/xã: thêm mã để phân biệt")
            continue
        ward = named[0]
        if ward.id in taken:
            _refuse(row, f"{ward.name} đã có ranh giới ở {taken[ward.id]}")
            continue
        taken[ward.id] = row.label
        row.target_id = ward.id
        row.action = "update" if ward.id in existing else "create"
