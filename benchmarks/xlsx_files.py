"""Hostile-size XLSX files written as XML text, streamed into the zip (no spreadsheet library
holds them): a million rows, or one enormous shared string, in a small file.

Used by `benchmarks/bench_inventory_limits.py` and the limit tests.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{_CT}">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_OD}/officeDocument"
 Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG}">
<Relationship Id="rId1" Type="{_OD}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_OD}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""


def _workbook(title: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" '
        f'xmlns:r="{_REL}"><sheets><sheet name="{escape(title)}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )


def _cell(column: int, row: int, value: str | int | float) -> str:
    ref = f"{chr(65 + column)}{row}"
    if isinstance(value, int):  # an index into the shared strings
        return f'<c r="{ref}" t="s"><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"><v>{value:g}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def write_raw_xlsx(
    path: Path,
    rows: Iterable[Sequence[str | int | float]],
    *,
    title: str = "Hiện vật",
    shared: Iterable[str | Iterable[str]] = (),
) -> Path:
    """An XLSX of one sheet: text cells inline, float cells numbers, int cells pointing into
    ``shared`` (each shared string given whole, or as an iterable of pieces written one after
    another)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook(title))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode())
            for text in shared:
                fh.write(b"<si><t>")
                for piece in [text] if isinstance(text, str) else text:
                    fh.write(escape(piece).encode())
                fh.write(b"</t></si>")
            fh.write(b"</sst>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'.encode())
            fh.write(b"<sheetData>")
            for number, row in enumerate(rows, start=1):
                cells = "".join(_cell(i, number, v) for i, v in enumerate(row))
                fh.write(f'<row r="{number}">{cells}</row>'.encode())
            fh.write(b"</sheetData></worksheet>")
    return path


def million_rows(count: int = 1_000_000) -> Iterable[Sequence[str | int | float]]:
    """The artifact header, then ``count`` artifacts of one relic (compact, as Excel writes
    them: repeated texts as shared strings 0 and 1, inventory numbers as numbers)."""
    yield ["Mã di tích", "Số kiểm kê", "Tên hiện vật"]
    for n in range(count):
        yield [0, float(n + 1), 1]


MILLION_SHARED = ["DT0001", "Bát hương gốm men lam"]  # the shared strings million_rows uses


def huge_string(size: int, piece: int = 1024 * 1024) -> Iterable[str]:
    """``size`` characters handed over ``piece`` at a time."""
    for start in range(0, size, piece):
        yield "a" * min(piece, size - start)
