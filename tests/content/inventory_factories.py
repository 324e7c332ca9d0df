"""Small factories for inventory tests: spreadsheets in any encoding, an in-memory store."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from content.inventory import Action, RecordKind, encode_tcvn3

ARTIFACT_HEADER = ["Mã di tích", "Số kiểm kê", "Tên hiện vật", "Chất liệu", "Niên đại"]
RELIC_HEADER = ["Mã di tích", "Tên di tích", "Xếp hạng", "Vĩ độ", "Kinh độ"]
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese software writes it: base letter, then a combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


def csv_text(rows: Sequence[Sequence[Any]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_csv(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    text = csv_text(rows, delimiter)
    if encoding == "tcvn3":
        data = encode_tcvn3(text)
    elif encoding == "cp1258":
        data = encode_cp1258(text)
    else:
        data = text.encode(encoding)
    path.write_bytes(data)
    return path


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


class MemoryStore:
    """The `Store` protocol over a dict: what the database layer will do, minus the database."""

    def __init__(self, relic_codes: set[str] | None = None) -> None:
        self.records: dict[tuple[RecordKind, tuple[str, ...]], dict[str, Any]] = {}
        for code in relic_codes or set():
            self.records[(RecordKind.RELIC, (code,))] = {"ma_di_tich": code}
        self.saves: list[tuple[RecordKind, tuple[str, ...], Action]] = []

    def relic_codes(self) -> set[str]:
        return {key[0] for kind, key in self.records if kind == RecordKind.RELIC}

    def existing(self, kind: RecordKind, key: tuple[str, ...]) -> Mapping[str, Any] | None:
        return self.records.get((kind, key))

    def review(self, layout: Any, row: Any) -> None:
        """Nothing to check without a database."""

    def save(
        self,
        kind: RecordKind,
        key: tuple[str, ...],
        data: Mapping[str, Any],
        action: Action,
    ) -> None:
        self.records[(kind, key)] = {**self.records.get((kind, key), {}), **data}
        self.saves.append((kind, key, action))

    def of_kind(self, kind: RecordKind) -> dict[tuple[str, ...], dict[str, Any]]:
        return {key: data for (k, key), data in self.records.items() if k == kind}
