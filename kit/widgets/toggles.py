"""Check boxes and radio buttons whose state shows without colour.

Textual draws the same mark in both states and tells them apart by colour alone; on a washed-out
projector, or for someone who cannot tell the colours apart, they look the same. Here an empty
box is empty.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    """☒-style: an X when checked, nothing when not."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "X" if self.value else " "


class MarkedRadioButton(RadioButton):
    """(●) when chosen, ( ) when not."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "●" if self.value else " "
