"""What goes wrong with an inventory file, in words staff can act on (Vietnamese)."""

from __future__ import annotations


class InventoryFileError(Exception):
    """The whole file cannot be used (not a spreadsheet, too large, unreadable)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def format_size(n_bytes: int) -> str:
    """Bytes as Vietnamese megabytes with a decimal comma: 52428800 → "50,0 MB"."""
    return f"{n_bytes / (1024 * 1024):.1f}".replace(".", ",") + " MB"
