"""Debian's Chromium as the browser tests launch it, and the phone screen they stand in for."""

import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


def wait_until(page, expression: str, attempts: int = 300) -> None:
    """Poll from Python: Playwright's wait_for_function needs eval, which our CSP forbids."""
    for _ in range(attempts):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {attempts / 10:.0f} s: {expression}")
