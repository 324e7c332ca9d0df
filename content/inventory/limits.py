"""How much one inventory file may hold, checked while it streams (settings: INVENTORY_MAX_*).

20,000 artifacts make a 4 MB CSV or a 1.5 MB XLSX whose sheet XML is 15 MB; the defaults leave
room for a province's whole register in one file and refuse what only a mistake or an attack
produces (a million rows, a sheet thousands of columns wide, a 300 MiB cell) before it is read
whole. Every message tells staff what to do, in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass

from .issues import InventoryFileError, format_size


@dataclass(frozen=True)
class Limits:
    max_rows: int = 250_000  # data rows in the whole file, every sheet together
    max_columns: int = 60  # columns holding a value (the widest layout has 17)
    max_cell_chars: int = 20_000  # characters in one cell (a long stele translation fits)
    max_uncompressed_bytes: int = 200 * 1024 * 1024  # an XLSX inflated, all its parts
    max_file_bytes: int = 25 * 1024 * 1024  # the upload itself


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def column_letters(index: int) -> str:
    """0 → "A", 26 → "AA": the name a spreadsheet program shows for a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def too_many_rows(limits: Limits) -> InventoryFileError:
    return InventoryFileError(
        f"Tệp có hơn {_number(limits.max_rows)} dòng dữ liệu, vượt giới hạn mỗi lần nhập. Hãy "
        "chia thành nhiều tệp (ví dụ mỗi tệp một số phường/xã) rồi nhập lần lượt."
    )


def too_many_columns(where: str, row: int, column: int, limits: Limits) -> InventoryFileError:
    return InventoryFileError(
        f"{where}dòng {row} có dữ liệu ở cột {column_letters(column)}, quá "
        f"{limits.max_columns} cột. Hãy xóa các cột thừa ở bên phải bảng (tệp mẫu có ít hơn "
        "20 cột)."
    )


def cell_too_long(where: str, row: int | None, limits: Limits) -> InventoryFileError:
    at = f"dòng {row}: " if row else ""
    return InventoryFileError(
        f"{where}{at}có ô dài hơn {_number(limits.max_cell_chars)} ký tự. Hãy rút gọn nội dung "
        "ô đó (văn bản dài đưa vào trang di tích trong trang quản trị)."
    )


def too_large_inflated(size: int, limits: Limits) -> InventoryFileError:
    return InventoryFileError(
        f"Bảng tính giải nén ra {format_size(size)}, vượt giới hạn "
        f"{format_size(limits.max_uncompressed_bytes)}. Hãy chia thành nhiều tệp rồi nhập lần "
        "lượt."
    )
