"""Attribute columns of imported geodata: Vietnamese or English headers, rankings, relic types."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from content.text import fold_key
from content.vocabularies import (
    RANKING_SHORT_LABELS,
    RANKING_WORDS,
    RELIC_TYPE_SHORT_LABELS,
    RELIC_TYPE_WORDS,
)

# Folded header → attribute. Shapefile (.dbf) names are cut to 10 characters, so prefixes of
# the long names match too (see column_for).
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "ten",
        "ten_di_tich",
        "ten_dia_diem",
        "ten_diem",
        "ten_phuong",
        "ten_xa",
        "title",
        "tieu_de",
    ),
    "code": ("code", "ma", "ma_so", "ma_di_tich", "ma_dia_diem", "ma_phuong", "ma_xa", "ma_dvhc"),
    "ward": (
        "ward",
        "phuong",
        "xa",
        "phuong_xa",
        "xa_phuong",
        "ten_phuong",
        "ten_xa",
        "don_vi_hanh_chinh",
        "dvhc",
    ),
    "ranking": ("ranking", "rank", "xep_hang", "cap_xep_hang", "hang", "cap_di_tich"),
    "type": ("type", "kind", "loai", "loai_hinh", "loai_di_tich", "loai_hinh_di_tich"),
    "address": ("address", "dia_chi"),
    "x": ("x", "lon", "lng", "long", "longitude", "kinh_do", "kinhdo", "easting", "toa_do_x"),
    "y": ("y", "lat", "latitude", "vi_do", "vido", "northing", "toa_do_y"),
    "wkt": ("wkt", "geometry", "geom", "hinh_hoc", "the_geom"),
    "crs": ("crs", "srid", "epsg", "he_toa_do", "ht_toa_do"),
}
ATTRIBUTE_FIELDS = ("name", "code", "ward", "ranking", "type", "address")


def column_for(headers: Iterable[str], attribute: str, taken: Iterable[str] = ()) -> str | None:
    """The first header that names an attribute (exact alias first, then 10-character cuts)."""
    skip = set(taken)
    folded = {header: fold_key(str(header)) for header in headers if header not in skip}
    aliases = _ALIASES[attribute]
    for alias in aliases:
        for header, name in folded.items():
            if name == alias:
                return header
    for alias in aliases:
        if len(alias) > 10:
            for header, name in folded.items():
                if len(name) == 10 and alias.startswith(name):
                    return header
    return None


def clean_text(value: Any) -> str:
    """NFC text with single spaces; '' for missing values (None, NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return re.sub(r"\s+", " ", text).strip()


def normalize_key(value: Any) -> str:
    """How codes and names are compared for create/update: NFC, single spaces, case-folded."""
    return clean_text(value).casefold()


def _match_words(
    value: Any, known: Mapping[str, str], words: tuple[tuple[str, str], ...]
) -> tuple[bool, str | None]:
    """(is_empty, key): a known key as is, else the first whole word found in the folded text."""
    folded = fold_key(clean_text(value))
    if not folded:
        return True, None
    if folded in known:
        return False, folded
    for word, key in words:
        if re.search(rf"(^|_){word}(_|$)", folded):
            return False, key
    return False, None


def normalize_ranking(value: Any) -> str | None:
    """'Di tích quốc gia đặc biệt' → 'quoc_gia_dac_biet'; None when empty or not recognised."""
    return _match_words(value, RANKING_SHORT_LABELS, RANKING_WORDS)[1]


def normalize_type(value: Any) -> str | None:
    """'Đình làng' → 'dinh', 'Nhà thờ họ Nguyễn' → 'nha_tho_ho', other text → 'khac'."""
    empty, key = _match_words(value, RELIC_TYPE_SHORT_LABELS, RELIC_TYPE_WORDS)
    return None if empty else (key or "khac")


def extract_attributes(row: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Known attributes (name, code, ward, ranking, type, address, extra) and warnings."""
    headers = list(row)
    used: set[str] = set()
    attributes: dict[str, Any] = {}
    warnings: list[str] = []
    for attribute in ("x", "y", "wkt", "crs", *ATTRIBUTE_FIELDS):
        header = column_for(headers, attribute, used)
        if header:
            used.add(header)
        if attribute in ATTRIBUTE_FIELDS:
            attributes[attribute] = clean_text(row[header]) if header else ""
    raw_ranking, raw_type = attributes["ranking"], attributes["type"]
    attributes["ranking"] = normalize_ranking(raw_ranking)
    attributes["ranking_raw"] = raw_ranking
    if raw_ranking and attributes["ranking"] is None:
        known = ", ".join(RANKING_SHORT_LABELS.values())
        warnings.append(f"không nhận ra xếp hạng «{raw_ranking}» (dùng: {known})")
    attributes["type"] = normalize_type(raw_type)
    attributes["type_raw"] = raw_type
    attributes["extra"] = {
        header: clean_text(value) for header, value in row.items() if header not in used
    }
    return attributes, warnings
