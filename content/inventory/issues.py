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


def too_large_message(size: int, limit: int) -> str:
    return (
        f"Tệp quá lớn: {format_size(size)}, giới hạn là {format_size(limit)}. "
        "Hãy chia thành nhiều tệp (ví dụ mỗi tệp một số di tích) rồi nhập lần lượt."
    )
