"""Vietnamese text helpers: NFC storage, readable ASCII slugs and diacritic-free keys.

The one place text is folded: `fold` for search, `fold_key` for matching spreadsheet headers,
vocabularies and geodata attributes. Imports no Django, so the pure importers can use it.
"""

import re
import unicodedata

_NOT_KEY = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """The canonical composed (NFC) form, whatever form the text was typed or pasted in."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """`Đình Đông Khê` → `Dinh Dong Khe`; characters outside Latin (Hán Nôm) are kept."""
    # Đ/đ is a letter of its own, not D plus a combining mark, so NFD does not strip it.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped if stripped.isascii() else unicodedata.normalize("NFC", stripped)


def fold(text: str | None) -> str:
    """A search key, lower case without diacritics: `Đình ĐÔNG  Khê` → `dinh dong khe`."""
    if not text:
        return ""
    if text.isascii():  # codes, numbers, English: most cells of an inventory
        return " ".join(text.lower().split())
    return " ".join(strip_diacritics(text).casefold().split())


def fold_key(text: str | None) -> str:
    """An identifier: `Mã di tích`, `MÃ DI TÍCH` and `ma-di-tich` all give `ma_di_tich`."""
    return _NOT_KEY.sub("_", fold(text)).strip("_")


# Anything but letters and digits (of any script) separates words, as the search index's
# tokenizer does; quotes, operators and NUL never reach the full-text query.
_NOT_WORD = re.compile(r"[\W_]+")


def search_words(text: str) -> str:
    """A visitor's query as folded words only: `"Hậu thần` → `hau than`."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def vietnamese_slugify(text: str, max_length: int = 80) -> str:
    """A readable ASCII slug: `Đình Đông Khê` → `dinh-dong-khe`."""
    from django.utils.text import slugify

    slug = slugify(strip_diacritics(text or ""))
    return slug[:max_length].strip("-")
