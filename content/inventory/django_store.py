"""The import's `Store` over the database: relic pages, their artifacts and inscriptions, images.

Decisions (docs/inventory.md, "Ghi vào hệ thống"):
- Relics are matched by relic code in the default locale. New relics become draft pages under
  the ward named in "Phường/xã", for reviewers to publish. Changes to an existing relic are saved
  as a new revision, published at once when the relic is live, has no draft waiting and the
  importer may publish; otherwise they stay in a draft revision.
- Artifacts and inscriptions are rows keyed by relic: written in bulk (chunks of 500), then each
  touched relic gets ONE new revision, so its history shows the import.
- Images named in a row: see `django_images.ImageResolver`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Max

from content.inventory.columns import Layout, RecordKind
from content.inventory.django_images import ImageResolver
from content.inventory.django_records import (
    ImageNames,
    draft_values,
    field_value,
    has_pending_draft,
    image_columns,
    model_for,
    record_from_values,
    value_columns,
    value_fields,
    ward_key,
    wards_by_path,
)
from content.inventory.images import ImageIndex
from content.inventory.plan import Action
from content.inventory.validate import CheckedRow

BATCH = 500
CACHE_ROWS = 20_000  # stored artifacts/inscriptions kept in memory for comparison (~30 MB)
PATH_STEP = 4  # treebeard's path step length


class DjangoStore:
    """Implements `content.inventory.plan.Store`; call `finish()` inside the same transaction."""

    def __init__(
        self,
        *,
        user: Any = None,
        images: ImageIndex | None = None,
        progress: Callable[[int], None] | None = None,
        cache_rows: int | None = None,
    ) -> None:
        from wagtail.models import Locale

        from content.models import RelicPage

        self.user = user
        self.progress = progress
        self.cache_rows = cache_rows or CACHE_ROWS
        self.locale = Locale.get_default()
        self.names = ImageNames()
        self.pictures = ImageResolver(images, self.names, user)
        self.relics: dict[str, list[dict[str, Any]]] = {}
        qs = RelicPage.objects.filter(locale=self.locale).exclude(relic_code="")
        for values in qs.values(*value_fields(RecordKind.RELIC)):
            self.relics.setdefault(values["relic_code"], []).append(values)
        self.wards = wards_by_path()
        self.ward_keys: dict[str, list[str]] = {}
        from content.models import WardPage

        codes = dict(WardPage.objects.filter(locale=self.locale).values_list("path", "ward_code"))
        for path, (_pk, title) in self.wards.items():
            for key in {ward_key(title), ward_key(codes.get(path) or "")} - {""}:
                self.ward_keys.setdefault(key, []).append(path)
        self._relic_records: dict[int, dict[str, Any]] = {}
        self._children: OrderedDict[tuple[RecordKind, int], dict[str, dict[str, Any]]] = (
            OrderedDict()
        )
        self._cached = 0
        self._dropped: set[tuple[RecordKind, int]] = set()
        self._last: tuple[Any, ...] = (None, None, None, None)
        self._next_sort: dict[tuple[RecordKind, int], int] = {}
        self._creates: dict[RecordKind, list[Any]] = {}
        self._updates: dict[RecordKind, list[Any]] = {}
        self._ward_pages: dict[str, Any] = {}
        self._slugs: dict[str, set[str]] = {}
        self._perms: list[tuple[str, str]] | None = None
        self.touched: dict[int, dict[RecordKind, set[str]]] = {}
        self.relic_changes: dict[int, dict[str, Any]] = {}
        self.created_relics: set[int] = set()
        self.saved = 0

    # -- permissions -------------------------------------------------------------------------

    def _actions(self, path: str) -> set[str]:
        """What the importer may do at a page path: add, change, publish (all for no user)."""
        if self.user is None or self.user.is_superuser:
            return {"add", "change", "publish"}
        if self._perms is None:
            from wagtail.permissions import page_permission_policy

            cached = page_permission_policy.get_cached_permissions_for_user(self.user)
            self._perms = [(p.page.path, p.permission.codename.rsplit("_", 1)[0]) for p in cached]
        return {action for prefix, action in self._perms if path.startswith(prefix)}

    # -- Store protocol ----------------------------------------------------------------------

    def relic_codes(self) -> set[str]:
        return set(self.relics)

    def existing(self, kind: RecordKind, key: tuple[str, ...]) -> Mapping[str, Any] | None:
        rows = self.relics.get(key[0])
        if not rows:
            return None
        relic = rows[0]
        if kind == RecordKind.RELIC:
            return self._relic_record(relic)
        values = self._stored_row(kind, relic["pk"], key[1])
        if values is None:
            return None
        return record_from_values(kind, values, key[0], self.names)

    def review(self, layout: Layout, row: CheckedRow) -> None:
        if not row.ok:
            return
        kind = layout.kind
        rows = self.relics.get(row.data.get("ma_di_tich") or "", [])
        if len(rows) > 1:
            row.errors.append(
                f"Mã di tích “{row.data['ma_di_tich']}” đang dùng cho {len(rows)} di tích trong "
                "hệ thống; hãy sửa trong trang quản trị để mỗi di tích một mã."
            )
            return
        if kind == RecordKind.RELIC:
            self._review_relic(row, rows[0] if rows else None)
        elif rows:
            self._review_child_rights(row, rows[0])
        for column in layout.columns:
            if column.type == "choice" and column.key in row.data:
                row.data[column.key] = field_value(column, row.data[column.key], model_for(kind))
        self.pictures.review(kind, row)

    def _review_child_rights(self, row: CheckedRow, relic: dict[str, Any]) -> None:
        """Rows of a live relic show at once, so they need the right to publish it."""
        actions = self._actions(relic["path"])
        code = row.data["ma_di_tich"]
        if "change" not in actions:
            row.errors.append(f"Bạn không có quyền sửa di tích “{code}”.")
        elif relic.get("live") and "publish" not in actions:
            row.errors.append(
                f"Di tích “{code}” đang xuất bản: hiện vật, di văn nhập qua tệp hiện ra ngay nên "
                "cần quyền xuất bản. Hãy nhờ người duyệt nhập tệp, hoặc sửa trong trang di tích."
            )

    def save(
        self, kind: RecordKind, key: tuple[str, ...], data: Mapping[str, Any], action: Action
    ) -> None:
        if kind == RecordKind.RELIC:
            if action == Action.CREATE:
                self._create_relic(key[0], data)
            else:
                self._update_relic(key[0], data)
        else:
            self._save_child(kind, key, data, action)
        self.saved += 1
        if self.progress and self.saved % 200 == 0:
            self.progress(self.saved)

    # -- relics ------------------------------------------------------------------------------

    def _relic_record(self, values: dict[str, Any]) -> dict[str, Any]:
        pk = values["pk"]
        if pk not in self._relic_records:
            shown = draft_values(values) if has_pending_draft(values) else values
            ward = self.wards.get(values["path"][:-PATH_STEP], (None, ""))[1]
            record = record_from_values(RecordKind.RELIC, shown, values["relic_code"], self.names)
            record["phuong_xa"] = ward
            self._relic_records[pk] = record
        return self._relic_records[pk]

    def _review_relic(self, row: CheckedRow, current: dict[str, Any] | None) -> None:
        data = row.data
        if current is not None:
            ward_path = current["path"][:-PATH_STEP]
            title = self.wards.get(ward_path, (None, ""))[1]
            wanted = data.get("phuong_xa")
            if wanted and ward_path not in self.ward_keys.get(ward_key(wanted), []):
                row.warnings.append(
                    f"Di tích đang thuộc {title}; nhập tệp không chuyển di tích sang “{wanted}” "
                    "(hãy chuyển trong trang quản trị)."
                )
            if "phuong_xa" in data:
                data["phuong_xa"] = title
            if "change" not in self._actions(current["path"]):
                row.errors.append(f"Bạn không có quyền sửa di tích “{data['ma_di_tich']}”.")
            return
        wanted = data.get("phuong_xa") or ""
        paths = self.ward_keys.get(ward_key(wanted), []) if wanted else []
        if not wanted and len(self.wards) == 1:
            paths = list(self.wards)
        if not paths:
            known = ", ".join(sorted(title for _pk, title in self.wards.values())) or "chưa có"
            if wanted:
                row.errors.append(f"Không có phường/xã “{wanted}” trong hệ thống (có: {known}).")
            else:
                row.errors.append(
                    f"Thiếu Phường/xã: cần biết di tích mới thuộc phường/xã nào (có: {known})."
                )
            return
        if len(paths) > 1:
            row.errors.append(f"Có nhiều phường/xã tên “{wanted}”; hãy ghi mã đơn vị hành chính.")
            return
        data["phuong_xa"] = self.wards[paths[0]][1]
        if "add" not in self._actions(paths[0]):
            row.errors.append(f"Bạn không có quyền thêm di tích ở {data['phuong_xa']}.")

    def _relic_fields(self, data: Mapping[str, Any]) -> dict[str, Any]:
        from content.models import RelicPage

        fields = {
            c.field: field_value(c, data[c.key], RelicPage)
            for c in value_columns(RecordKind.RELIC)
            if c.key in data
        }
        if "anh" in data:
            ids = self.pictures.ids(data["anh"], [])
            fields["hero_image_id"] = ids[0] if ids else None
        return fields

    def _create_relic(self, code: str, data: Mapping[str, Any]) -> None:
        from wagtail.log_actions import log

        from content.models import RelicPage
        from content.text import vietnamese_slugify

        path = next(p for p, (_pk, t) in self.wards.items() if t == data["phuong_xa"])
        ward = self._ward_page(path)
        fields = self._relic_fields(data)
        page = RelicPage(relic_code=code, live=False, has_unpublished_changes=True, **fields)
        page.owner = self.user
        slugs = self._slugs[path]
        base = vietnamese_slugify(page.title) or vietnamese_slugify(code) or "di-tich"
        slug, n = base, 1
        while slug in slugs:
            n += 1
            slug = f"{base}-{vietnamese_slugify(code)}" if n == 2 else f"{base}-{n}"
        page.slug = slug
        slugs.add(slug)
        ward.add_child(instance=page)
        log(instance=page, action="wagtail.create", user=self.user)
        values = {"pk": page.pk, "path": page.path, "live": False, "relic_code": code}
        self.relics[code] = [values]
        self.created_relics.add(page.pk)
        self.touched.setdefault(page.pk, {})

    def _ward_page(self, path: str) -> Any:
        from content.models import WardPage

        if path not in self._ward_pages:
            ward = WardPage.objects.get(path=path)
            self._ward_pages[path] = ward
            self._slugs[path] = set(ward.get_children().values_list("slug", flat=True))
        return self._ward_pages[path]

    def _update_relic(self, code: str, data: Mapping[str, Any]) -> None:
        pk = self.relics[code][0]["pk"]
        fields = self._relic_fields({k: v for k, v in data.items() if k != "phuong_xa"})
        self.relic_changes.setdefault(pk, {}).update(fields)
        self.touched.setdefault(pk, {})
        self._relic_records.pop(pk, None)

    # -- artifacts and inscriptions ----------------------------------------------------------

    def _stored_row(self, kind: RecordKind, relic_id: int, number: str) -> dict[str, Any] | None:
        """A stored artifact or inscription: relics are read whole and cached (least recently
        used dropped first); a relic dropped once is then read row by row, so a file that jumps
        between relics does not read them again and again."""
        key = (kind, relic_id)
        if key in self._children:
            self._children.move_to_end(key)
            return self._children[key].get(number)
        qs = model_for(kind).objects.filter(relic_id=relic_id)
        if key in self._dropped:
            if self._last[:3] != (kind, relic_id, number):
                values = qs.filter(inventory_number=number).values(*value_fields(kind)).first()
                self.names.load(self._image_ids_of(kind, values) if values else [])
                self._last = (kind, relic_id, number, values)
            return self._last[3]
        rows = {
            v["inventory_number"]: v
            for v in qs.exclude(inventory_number="").values(*value_fields(kind))
        }
        self.names.load(i for v in rows.values() for i in self._image_ids_of(kind, v))
        self._children[key] = rows
        self._cached += len(rows)
        while self._cached > self.cache_rows and len(self._children) > 1:
            old, dropped = self._children.popitem(last=False)
            self._cached -= len(dropped)
            self._dropped.add(old)
        return rows.get(number)

    @staticmethod
    def _image_ids_of(kind: RecordKind, values: dict[str, Any]) -> list[int]:
        from content.inventory.django_records import image_field_ids

        return [i for ids in image_field_ids(kind, values).values() for i in ids]

    def _next_sort_order(self, kind: RecordKind, relic_id: int) -> int:
        key = (kind, relic_id)
        if key not in self._next_sort:
            top = model_for(kind).objects.filter(relic_id=relic_id).aggregate(m=Max("sort_order"))
            self._next_sort[key] = (top["m"] if top["m"] is not None else -1) + 1
        self._next_sort[key] += 1
        return self._next_sort[key] - 1

    def _save_child(
        self, kind: RecordKind, key: tuple[str, ...], data: Mapping[str, Any], action: Action
    ) -> None:
        from wagtail.fields import StreamValue

        from content.models.base import normalize_instance_text

        model = model_for(kind)
        relic_id = self.relics[key[0]][0]["pk"]
        if action == Action.UPDATE:
            values = self._stored_row(kind, relic_id, key[1])
            obj = model(
                pk=values["pk"],
                relic_id=relic_id,
                sort_order=values["sort_order"],
                **{f: values[f] for f in value_fields(kind) if f not in _NOT_ATTRS},
            )
        else:
            obj = model(relic_id=relic_id, sort_order=self._next_sort_order(kind, relic_id))
        for column in value_columns(kind):
            if column.key in data:
                setattr(obj, column.field, field_value(column, data[column.key], model))
        obj.inventory_number = key[1]
        for column in image_columns(kind):
            if column.key not in data:
                continue
            current = self._image_ids_of(kind, values) if action == Action.UPDATE else []
            ids = self.pictures.ids(data[column.key], current)
            setattr(obj, f"{column.field}_id", ids[0] if ids else None)
            if kind == RecordKind.ARTIFACT:
                raw = [{"type": "image", "value": i} for i in ids[1:]]
                obj.more_images = StreamValue(
                    model._meta.get_field("more_images").stream_block, raw, is_lazy=True
                )
        normalize_instance_text(obj)
        obj.search_key = obj.search_text()
        obj.set_dating_years()
        target = self._creates if action == Action.CREATE else self._updates
        target.setdefault(kind, []).append(obj)
        if len(target[kind]) >= BATCH:
            self._flush(kind)
        # The cached rows of this relic are not refreshed: a key comes once in a file (a second
        # one is a duplicate error), so nothing asks for this row again in this import.
        numbers = self.touched.setdefault(relic_id, {}).setdefault(kind, set())
        if has_pending_draft(self.relics[key[0]][0]):  # numbers kept only to merge into a draft
            numbers.add(key[1])

    def _flush(self, kind: RecordKind | None = None) -> None:
        for k in [kind] if kind else list(RecordKind):
            model = model_for(k) if k != RecordKind.RELIC else None
            if model is None:
                continue
            if self._creates.get(k):
                model.objects.bulk_create(self._creates[k], batch_size=BATCH)
                self._creates[k] = []
            if self._updates.get(k):
                fields = _update_fields(k)
                model.objects.bulk_update(self._updates[k], fields, batch_size=BATCH)
                self._updates[k] = []

    def discard_files(self) -> None:
        """Remove image files written by an import that was rolled back."""
        self.pictures.discard_files()

    # -- the end: one revision per touched relic ---------------------------------------------

    def finish(self) -> None:
        """Write what is buffered, then one revision per touched relic (published if allowed)."""
        self._flush()
        for relic_id in sorted(self.touched):
            self._finish_relic(relic_id)

    def _finish_relic(self, relic_id: int) -> None:
        from content.models import RelicPage

        page = RelicPage.objects.get(pk=relic_id)
        changes = self.relic_changes.get(relic_id, {})
        values = {
            "live": page.live,
            "live_revision_id": page.live_revision_id,
            "latest_revision_id": page.latest_revision_id,
        }
        if relic_id not in self.created_relics and has_pending_draft(values):
            # A draft waits for review: this import's changes join it, the draft stays a draft.
            draft = page.get_latest_revision_as_object()
            for name, value in changes.items():
                setattr(draft, name, value)
            self._merge_children(draft, relic_id)
            self._record_revision(page, draft, publish=False, row_changes={})
            return
        for name, value in changes.items():
            setattr(page, name, value)
        page.set_dating_years()
        publish = page.live and "publish" in self._actions(page.path)
        if changes:
            changes = {**changes, "year_from": page.year_from, "year_to": page.year_to}
        # The row of a live relic changes only when it is published; a draft relic's row always.
        row_changes = changes if (publish or not page.live) else {}
        self._record_revision(page, page, publish=publish, row_changes=row_changes)

    def _record_revision(
        self, page: Any, content: Any, *, publish: bool, row_changes: dict[str, Any]
    ) -> None:
        """What "save draft" or "publish" in the editor records, with one write of the page row.

        Wagtail's own publish re-saves every artifact one by one (and re-indexes the page for
        each); here the rows are already written, so the revision is marked live directly, the
        log and the `page_published` signal are the editor's, and the search and reference
        indexes are updated once.
        """
        from django.utils import timezone
        from modelsearch.tasks import insert_or_update_object_task
        from wagtail.log_actions import log
        from wagtail.models import Revision
        from wagtail.signals import page_published
        from wagtail.tasks import update_reference_index_task

        from content.models import RelicPage

        revision = Revision.objects.create(
            content_object=content,
            base_content_type=page.get_base_content_type(),
            user=self.user,
            content=content.serializable_data(),
            object_str=str(content),
        )
        updates = {
            **row_changes,
            "latest_revision": revision,
            "latest_revision_created_at": revision.created_at,
            "draft_title": content.title,
            "has_unpublished_changes": not publish,
        }
        if publish:
            now = timezone.now()
            updates.update(live_revision=revision, last_published_at=now, live=True)
            if page.first_published_at is None:
                updates["first_published_at"] = now
        # A queryset update sends no signals: the indexes are brought up to date below, once.
        RelicPage.objects.filter(pk=page.pk).update(**updates)
        for name, value in updates.items():
            setattr(page, name, value)
        log(instance=page, action="wagtail.edit", user=self.user, revision=revision)
        if publish:
            log(instance=page, action="wagtail.publish", user=self.user, revision=revision)
            page_published.send(sender=RelicPage, instance=page, revision=revision)
        # As Wagtail does on save: indexing is a background task (inline in tests), run by the
        # worker once this transaction commits.
        args = (page._meta.app_label, page._meta.model_name, str(page.pk))
        update_reference_index_task.enqueue(*args)
        insert_or_update_object_task.enqueue(*args)

    def _merge_children(self, draft: Any, relic_id: int) -> None:
        """Put this import's rows into a waiting draft, so publishing it keeps them."""
        for kind, numbers in self.touched.get(relic_id, {}).items():
            relation = "artifacts" if kind == RecordKind.ARTIFACT else "inscriptions"
            stored = model_for(kind).objects.filter(relic_id=relic_id, inventory_number__in=numbers)
            fresh = {obj.inventory_number: obj for obj in stored}
            merged = []
            for child in getattr(draft, relation).all():
                merged.append(fresh.pop(child.inventory_number, child))
            merged.extend(sorted(fresh.values(), key=lambda o: o.sort_order))
            setattr(draft, relation, merged)


_NOT_ATTRS = {"pk", "relic_id", "sort_order"}


def _update_fields(kind: RecordKind) -> list[str]:
    fields = [c.field for c in value_columns(kind)]
    fields += [f"{c.field}_id" for c in image_columns(kind)]
    if kind == RecordKind.ARTIFACT:
        fields.append("more_images")
    return [*fields, "search_key", "year_from", "year_to"]
