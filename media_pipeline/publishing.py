"""Publishing a folder of derived files atomically: shared by panorama tiles and IIIF tiles.

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
