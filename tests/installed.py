"""What `make install` puts on the machine for the tests: Debian tools and vendored scripts.

A missing one fails the test that needs it, with the command that installs it: never a skip.
"""

import shutil
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "static"
DEBIAN_PACKAGE = {
    "msgfmt": "gettext",
    "ogrinfo": "gdal-bin",
    "pdffonts": "poppler-utils",
    "pdfimages": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils",
    "zbarimg": "zbar-tools",
}


def tool(name: str) -> str:
    """The path of a command from a Debian package in the Makefile's DEBIAN_PACKAGES."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} missing: run `make install` (Debian's {DEBIAN_PACKAGE[name]})")
    return path


def vendored(relative: str) -> Path:
    """A file that `make static-vendor` copies from node_modules into static/vendor."""
    path = STATIC / "vendor" / relative
    if not path.exists():
        pytest.fail(f"{path} missing: run `make static-vendor`")
    return path
