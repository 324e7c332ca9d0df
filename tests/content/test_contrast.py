"""Text colours of the visitor pages meet WCAG AA (4.5:1), read from site.css itself."""

import re

import pytest
from django.conf import settings

CSS = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
VARS = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", CSS))


def colour(value: str) -> str:
    return VARS[value[2:]] if value.startswith("--") else value


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((luminance(colour(fg)), luminance(colour(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


# (text, background, where): every pair of text colour and background the stylesheet uses.
PAIRS = [
    ("--ink", "--paper", "body text"),
    ("--muted", "--paper", "meta lines, footer"),
    ("--accent", "--paper", "links"),
    ("#ffffff", "--accent", "header, buttons"),
    ("--muted", "#ffffff", "facts labels on cards"),
    ("--accent", "#ffffff", "header search button, speed buttons, language menu"),
    ("--ink", "#ffffff", "language menu, cards"),
    ("--ink", "#fff6d6", "sample and fallback notices"),
]


@pytest.mark.parametrize(("fg", "bg", "where"), PAIRS)
def test_text_colours_meet_wcag_aa(fg, bg, where):
    assert contrast(fg, bg) >= 4.5, f"{where}: {contrast(fg, bg):.2f}:1"
