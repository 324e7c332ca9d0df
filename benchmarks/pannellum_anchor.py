"""Run Pannellum's multires generate.py, unchanged, under Pillow 10 or later.

    python -m benchmarks.pannellum_anchor PATH/TO/generate.py [generate.py's arguments]

The npm copy of generate.py resizes with ``Image.ANTIALIAS``, which Pillow 10 removed; the same
filter is ``Image.LANCZOS``. This sets the old name and runs the file as ``__main__``.
"""

from __future__ import annotations

import runpy
import sys

from PIL import Image


def main() -> None:
    script = sys.argv[1]
    if not hasattr(Image, "ANTIALIAS"):
        Image.ANTIALIAS = Image.LANCZOS  # type: ignore[attr-defined]
    sys.argv = [script, *sys.argv[2:]]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
