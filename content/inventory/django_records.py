"""Database rows ↔ inventory records (typed values by column key), for comparison and export.

The Django side of the layout: which model field each column fills, how stored images are named
in a spreadsheet, and streaming the stored records out in the import layout.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from content.inventory.columns import LAYOUTS, Column, RecordKind
from content.inventory.dating import Dating
from content.text import fold

IMAGE_SEPARATORS = re.compile(r"[;,\n]")
# Ward titles are stored without "Phường", "Xã", "Thị trấn"; spreadsheets often add them.
_WARD_PREFIXES = ("phuong ", "xa ", "thi tran ", "p. ", "p.", "x. ")
CHUNK = 2000


def image_name(title: str, file_name: str) -> str:
    """How a spreadsheet names a stored image: its title, or its file name when the title
    holds a character that separates names in a cell."""
    if title and not IMAGE_SEPARATORS.search(title):
        return title
    return posixpath.basename(file_name or "")


def ward_key(text: str) -> str:
    """ "Phường Đông Khê", "P. Đông Khê" and "đông khê" all give "dong khe"."""
    folded = fold(text)
    for prefix in _WARD_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


def model_for(kind: RecordKind):
    from content.models import Artifact, Inscription, RelicPage

    return {
        RecordKind.RELIC: RelicPage,
        RecordKind.ARTIFACT: Artifact,
        RecordKind.INSCRIPTION: Inscription,
    }[kind]


def value_columns(kind: RecordKind) -> list[Column]:
    """Columns stored in one model field each (images and relic links are handled apart)."""
    return [c for c in LAYOUTS[kind].columns if c.field and c.type != "images"]


def image_columns(kind: RecordKind) -> list[Column]:
    return [c for c in LAYOUTS[kind].columns if c.type == "images"]


def image_field_ids(kind: RecordKind, values: dict[str, Any]) -> dict[str, list[int]]:
    """Stored image ids per image column; an artifact's first image, then its other images."""
    found: dict[str, list[int]] = {}
    for column in image_columns(kind):
        ids = [values.get(f"{column.field}_id")]
        if kind == RecordKind.ARTIFACT:
            ids += extra_image_ids(values.get("more_images"))
        found[column.key] = [i for i in ids if i]
    return found


def extra_image_ids(raw: Any) -> list[int]:
    """Image ids in an artifact's `more_images`, whatever form the database hands back."""
    if raw is None or raw == "":
        return []
    if hasattr(raw, "raw_data"):
        raw = list(raw.raw_data)
    elif isinstance(raw, str):
        raw = json.loads(raw)
    return [int(b["value"]) for b in raw if isinstance(b, dict) and b.get("value")]


def cell_value(column: Column, value: Any) -> Any:
    """A model field value as the import's typed value for the column."""
    if value is None:
        return None
    if column.type in ("lat", "lon", "float"):
        return float(value)
    return value


def field_value(column: Column, value: Any, model: Any) -> Any:
    """A typed import value as what the model field stores."""
    field = model._meta.get_field(column.field)
    if column.type == "dating":
        return value.text if isinstance(value, Dating) else (value or "")
    if column.type in ("lat", "lon", "float"):
        return None if value is None else Decimal(f"{value:.6f}")
    if column.type == "date":
        return value
    if value is None or value == "":
        if column.type == "choice" and not field.blank:
            return field.default
        return None if field.null else ""
    return value


class ImageNames:
    """Image id → spreadsheet name, loaded in batches and bounded in size."""

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self.names: OrderedDict[int, str] = OrderedDict()

    def load(self, ids: Iterable[int]) -> None:
        from wagtail.images import get_image_model

        missing = {i for i in ids if i and i not in self.names}
        if not missing:
            return
        rows = get_image_model().objects.filter(pk__in=missing).values_list("pk", "title", "file")
        for pk, title, file_name in rows:
            self.names[pk] = image_name(title, file_name)
        while len(self.names) > self.limit:
            self.names.popitem(last=False)

    def name(self, image_id: int) -> str | None:
        if image_id not in self.names:
            self.load([image_id])
        return self.names.get(image_id)

    def remember(self, image_id: int, name: str) -> None:
        self.names[image_id] = name


def record_from_values(
    kind: RecordKind, values: dict[str, Any], relic_code: str, names: ImageNames, ward: str = ""
) -> dict[str, Any]:
    """A stored row (from `.values()` or a revision) as the import's record."""
    record: dict[str, Any] = {"ma_di_tich": relic_code}
    for column in value_columns(kind):
        record[column.key] = cell_value(column, values.get(column.field))
    for key, ids in image_field_ids(kind, values).items():
        record[key] = tuple(n for n in (names.name(i) for i in ids) if n)
    if kind == RecordKind.RELIC:
        record["phuong_xa"] = ward
    return record


def value_fields(kind: RecordKind) -> list[str]:
    """The `.values()` fields a record is built from."""
    fields = ["pk", *(c.field for c in value_columns(kind))]
    fields += [f"{c.field}_id" for c in image_columns(kind)]
    if kind == RecordKind.ARTIFACT:
        fields.append("more_images")
    if kind == RecordKind.RELIC:
        fields += ["relic_code", "path", "live", "live_revision_id", "latest_revision_id"]
    else:
        fields += ["relic_id", "sort_order"]
    return fields


def has_pending_draft(values: dict[str, Any]) -> bool:
    """The page's latest revision is not what the row holds (a draft waits for review)."""
    latest = values.get("latest_revision_id")
    return bool(latest) and (not values.get("live") or latest != values.get("live_revision_id"))


def draft_values(values: dict[str, Any]) -> dict[str, Any]:
    """A relic's row values overlaid with its latest revision, read from the revision's JSON."""
    from wagtail.models import Revision

    from content.models import RelicPage

    content = Revision.objects.filter(pk=values["latest_revision_id"]).values_list(
        "content", flat=True
    )
    content = next(iter(content), None)
    if not content:
        return values
    merged = dict(values)
    for name in value_fields(RecordKind.RELIC):
        if name in ("pk", "path", "live", "live_revision_id", "latest_revision_id"):
            continue
        field_name = name.removesuffix("_id")
        if field_name not in content:
            continue
        field = RelicPage._meta.get_field(field_name)
        raw = content[field_name]
        merged[name] = raw if field.remote_field else field.to_python(raw)
    return merged


def wards_by_path() -> dict[str, tuple[int, str]]:
    """Ward pages of the default locale by tree path: (id, title)."""
    from wagtail.models import Locale

    from content.models import WardPage

    rows = WardPage.objects.filter(locale=Locale.get_default()).values_list("path", "pk", "title")
    return {path: (pk, title) for path, pk, title in rows}


def relic_rows() -> Iterator[dict[str, Any]]:
    """Every relic of the default locale as row values (its pending draft, if any), tree order."""
    from wagtail.models import Locale

    from content.models import RelicPage

    qs = (
        RelicPage.objects.filter(locale=Locale.get_default())
        .order_by("path")
        .values(*value_fields(RecordKind.RELIC))
    )
    for values in qs.iterator(chunk_size=CHUNK):
        yield draft_values(values) if has_pending_draft(values) else values


def relic_records(names: ImageNames | None = None) -> Iterator[dict[str, Any]]:
    names = names or ImageNames()
    wards = wards_by_path()
    step = 4  # treebeard's path step length
    for values in relic_rows():
        ward = wards.get(values["path"][:-step], (None, ""))[1]
        yield record_from_values(RecordKind.RELIC, values, values["relic_code"], names, ward)


def child_records(kind: RecordKind, names: ImageNames | None = None) -> Iterator[dict[str, Any]]:
    """Artifacts or inscriptions of the default locale's relics, relic by relic, streamed."""
    from wagtail.models import Locale

    names = names or ImageNames()
    qs = (
        model_for(kind)
        .objects.filter(relic__locale=Locale.get_default())
        .order_by("relic__path", "sort_order", "pk")
        .values(*value_fields(kind), "relic__relic_code")
    )
    batch: list[dict[str, Any]] = []
    for values in qs.iterator(chunk_size=CHUNK):
        batch.append(values)
        if len(batch) >= CHUNK:
            yield from _records_of(kind, batch, names)
            batch = []
    yield from _records_of(kind, batch, names)


def _records_of(
    kind: RecordKind, batch: list[dict[str, Any]], names: ImageNames
) -> Iterator[dict[str, Any]]:
    names.load(i for values in batch for ids in image_field_ids(kind, values).values() for i in ids)
    for values in batch:
        yield record_from_values(kind, values, values["relic__relic_code"], names)


def records(kind: RecordKind) -> Iterator[dict[str, Any]]:
    return relic_records() if kind == RecordKind.RELIC else child_records(kind)
