"""Vietnamese in spreadsheet cells: cleaning to NFC, telling real syllables apart.

Folding (diacritics, case) is `content.text.fold` / `fold_key`.
"""

from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Control characters a spreadsheet cell cannot hold (XML 1.0 forbids them in XLSX).
_ILLEGAL_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\r\n?")
_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str) -> str:
    """NFC, "\\n" line breaks, no control characters, no surrounding blanks."""
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if _ANY_CONTROL.search(value):  # rare: skip two substitutions for the common cell
        value = _ILLEGAL_CONTROL.sub("", _LINE_BREAKS.sub("\n", value))
    return value.strip()


def strip_tones(syllable: str) -> str:
    """Remove the five tone marks but keep the vowel letters: "người" → "ngươi"."""
    decomposed = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


# Onset, vowel nucleus (with its glides) and final consonant of a Vietnamese syllable.
_ONSETS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui "
    "uô uơ uy ưa ưi ươ ưu yê iêu oai oay oeo uây uôi ươi ươu uya uyê uyu yêu"
).split()
_FINALS = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(
    rf"(?:{_ONSETS})?(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})(?:{_FINALS})?"
)
_WORD = re.compile(r"[^\W\d_]+")


def is_vietnamese_syllable(word: str) -> bool:
    """True for a well-formed syllable such as "nguyễn", "đình", "kỷ"; False for "néi" or "hµ"."""
    base = strip_tones(word.lower())
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONE_MARKS for c in decomposed) > 1:
        return False
    return _SYLLABLE.fullmatch(base) is not None


def vietnamese_score(text: str) -> tuple[int, int]:
    """(valid, invalid) counts over words that carry a non-ASCII letter."""
    valid = invalid = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if word.isascii():
            continue
        if is_vietnamese_syllable(word):
            valid += 1
        else:
            invalid += 1
    return valid, invalid
