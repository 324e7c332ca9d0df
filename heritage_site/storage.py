"""Where media live: this machine's disk (the embedded default) or an S3-compatible bucket.

``MEDIA_STORAGE=s3`` (docs/storage.md) puts every upload, rendition, tile set, plaque batch and
backup in a bucket through django-storages; workers then need no access to the web machine's
disk. Code that needs a file on disk (a C library reading a path) takes a local copy with
:func:`local_path` and writes its results back through the storage API.

Two storages are configured: ``default`` (every FileField) and ``panorama_tiles`` (the 360°
tiles, always reached through signed URLs, because a panorama whose relic is taken down must
stop being served: the tile view checks the public rule, then redirects).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Names that never change content once written: renditions and originals get new names when
# they change (file_overwrite is off), tile sets live under a version named after a hash.
IMMUTABLE = "public, max-age=31536000, immutable"
IMMUTABLE_PREFIXES = ("images/", "original_images/", "panoramas/tiles/", "iiif/")
PRIVATE = "private, no-cache"
# Longest life of a signed tile URL (SigV4 allows at most seven days).
TILE_URL_SECONDS = 7 * 24 * 3600
TILES_ALIAS = "panorama_tiles"
STATICFILES = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
S3_BACKEND = "heritage_site.storage.MediaS3Storage"
LOCAL_STORAGE = "django.core.files.storage.FileSystemStorage"


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    return default if not value else value not in ("0", "false", "no", "off")


def media_storages(env: Mapping[str, str] = os.environ) -> dict[str, dict[str, Any]]:
    """The STORAGES setting for ``MEDIA_STORAGE`` (``local`` or ``s3``) and the AWS_* variables."""
    kind = env.get("MEDIA_STORAGE", "local").strip().lower() or "local"
    if kind == "local":
        local = {"BACKEND": LOCAL_STORAGE}
        return {"default": local, TILES_ALIAS: local, "staticfiles": STATICFILES}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {kind!r}")
    bucket = env.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    common: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": env.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env.get("AWS_S3_REGION_NAME") or None,
        "access_key": env.get("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env.get("AWS_SECRET_ACCESS_KEY") or None,
        "addressing_style": env.get("AWS_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    default = {
        **common,
        # Off only when the bucket (or a CDN in front, AWS_S3_CUSTOM_DOMAIN) serves images/ and
        # original_images/ publicly; plaques, backups and imports are never linked to directly.
        "querystring_auth": _flag(env, "AWS_QUERYSTRING_AUTH", True),
        "querystring_expire": int(env.get("AWS_QUERYSTRING_EXPIRE", "86400")),
        "custom_domain": env.get("AWS_S3_CUSTOM_DOMAIN") or None,
    }
    # Tile sets are written under a new version each time: same name, same bytes.
    tiles = {
        **common,
        "querystring_auth": True,
        "querystring_expire": TILE_URL_SECONDS,
        "file_overwrite": True,
    }
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": default},
        TILES_ALIAS: {"BACKEND": S3_BACKEND, "OPTIONS": tiles},
        "staticfiles": STATICFILES,
    }


def media_origins(env: Mapping[str, str] = os.environ) -> list[str]:
    """The origins visitors' browsers load media from in a bucket, for the CSP (img-src,
    media-src); none when media stay on our own host."""
    if (env.get("MEDIA_STORAGE", "local").strip().lower() or "local") != "s3":
        return []
    bucket = env.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if env.get("AWS_S3_CUSTOM_DOMAIN"):
        return [f"https://{env['AWS_S3_CUSTOM_DOMAIN'].strip().strip('/')}"]
    endpoint = env.get("AWS_S3_ENDPOINT_URL", "").strip()
    if endpoint:
        scheme, _sep, rest = endpoint.partition("://")
        host = rest.split("/", 1)[0]
        return [f"{scheme}://{host}", f"{scheme}://{bucket}.{host}"]
    region = env.get("AWS_S3_REGION_NAME", "").strip()
    hosts = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return hosts


def cache_control(name: str) -> str:
    """Cache-Control stored with an object: a year and immutable for versioned derived files."""
    return IMMUTABLE if name.lstrip("/").startswith(IMMUTABLE_PREFIXES) else PRIVATE


try:
    from storages.backends.s3 import S3Storage
except ImportError:  # django-storages is only needed with MEDIA_STORAGE=s3
    S3Storage = None  # type: ignore[assignment,misc]

if S3Storage is not None:

    class MediaS3Storage(S3Storage):
        """django-storages' S3 storage, with Cache-Control chosen by the object's name."""

        def get_object_parameters(self, name):
            params = super().get_object_parameters(name)
            params.setdefault("CacheControl", cache_control(name))
            return params


# -- helpers for code that reads sources and writes results ---------------------------------


def tile_storage():
    from django.core.files.storage import storages

    return storages[TILES_ALIAS]


def on_local_disk(storage) -> bool:
    """True when ``storage`` keeps files on this machine's disk (``storage.path`` works)."""
    from django.core.files.storage import FileSystemStorage

    return isinstance(storage, FileSystemStorage)


@contextlib.contextmanager
def local_path(field_file: Any) -> Iterator[Path | None]:
    """A stored file as a local path (copied out when the storage is not a local disk)."""
    if not field_file:
        yield None
        return
    with local_copy(field_file.storage, field_file.name) as path:
        yield path


@contextlib.contextmanager
def local_copy(storage, name: str) -> Iterator[Path]:
    """The stored file ``name`` as a path on this machine: itself on a local disk, else a
    temporary copy removed afterwards."""
    if on_local_disk(storage):
        yield Path(storage.path(name))
        return
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp, storage.open(name, "rb") as src:
        shutil.copyfileobj(src, tmp, 1 << 20)
        tmp.flush()
        yield Path(tmp.name)


def walk(storage, prefix: str = "") -> Iterator[str]:
    """Every file name below ``prefix`` (recursively), sorted folder by folder."""
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    base = f"{prefix.rstrip('/')}/" if prefix else ""
    for name in sorted(files):
        yield base + name
    for folder in sorted(dirs):
        yield from walk(storage, base + folder)


def upload_tree(local_dir: Path, storage, prefix: str, *, last: tuple[str, ...] = ()) -> int:
    """Upload every file below ``local_dir`` to ``prefix/…``; the names in ``last`` go after the
    others, so their presence means the set is complete. Returns how many were written.

    ``storage`` overwrites (file_overwrite): a run interrupted half-way left the same version,
    that is the same bytes, under the same names."""
    from django.core.files import File

    files = sorted(p for p in local_dir.rglob("*") if p.is_file())
    final = [p for p in files if p.relative_to(local_dir).as_posix() in last]
    first = [p for p in files if p not in final]

    def put(path: Path) -> None:
        name = f"{prefix}/{path.relative_to(local_dir).as_posix()}"
        with path.open("rb") as fh:
            storage.save(name, File(fh, name=path.name))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(put, first))
    for path in final:
        put(path)
    return len(files)


def delete_tree(storage, prefix: str) -> None:
    """Remove ``prefix`` and everything below it."""
    prefix = prefix.strip("/")
    if on_local_disk(storage):
        shutil.rmtree(storage.path(prefix), ignore_errors=True)
        return
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:  # one request per thousand objects
        bucket.objects.filter(Prefix=storage._normalize_name(prefix) + "/").delete()
        return
    for name in walk(storage, prefix):
        storage.delete(name)


def subfolders(storage, prefix: str) -> list[str]:
    try:
        return sorted(storage.listdir(prefix)[0])
    except FileNotFoundError:
        return []
