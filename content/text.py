"""Vietnamese text helpers: NFC storage, readable ASCII slugs and diacritic-free search keys."""

import re
import unicodedata

from django.utils.text import slugify

# Đ/đ is a letter of its own, not D plus a combining mark, so NFD does not strip it.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """The canonical composed (NFC) form, whatever form the text was typed or pasted in."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """`Đình Đông Khê` → `Dinh Dong Khe`; characters outside Latin (Hán Nôm) are kept."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def fold(text: str) -> str:
    """A search key: lower case, no diacritics, single spaces."""
    return " ".join(strip_diacritics(text or "").casefold().split())


# Anything but letters and digits (of any script) separates words, as the search index's
# tokenizer does; quotes, operators and NUL never reach the full-text query.
_NOT_WORD = re.compile(r"[\W_]+")


def search_words(text: str) -> str:
    """A visitor's query as folded words only: `"Hậu thần` → `hau than`."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def vietnamese_slugify(text: str, max_length: int = 80) -> str:
    """A readable ASCII slug: `Đình Đông Khê` → `dinh-dong-khe`."""
    slug = slugify(strip_diacritics(text or ""))
    return slug[:max_length].strip("-")
