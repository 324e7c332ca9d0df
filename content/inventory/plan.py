"""Preview and carry out an import: row by row create / update / skip, with the reason.

The database is reached only through a `Store` (the Django layer implements it), so the whole
flow — two passes over a streamed file, all-or-nothing or good rows only — is tested without one.
Re-importing the same file finds every record unchanged and writes nothing.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol

from .columns import Layout, RecordKind
from .dating import Dating
from .images import ImageIndex
from .limits import Limits
from .readers import Inventory, Legacy, open_inventory
from .validate import CheckedRow, RowChecker, duplicate_message

Mode = Literal["all_or_nothing", "good_rows"]


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    SKIP = "skip"
    ERROR = "error"


ACTION_LABELS = {
    Action.CREATE: "Tạo mới",
    Action.UPDATE: "Cập nhật",
    Action.SKIP: "Bỏ qua",
    Action.ERROR: "Lỗi",
}


@dataclass(frozen=True)
class PlanItem:
    kind: RecordKind
    row: int
    key: tuple[str, ...]
    action: Action
    reason: str
    warnings: tuple[str, ...] = ()


class Store(Protocol):
    """What the import needs from the database."""

    def relic_codes(self) -> set[str]:
        """Codes of the relics already stored."""
        ...

    def existing(self, kind: RecordKind, key: tuple[str, ...]) -> Mapping[str, Any] | None:
        """The stored values (by column key, typed as `CheckedRow.data`) or None."""
        ...

    def review(self, layout: Layout, row: CheckedRow) -> None:
        """Checks only the database can make (ward, permissions, image names): may add errors
        and warnings to the row and put its values in the stored form."""
        ...

    def save(
        self,
        kind: RecordKind,
        key: tuple[str, ...],
        data: Mapping[str, Any],
        action: Action,
    ) -> None:
        """Create or update one record; relics are saved before what refers to them."""
        ...


def _same(old: Any, new: Any) -> bool:
    empty = (None, "", ())
    if old in empty and new in empty:
        return True
    if isinstance(old, Dating) or isinstance(new, Dating):
        return _dating_text(old) == _dating_text(new)
    if _is_number(old) and _is_number(new):
        # The database hands back Decimal('20.856123') for the float 20.856123.
        return math.isclose(float(old), float(new), rel_tol=1e-12, abs_tol=1e-9)
    if isinstance(old, list):
        old = tuple(old)
    return bool(old == new)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _dating_text(value: Any) -> str:
    return value.text if isinstance(value, Dating) else str(value or "")


def changed_columns(
    layout: Layout, data: Mapping[str, Any], existing: Mapping[str, Any]
) -> list[str]:
    """Labels of the columns whose new value differs from the stored one."""
    return [
        layout.column(k).label
        for k, v in data.items()
        if k not in layout.key and not _same(existing.get(k), v)
    ]


def plan_row(layout: Layout, row: CheckedRow, existing: Mapping[str, Any] | None) -> PlanItem:
    key = row.key(layout)
    warnings = tuple(row.warnings)
    if not row.ok:
        return PlanItem(layout.kind, row.number, key, Action.ERROR, " ".join(row.errors), warnings)
    if existing is None:
        return PlanItem(
            layout.kind,
            row.number,
            key,
            Action.CREATE,
            "Chưa có, sẽ tạo mới.",
            warnings,
        )
    changed = changed_columns(layout, row.data, existing)
    if not changed:
        return PlanItem(layout.kind, row.number, key, Action.SKIP, "Không thay đổi.", warnings)
    reason = "Thay đổi: " + ", ".join(changed) + "."
    return PlanItem(layout.kind, row.number, key, Action.UPDATE, reason, warnings)


@dataclass
class Preview:
    """The dry run: what would happen to each row, and what stops the file."""

    file_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    items: list[PlanItem] = field(default_factory=list)

    @property
    def counts(self) -> Counter[Action]:
        return Counter(item.action for item in self.items)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(i.action == Action.ERROR for i in self.items)

    def bad_rows(self) -> dict[tuple[RecordKind, int], str]:
        """Rows with an error, and why."""
        return {(i.kind, i.row): i.reason for i in self.items if i.action == Action.ERROR}

    def summary(self) -> str:
        counts = self.counts
        return ", ".join(f"{ACTION_LABELS[a]}: {counts.get(a, 0)}" for a in Action)


@dataclass(frozen=True)
class ImportOptions:
    kind: RecordKind | None = None
    encoding: str | None = None
    legacy: Legacy = "auto"
    mode: Mode = "all_or_nothing"
    images: ImageIndex | None = None
    limits: Limits | None = None  # None: the defaults of `Limits`


def _checked_rows(
    inventory: Inventory, store: Store, images: ImageIndex | None
) -> Iterator[tuple[RowChecker, CheckedRow]]:
    """Every row of every table, relics first, checked against the store and each other."""
    in_store = set(store.relic_codes())
    known, failed = set(in_store), set()
    for table in inventory.tables:
        if table.errors:
            continue
        checker = RowChecker(table, known_relic_codes=known, failed_relic_codes=failed)
        good: set[str] = set()
        bad: set[str] = set()
        for raw in table.rows():
            row = checker.check(raw)
            if images is not None and row.data.get("anh"):
                row.warnings.extend(images.problems(row.data["anh"]))
            store.review(checker.layout, row)
            if table.kind == RecordKind.RELIC and row.data.get("ma_di_tich"):
                (good if row.ok else bad).add(row.data["ma_di_tich"])
            yield checker, row
        if table.kind == RecordKind.RELIC:
            # Artifacts may name relics of this same file, unless those rows are in error.
            bad |= {key[0] for key in checker.duplicate_keys()}
            known |= good - bad
            failed |= bad - in_store


PROGRESS_EVERY = 500  # rows between two progress reports of a preview


def preview_import(
    path: str | Path,
    store: Store,
    options: ImportOptions,
    progress: Callable[[int, int | None], None] | None = None,
) -> Preview:
    """Pass one: read and check everything, plan each row, write nothing.

    ``progress(rows_read, rows_expected)`` is called every few hundred rows (the expected count
    is known for an XLSX, from the scan that checked its limits; None for a CSV).
    """
    preview = Preview()
    with _open(path, options) as inventory:
        preview.file_errors.extend(inventory.errors)
        preview.notes.extend(inventory.notes)
        for table in inventory.tables:
            preview.notes.extend(table.notes)
        where: dict[tuple[RecordKind, int], int] = {}
        checkers: list[RowChecker] = []
        for checker, row in _checked_rows(inventory, store, options.images):
            if not checkers or checkers[-1] is not checker:
                checkers.append(checker)
            layout = checker.layout
            existing = store.existing(layout.kind, row.key(layout)) if row.ok else None
            where[(layout.kind, row.number)] = len(preview.items)
            preview.items.append(plan_row(layout, row, existing))
            if progress and len(preview.items) % PROGRESS_EVERY == 0:
                progress(len(preview.items), inventory.rows_estimate)
        for checker in checkers:
            _mark_first_duplicates(preview, checker, where)
    return preview


def _open(path: str | Path, options: ImportOptions) -> Inventory:
    return open_inventory(
        path,
        kind=options.kind,
        encoding=options.encoding,
        legacy=options.legacy,
        limits=options.limits,
    )


def _mark_first_duplicates(
    preview: Preview, checker: RowChecker, where: dict[tuple[RecordKind, int], int]
) -> None:
    """A duplicate names both rows: the later one at once, the first one here afterwards."""
    layout = checker.layout
    for first, later in checker.duplicates.items():
        index = where[(layout.kind, first)]
        item = preview.items[index]
        message = duplicate_message(layout, item.key, later)
        reason = message if item.action != Action.ERROR else f"{item.reason} {message}"
        preview.items[index] = PlanItem(
            item.kind, item.row, item.key, Action.ERROR, reason, item.warnings
        )


@dataclass
class ImportResult:
    preview: Preview
    written: Counter[Action] = field(default_factory=Counter)
    rejected: list[tuple[RecordKind, dict[str, Any], list[str]]] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return bool(self.written)


def run_import(
    path: str | Path, store: Store, options: ImportOptions, *, dry_run: bool = False
) -> ImportResult:
    """Preview, then (unless dry run or blocked) pass two: save the rows that are good.

    All-or-nothing (the default) writes nothing if any row or the file has an error; the caller
    wraps the call in one database transaction so a crash half-way leaves nothing either.
    """
    preview = preview_import(path, store, options)
    result = ImportResult(preview)
    if dry_run or preview.file_errors:
        return result
    if options.mode == "all_or_nothing" and not preview.ok:
        return result
    bad = preview.bad_rows()
    with _open(path, options) as inventory:
        for checker, row in _checked_rows(inventory, store, options.images):
            layout = checker.layout
            if (layout.kind, row.number) in bad:
                errors = row.errors or [bad[(layout.kind, row.number)]]
                result.rejected.append((layout.kind, dict(row.raw), errors))
                continue
            key = row.key(layout)
            item = plan_row(layout, row, store.existing(layout.kind, key))
            if item.action in (Action.CREATE, Action.UPDATE):
                store.save(layout.kind, key, row.data, item.action)
                result.written[item.action] += 1
    return result
