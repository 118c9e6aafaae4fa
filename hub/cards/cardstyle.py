"""The colours of a card, chosen so its text meets WCAG AA contrast (4.5:1).

Brand colours come from hub.yml; when a pair fails the ratio the card uses
black or white instead and says so once, naming the setting to change, so a
brand refresh can never quietly ship unreadable cards. Over a picture the
text is white on a dark scrim made just dark enough for its brightest pixel.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.config import BrandConfig

AA = 4.5
WHITE = "#FFFFFF"
BLACK = "#000000"


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def luminance(color: str) -> float:
    """WCAG 2 relative luminance of `#RRGGBB`."""
    r, g, b = rgb(color)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def ratio(light: float, dark: float) -> float:
    light, dark = max(light, dark), min(light, dark)
    return (light + 0.05) / (dark + 0.05)


def contrast(a: str, b: str) -> float:
    return ratio(luminance(a), luminance(b))


def best_mono(background: str) -> str:
    return WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK


@dataclass(frozen=True)
class Palette:
    """The colours one card is drawn with (scrim > 0: over a darkened picture)."""

    background: str
    text: str
    kicker: str
    bar: str
    scrim: float = 0.0


def plain(brand: BrandConfig, category: str) -> tuple[Palette, list[str]]:
    """Colours on the brand background, with a warning for each failing pair."""
    colors = brand.colors
    layout = brand.layouts.get(category)  # type: ignore[call-overload]
    background = (layout.background if layout and layout.background else None) or colors.get(
        "background", colors.get("primary", "#0B3D91")
    )
    where = (
        f"brand.layouts.{category}.background" if layout and layout.background
        else "brand.colors.background"
    )
    warnings = []
    text = colors.get("text", WHITE)
    if contrast(text, background) < AA:
        fixed = best_mono(background)
        warnings.append(
            f"hub.yml brand.colors.text {text} on {where} {background} has contrast "
            f"{contrast(text, background):.1f}:1 (WCAG AA needs {AA}:1); cards use {fixed} "
            "instead: pick colours that pass"
        )
        text = fixed
    accent = colors.get("accent", text)
    kicker = accent if contrast(accent, background) >= AA else text
    return Palette(background, text, kicker, accent), warnings


def scrim_for(brand: BrandConfig, max_channel: int) -> float:
    """The lightest black overlay that keeps white text at AA over the picture's brightest pixel."""
    alpha = brand.card.scrim
    while alpha < 0.95 and ratio(1.0, _channel(max_channel * (1 - alpha))) < AA:
        alpha = round(alpha + 0.05, 2)
    return alpha


def over_picture(brand: BrandConfig, max_channel: int) -> Palette:
    """White text on a scrimmed picture; the accent only if it passes on the brightest pixel."""
    alpha = scrim_for(brand, max_channel)
    worst = _channel(max_channel * (1 - alpha))
    accent = brand.colors.get("accent", WHITE)
    kicker = accent if ratio(luminance(accent), worst) >= AA else WHITE
    return Palette(BLACK, WHITE, kicker, accent, alpha)
