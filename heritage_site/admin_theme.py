"""The admin's colours as Wagtail's CSS custom properties; plain functions the settings use too.

Wagtail derives every shade of its primary and secondary colours from three variables each
(`--w-color-primary-hue`, `-saturation`, `-lightness`), so setting those recolours the whole
admin at once while keeping Wagtail's own contrast steps between the shades.
"""

import colorsys
import re

from django.core.exceptions import ImproperlyConfigured

HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


def check_color(value: str, name: str) -> str:
    """A `#rrggbb` colour from the environment, refused at start-up when it is anything else."""
    if not HEX.match(value or ""):
        raise ImproperlyConfigured(f"{name}: cần một màu dạng #rrggbb, không phải “{value}”.")
    return value.lower()


def hsl(value: str) -> tuple[float, float, float]:
    """`#rrggbb` → (hue in degrees, saturation %, lightness %), one decimal each."""
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    return round(hue * 360, 1), round(saturation * 100, 1), round(lightness * 100, 1)


def theme_css(primary: str, secondary: str) -> str:
    """The `:root` rule that gives Wagtail's admin these two colours and every shade of them."""
    lines = []
    for role, value in (("primary", primary), ("secondary", secondary)):
        hue, saturation, lightness = hsl(value)
        lines += [
            f"--w-color-{role}-hue: {hue};",
            f"--w-color-{role}-saturation: {saturation}%;",
            f"--w-color-{role}-lightness: {lightness}%;",
        ]
    return ":root {" + " ".join(lines) + "}"
