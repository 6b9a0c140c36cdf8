"""A table that leaves Enter and ←/→ to its screen, so that keys are handled in the order typed.

Textual runs a screen's *priority* bindings as soon as a key arrives, before the keys queued
ahead of it: with Enter or → as priority bindings, "x 1 2 Enter 1" typed quickly (or arriving
in one read, as over a slow terminal) ended the count before the digits were read, and "1 →"
recorded the rating in the next area. A table that does not take these keys lets them bubble
to the screen as ordinary bindings, one after another.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import DataTable

from kit.widgets.keys import MOVE_KEYS


class RowTable(DataTable[object], inherit_bindings=False):
    """A row-cursor `DataTable` that moves up and down and passes every other key on."""

    BINDINGS: ClassVar[list[BindingType]] = MOVE_KEYS
