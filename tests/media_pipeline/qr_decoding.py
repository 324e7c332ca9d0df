"""Reading plaques back as a scanner would: pages rasterised by pdftoppm, codes read by zbarimg."""

import subprocess
from pathlib import Path

from tests.installed import tool

PRINT_DPI = 300


def rasterise(pdf: Path, dpi: int = PRINT_DPI) -> list[Path]:
    prefix = pdf.with_suffix("")
    subprocess.run(
        [tool("pdftoppm"), "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)], check=True
    )
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"))


def decode(png: Path) -> list[str]:
    """Every symbol zbarimg finds in the image (any symbology), as text."""
    done = subprocess.run(
        [tool("zbarimg"), "--raw", "-q", str(png)], capture_output=True, text=True, check=False
    )
    return [line for line in done.stdout.splitlines() if line]
