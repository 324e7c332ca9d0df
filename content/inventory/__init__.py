"""Inventory import and export: relics, artifacts and inscriptions in CSV and XLSX.

Pure core, no database: `open_inventory` streams rows, `check_rows` types and checks them,
`preview_import` / `run_import` plan and apply them through a `Store`, `save_xlsx` / `save_csv`
write them back out, `save_template` writes the template to download.
"""

from .charsets import ENCODING_CHOICES, EncodingError, sniff_stream, sniff_text
from .columns import LAYOUTS, Column, Layout, RecordKind
from .dating import Dating, parse_dating
from .export import save_csv, save_rejects, save_template, save_xlsx, write_csv
from .formulas import escape_formula, unescape_formula
from .images import ImageIndex
from .issues import InventoryFileError
from .limits import Limits
from .plan import (
    ACTION_LABELS,
    Action,
    ImportOptions,
    ImportResult,
    PlanItem,
    Preview,
    Store,
    preview_import,
    run_import,
)
from .readers import MAX_FILE_BYTES, Inventory, RawRow, Table, open_inventory
from .tcvn3 import decode_tcvn3_bytes, encode_tcvn3, fix_tcvn3_text
from .validate import CheckedRow, check_rows

__all__ = [
    "ACTION_LABELS",
    "ENCODING_CHOICES",
    "LAYOUTS",
    "Limits",
    "MAX_FILE_BYTES",
    "Action",
    "CheckedRow",
    "Column",
    "Dating",
    "EncodingError",
    "ImageIndex",
    "ImportOptions",
    "ImportResult",
    "Inventory",
    "InventoryFileError",
    "Layout",
    "PlanItem",
    "Preview",
    "RawRow",
    "RecordKind",
    "Store",
    "Table",
    "check_rows",
    "decode_tcvn3_bytes",
    "encode_tcvn3",
    "escape_formula",
    "fix_tcvn3_text",
    "open_inventory",
    "parse_dating",
    "preview_import",
    "run_import",
    "save_csv",
    "save_rejects",
    "save_template",
    "save_xlsx",
    "sniff_stream",
    "sniff_text",
    "unescape_formula",
    "write_csv",
]
