"""Black and white first: every band's and bar's text keeps 4.5:1 once printed in grey, and the
rating levels differ by more than hue."""

from __future__ import annotations

import pytest
from measure_helpers import grey_contrast, printed_grey, wcag_luminance
from reportlab.lib import colors

from kit.deck import Deck
from kit.exports import styles

AWKWARD = ["#009E73", "#D55E00", "#777777", "#808080", "#FFFF00", "#00FF00", "#FF0000",
           "#0000FF", "#56B4E9", "#E69F00", "#F0E442", "#CC79A7", "#0072B2", "#999999"]


def test_every_area_band_of_the_deck(deck: Deck) -> None:
    for area in deck.areas:
        fill = styles.area_colour(area.colour)
        ink = styles.on_colour(fill)
        assert grey_contrast(ink, fill) >= 4.5, area.id


@pytest.mark.parametrize("hex_value", AWKWARD)
def test_any_area_colour_a_deck_may_give(hex_value: str) -> None:
    fill = styles.area_colour(hex_value)
    ink = styles.on_colour(fill)
    assert grey_contrast(ink, fill) >= 4.5
    # ...and in colour too
    one = wcag_luminance((ink.red, ink.green, ink.blue))
    two = wcag_luminance((fill.red, fill.green, fill.blue))
    assert (max(one, two) + 0.05) / (min(one, two) + 0.05) >= 4.5
    # the colour is kept as far as it can be: a nudge, not a different colour
    original = colors.HexColor(hex_value)
    assert abs(printed_grey((fill.red, fill.green, fill.blue))[0]
               - printed_grey((original.red, original.green, original.blue))[0]) < 0.5


def test_every_level_of_the_bars(deck: Deck) -> None:
    for index in range(len(styles.LEVEL_COLOURS)):
        fill = styles.level_colour(index)
        assert grey_contrast(styles.on_colour(fill), fill) >= 4.5, index


def test_levels_differ_by_pattern_not_hue_alone(deck: Deck) -> None:
    count = len(deck.scale)
    patterns = [styles.level_pattern(i) for i in range(count)]
    assert len(set(patterns)) == count  # each level its own pattern in every bar and legend
    assert len(set(styles.LEVEL_PATTERNS)) == len(styles.LEVEL_COLOURS)
