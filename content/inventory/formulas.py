"""Cells a spreadsheet would run as formulas: neutralised on export, restored on import.

Shared by the writer and the readers, so that an export imports back unchanged.
"""

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def escape_formula(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would take for a formula.

    Text that already starts with an apostrophe followed by such a character (or by another
    apostrophe) gets one more, so `unescape_formula` is its exact inverse.
    """
    if text.startswith(_DANGEROUS_START) or _is_escaped(text):
        return _QUOTE + text
    return text


def unescape_formula(text: str) -> str:
    """Remove the apostrophe `escape_formula` added; any other text is returned as is."""
    return text[1:] if _is_escaped(text) else text


def _is_escaped(text: str) -> bool:
    return len(text) > 1 and text[0] == _QUOTE and text[1] in (*_DANGEROUS_START, _QUOTE)
