"""Backup and restore of the whole site: content as portable data, media files, checksums.

The archive (`.tar`, or `.tar.gz`) holds `data.jsonl` (dumpdata of every app with natural
foreign keys, so content types and permissions match on any installation), `info.json` (when,
and the migrations the data belongs to), `media/…` (uploaded files; image renditions are left
out, they are made again on demand) and `MANIFEST.sha256` listing every other member's SHA-256.

Restore checks every checksum while unpacking into a staging folder before touching the
database; refuses an installation that already holds content; loads the data in one
transaction; then moves the media into place and rebuilds the search and reference indexes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import posixpath
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from heritage_site.storage import TILES_ALIAS, on_local_disk, walk

DEFAULT_STORAGE_ALIAS = "default"
# Panorama tiles have their own storage (signed URLs in a bucket); backups kept in the
# bucket (`backup --to-storage`) are not backed up again.
PANORAMA_TILES = "panoramas/tiles/"
BACKUPS_DIR = "backups/"

DATA = "data.jsonl"  # one object a line: written and read without holding it all
INFO = "info.json"
MANIFEST = "MANIFEST.sha256"
MEDIA = "media/"
# Derived, transient or installation-specific: rebuilt or recreated rather than copied.
EXCLUDED_MODELS = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_database",
    "axes",  # failed-login records: security logs kept minutes, never copied
    "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry",
    "wagtailcore.referenceindex",
    # The page cache's generation number: a restore bumps it anyway.
    "heritage_site.pagecachegeneration",
    # The admin's action logs: page entries outlive their pages (a dangling key dumpdata cannot
    # write); revisions keep the content history.
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailadmin.editingsession",
    "wagtailimages.rendition",
)
# Tables the restore keeps: filled by `migrate` itself and referred to by natural keys.
KEPT_TABLES = ("django_content_type", "auth_permission", "django_migrations")
PROJECT_APPS = ("content", "media_pipeline", "maps", "heritage_site")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for staff (Vietnamese)."""


@dataclass
class BackupSummary:
    path: Path
    objects: int
    media_files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _rendition_files() -> set[str]:
    from wagtail.images import get_image_model

    rendition_model = get_image_model().get_rendition_model()
    return set(rendition_model.objects.values_list("file", flat=True))


def _is_temporary(name: str) -> bool:
    """A folder a tiling run works in (`.<version>.tmp-*`) or is clearing (`.<version>.old-*`):
    half-built or half-removed, never part of the site."""
    return name.startswith(".") and (".tmp-" in name or ".old-" in name)


def _media_files() -> Iterator[tuple[Any, str]]:
    """Every stored file as (storage, name), renditions and temporary tile folders left out,
    read through the storage API: the local media folder or a bucket (MEDIA_STORAGE=s3)."""
    seen: set[str] = set()
    skip = _rendition_files()
    for alias in (DEFAULT_STORAGE_ALIAS, TILES_ALIAS):
        storage = storages[alias]
        for name in _stored_names(storage, ""):
            if name not in skip and name not in seen and not name.startswith(BACKUPS_DIR):
                seen.add(name)
                yield storage, name


def _stored_names(storage, prefix: str) -> Iterator[str]:
    if on_local_disk(storage):  # os.walk: skips symbolic links and temporaries cheaply
        root = Path(storage.path(prefix))
        if not root.is_dir():
            return
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not _is_temporary(d))
            for name in sorted(files):
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    yield path.relative_to(root).as_posix()
        return
    for name in walk(storage, prefix):
        if not any(_is_temporary(part) for part in name.split("/")[:-1]):
            yield name


class _HashingReader:
    """A file read once into the archive while its SHA-256 is computed."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def _installed(labels: tuple[str, ...]) -> list[str]:
    """The labels (app or app.model) that exist here; dumpdata refuses unknown ones."""
    found = []
    for label in labels:
        app_label, _dot, model = label.partition(".")
        try:
            app = apps.get_app_config(app_label)
            if model:
                app.get_model(model)
        except LookupError:
            continue
        found.append(label)
    return found


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def write_backup(out: str | Path) -> BackupSummary:
    """Write the archive next to `out` under a temporary name, then rename it into place."""
    out = Path(out)
    if not out.parent.is_dir():
        raise BackupError(f"Không có thư mục {out.parent}.")
    mode = "w:gz" if out.name.endswith((".tar.gz", ".tgz")) else "w"
    fd, partial = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(fd)
    checksums: dict[str, str] = {}
    media_count = 0
    try:
        with tempfile.TemporaryDirectory() as work:
            data_path = Path(work) / DATA
            call_command(
                "dumpdata",
                format="jsonl",
                natural_foreign=True,
                exclude=_installed(EXCLUDED_MODELS),
                output=str(data_path),
                verbosity=0,
            )
            with data_path.open("rb") as fh:
                objects = sum(1 for line in fh if line.strip())
            info = {
                "created_at": timezone.now().isoformat(),
                "migrations": _applied_migrations(),
                "objects": objects,
            }
            info_bytes = json.dumps(info, ensure_ascii=False, indent=1).encode()
            # Media go in as plain files read through the storage (hard-linked IIIF tiles too);
            # symbolic links are never listed in the first place.
            with tarfile.open(partial, mode) as tar:
                _add_bytes(tar, INFO, info_bytes)
                checksums[INFO] = hashlib.sha256(info_bytes).hexdigest()
                tar.add(data_path, arcname=DATA)
                checksums[DATA] = _sha256(data_path)
                for storage, name in _media_files():
                    member = tarfile.TarInfo(MEDIA + name)
                    member.size = storage.size(name)
                    member.mtime = int(timezone.now().timestamp())
                    with storage.open(name, "rb") as fh:
                        reader = _HashingReader(fh)
                        tar.addfile(member, reader)
                    checksums[MEDIA + name] = reader.digest.hexdigest()
                    media_count += 1
                manifest = "".join(f"{digest}  {name}\n" for name, digest in checksums.items())
                _add_bytes(tar, MANIFEST, manifest.encode())
        os.replace(partial, out)
    finally:
        Path(partial).unlink(missing_ok=True)
    return BackupSummary(out, objects, media_count, out.stat().st_size)


# -- restore ------------------------------------------------------------------------------


def _safe_member(member: tarfile.TarInfo) -> str:
    name = posixpath.normpath(member.name)
    if (
        name.startswith(("/", "../"))
        or name == ".."
        or not (member.isfile() or member.isdir())
        or not (name in (DATA, INFO, MANIFEST) or name.startswith(MEDIA) or member.isdir())
    ):
        raise BackupError(f"Tệp sao lưu có mục lạ “{member.name}”; không khôi phục.")
    return name


def unpack_verified(archive: Path, staging: Path) -> dict[str, str]:
    """Unpack into `staging`, checking every member against the manifest; returns the info."""
    seen: dict[str, str] = {}
    manifest: dict[str, str] | None = None
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                name = _safe_member(member)
                if member.isdir():
                    continue
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest = _parse_manifest(source.read().decode("utf-8"))
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                seen[name] = _copy_hashing(source, target)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"Không đọc được tệp sao lưu {archive.name}: {exc}.") from exc
    if manifest is None:
        raise BackupError("Tệp sao lưu thiếu danh sách mã kiểm tra (MANIFEST.sha256).")
    for name, digest in manifest.items():
        if seen.get(name) != digest:
            what = "bị thiếu" if name not in seen else "không khớp mã kiểm tra"
            raise BackupError(f"Tệp sao lưu bị hỏng hoặc bị sửa: “{name}” {what}. Không khôi phục.")
    extra = sorted(set(seen) - set(manifest))
    if extra:
        raise BackupError(f"Tệp sao lưu có tệp không nằm trong danh sách kiểm tra: “{extra[0]}”.")
    if DATA not in seen or INFO not in seen:
        raise BackupError(f"Tệp sao lưu thiếu {DATA} hoặc {INFO}.")
    return json.loads((staging / INFO).read_text(encoding="utf-8"))


def _copy_hashing(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    with target.open("wb") as fh:
        for block in iter(lambda: source.read(CHUNK), b""):
            digest.update(block)
            fh.write(block)
    return digest.hexdigest()


def _parse_manifest(text: str) -> dict[str, str]:
    entries = {}
    for line in text.splitlines():
        if line.strip():
            digest, _sep, name = line.partition("  ")
            entries[name] = digest
    return entries


def existing_content() -> dict[str, int]:
    """What this installation holds beyond what `migrate` creates (empty dict: empty)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    found: dict[str, int] = {}
    models = [m for a in PROJECT_APPS if apps.is_installed(a) for m in _app_models(a)]
    for model in [*models, get_image_model(), get_document_model()]:
        count = model.objects.count()
        if count:
            found[str(model._meta.verbose_name_plural)] = count
    # `migrate` creates the root and Wagtail's welcome page; anything more is content.
    plain = ContentType.objects.get_for_model(Page)
    pages = Page.objects.filter(depth__gt=1).exclude(depth=2, content_type=plain, numchild=0)
    if pages.exists():
        found["trang"] = pages.count()
    return found


def _app_models(label: str) -> list:
    app = next((a for a in apps.get_app_configs() if a.name == label or a.label == label), None)
    if app is None:
        return []
    return [m for m in app.get_models() if m._meta.managed and not m._meta.proxy]


def _check_migrations(info: dict) -> None:
    here = _applied_migrations()
    newer = [
        f"{app} ({name})"
        for app, name in info.get("migrations", {}).items()
        if app in here and name > here[app]
    ]
    if newer:
        raise BackupError(
            "Tệp sao lưu được tạo bởi phiên bản mới hơn của hệ thống ("
            + ", ".join(newer[:5])
            + "). Hãy cập nhật mã nguồn và chạy migrate trước khi khôi phục."
        )


def _wipe_tables() -> None:
    """Delete every row except content types, permissions and the migration record."""
    from django.core.management.color import no_style

    existing = connection.introspection.django_table_names(only_existing=True)
    tables = [t for t in existing if t not in KEPT_TABLES]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    connection.ops.execute_sql_flush(statements)


def restore_backup(archive: str | Path, *, stdout: IO[str] | None = None) -> dict:
    """Restore an archive into an empty installation; raises BackupError with the reason."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không thấy tệp sao lưu {archive}.")
    storage = storages[DEFAULT_STORAGE_ALIAS]
    staging = None
    if on_local_disk(storage):
        media_root = Path(storage.path(""))
        media_root.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # beside the media folder: moving in is a rename
            staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    staging = staging or Path(tempfile.mkdtemp(prefix="restore-"))
    try:
        info = unpack_verified(archive, staging)
        _check_migrations(info)
        found = existing_content()
        if found:
            listed = ", ".join(f"{n} {what}" for what, n in list(found.items())[:4])
            raise BackupError(
                f"Hệ thống này đã có dữ liệu ({listed}). Chỉ khôi phục vào một cài đặt mới, "
                "trống (vừa chạy migrate): không có gì bị ghi đè."
            )
        with transaction.atomic():
            _wipe_tables()
            call_command("loaddata", str(staging / DATA), verbosity=0)
            from wagtail.models import Collection, Page

            Page.fix_tree(fix_paths=False)
            Collection.fix_tree(fix_paths=False)
        moved = _move_media(staging / MEDIA.rstrip("/"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    from wagtail.models import Site

    Site.clear_site_root_paths_cache()
    quiet = io.StringIO()
    call_command("rebuild_references_index", stdout=quiet, verbosity=0)
    call_command("update_index", stdout=quiet, verbosity=0)
    if stdout is not None:
        stdout.write(f"Đã khôi phục {info.get('objects', '?')} bản ghi và {moved} tệp media.\n")
    return {**info, "media_files": moved}


def _move_media(source: Path) -> int:
    """Put the unpacked media where they belong: panorama tiles in their storage, the rest in
    the default storage, under the same names (renamed on a local disk, uploaded to a bucket)."""
    moved = 0
    if not source.is_dir():
        return 0
    for folder, _dirs, files in os.walk(source):
        for filename in files:
            path = Path(folder) / filename
            name = path.relative_to(source).as_posix()
            alias = TILES_ALIAS if name.startswith(PANORAMA_TILES) else DEFAULT_STORAGE_ALIAS
            storage = storages[alias]
            if on_local_disk(storage):
                target = Path(storage.path(name))
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, target)
            else:
                if storage.exists(name):  # same name, the archive's bytes win
                    storage.delete(name)
                with path.open("rb") as fh:
                    saved = storage.save(name, File(fh, name=filename))
                if saved != name:
                    raise BackupError(f"Không ghi được “{name}” vào kho lưu trữ (thành “{saved}”).")
            moved += 1
    return moved
