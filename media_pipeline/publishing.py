"""Publishing a folder of derived files atomically: shared by panorama tiles and IIIF tiles.

On a local disk the folder is renamed into place; on object storage (:class:`TileSetTarget`)
it is uploaded under a new version and the database row's version is the pointer.

A builder writes into a temporary folder beside ``out_dir`` (see :func:`temporary_beside`) and
calls :func:`publish_directory` at the end, so a visitor sees either the old set or the new one,
never a mix, and a failure leaves the old one untouched.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

STALE_TEMP_SECONDS = 6 * 3600


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def publish_directory(tmp: Path, out_dir: Path) -> None:
    """Make ``tmp`` become ``out_dir`` in one step, removing what was there before."""
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; the web server must read it
    try:
        os.rename(tmp, out_dir)  # atomic when nothing is published yet
        return
    except OSError:
        if not out_dir.exists():
            raise
    if _exchange(tmp, out_dir):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old set
        return
    # Without renameat2 there is a moment with no set; viewers retry missing tiles.
    old = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(out_dir, old)
    os.rename(tmp, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def remove_stale_temps(out_dir: Path) -> None:
    """Clear temporary folders left by runs that were killed (older than a few hours)."""
    now = time.time()
    for pattern in (f".{out_dir.name}.tmp-*", f".{out_dir.name}.old-*"):
        for stale in out_dir.parent.glob(pattern):
            with contextlib.suppress(OSError):
                if now - stale.stat().st_mtime > STALE_TEMP_SECONDS:
                    shutil.rmtree(stale, ignore_errors=True)


def temporary_beside(out_dir: Path) -> Path:
    """A new private folder next to ``out_dir`` (same file system, so the rename is atomic)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out_dir)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))


def remove_other_versions(root: Path, keep: str) -> None:
    """Delete every published version under ``root`` except ``keep`` (and running temporaries)."""
    for child in root.iterdir():
        # Dot-folders are the builders' own temporaries; they clear stale ones themselves.
        if child.name != keep and not child.name.startswith("."):
            shutil.rmtree(child, ignore_errors=True)


class TileSetTarget:
    """Where a builder writes a tile set ``<prefix>/<version>/`` and how it is published.

    On a local disk the builder writes in place (it publishes with :func:`publish_directory`).
    Elsewhere (an S3 bucket) it writes into a local temporary folder, seeded with the published
    set's ``markers`` so that an unchanged set is recognised and reused; :meth:`publish` uploads
    the files, the markers last, and the caller then switches the version recorded in the
    database: that row is the pointer, so a half-uploaded set is never served. :meth:`prune`
    drops the other versions once the pointer has moved.
    """

    def __init__(self, storage, prefix: str, version: str, markers: tuple[str, ...]) -> None:
        # Imported here: the storage module loads boto3, a quarter of a second that the
        # panorama and IIIF tilers (and their benchmark) do not need.
        from heritage_site.storage import on_local_disk

        self.storage, self.prefix, self.version, self.markers = storage, prefix, version, markers
        self.local = on_local_disk(storage)
        self._work: tempfile.TemporaryDirectory | None = None
        if self.local:
            self.dir = Path(storage.path(prefix)) / version
            return
        self._work = tempfile.TemporaryDirectory(prefix="tiles-")
        self.dir = Path(self._work.name) / version
        self.dir.mkdir()
        for name in markers:
            stored = f"{prefix}/{version}/{name}"
            if storage.exists(stored):
                with storage.open(stored, "rb") as src, (self.dir / name).open("wb") as dst:
                    shutil.copyfileobj(src, dst)

    def __enter__(self) -> TileSetTarget:
        return self

    def __exit__(self, *exc) -> None:
        if self._work is not None:
            self._work.cleanup()

    def publish(self, *, reused: bool) -> None:
        if not self.local and not reused:
            from heritage_site.storage import upload_tree

            upload_tree(self.dir, self.storage, f"{self.prefix}/{self.version}", last=self.markers)

    def prune(self) -> None:
        """Delete every other published version (and, on a local disk, leave temporaries)."""
        if self.local:
            root = self.dir.parent
            if root.is_dir():
                remove_other_versions(root, self.version)
            return
        from heritage_site.storage import delete_tree, subfolders

        for version in subfolders(self.storage, self.prefix):
            if version != self.version:
                delete_tree(self.storage, f"{self.prefix}/{version}")
