"""A list that leaves Enter to its screen, as `RowTable` does (see kit/widgets/table.py).

A module of its own: the start screen shows it, and importing `DataTable` with `RowTable` cost
the app's start-up 2 %.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class RowList(OptionList, inherit_bindings=False):
    """An `OptionList` that moves up and down and leaves Enter to its screen (which also shows
    it in the key bar); a click still picks an option."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
    ]
