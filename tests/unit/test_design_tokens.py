"""The colour tokens in static/css/app.css meet WCAG AA for every pair the stylesheet uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).parents[2] / "static" / "css" / "app.css"
TEXT = 4.5  # WCAG 1.4.3, normal text
UI = 3.0  # WCAG 1.4.11, borders of fields, focus rings, progress bars; large text

# (foreground, background, minimum): every text or UI colour on every background it is put on.
PAIRS = [
    ("ink", "paper", TEXT), ("ink", "canvas", TEXT), ("ink", "tint", TEXT),
    ("ink", "green-50", TEXT), ("ink", "green-100", TEXT), ("ink", "blue-100", TEXT),
    ("ink", "amber-100", TEXT),
    ("ink-soft", "paper", TEXT), ("ink-soft", "canvas", TEXT), ("ink-soft", "tint", TEXT),
    ("ink-soft", "green-50", TEXT),
    ("green-700", "paper", TEXT), ("green-700", "canvas", TEXT), ("green-700", "green-50", TEXT),
    ("green-900", "paper", TEXT), ("green-900", "green-100", TEXT), ("green-900", "tint", TEXT),
    ("grey-800", "grey-100", TEXT), ("blue-800", "blue-100", TEXT),
    ("amber-800", "amber-100", TEXT), ("red-700", "red-100", TEXT), ("red-700", "paper", TEXT),
    ("red-700", "canvas", TEXT),
    ("on-dark", "green-950", TEXT), ("on-dark", "green-900", TEXT), ("on-dark", "green-800", TEXT),
    ("on-dark", "green-700", TEXT), ("on-dark-soft", "green-700", TEXT),
    ("on-dark-soft", "green-950", TEXT), ("on-dark", "red-700", TEXT), ("on-dark", "red-800", TEXT),
    ("line-strong", "paper", UI), ("focus", "paper", UI), ("focus", "canvas", UI),
    ("focus", "green-100", UI), ("focus-on-dark", "green-950", UI),
    ("focus-on-dark", "green-700", UI), ("green-300", "green-950", UI),
    ("green-600", "track", UI), ("green-600", "paper", UI),
]


def tokens() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", CSS.read_text(), re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", root))


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#777777", "#ffffff") < TEXT  # the classic just-fails grey


@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS, ids=[f"{f}-on-{b}" for f, b, _ in PAIRS])
def test_colour_pair_meets_wcag_aa(fg, bg, minimum):
    colours = tokens()
    ratio = contrast(colours[fg], colours[bg])
    assert ratio >= minimum, f"{fg} on {bg}: {ratio:.2f} < {minimum}"


def test_every_colour_in_the_rules_is_a_token_or_white_black():
    """Colours are chosen in :root only, so the pairs above cover what the pages show."""
    sheets = {path.name: path.read_text() for path in CSS.parent.glob("*.css")}
    sheets["app.css"] = re.sub(r":root\s*{.*?}", "", sheets["app.css"], count=1, flags=re.S)
    stray = {name: set(re.findall(r"#[0-9a-fA-F]{3,6}\b", text)) - {"#fff", "#000", "#999"}
             for name, text in sheets.items()}
    assert not any(stray.values()), stray
