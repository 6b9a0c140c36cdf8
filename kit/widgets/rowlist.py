"""The start screen's list of saved workshops: one line each, a cursor, Enter left to the screen.

A `Static` that draws the rows that fit, not an `OptionList`: Textual's scrolling list cost
the app 3 % of its start-up (its own styles, line cache and scroll bars), and this list is on
the first screen a facilitator waits for. The chosen row has a ▶ as well as the cursor
colour, so the choice is not shown by colour alone; ↑ and ↓ in the margin say that there are
more rows above or below. Like `PracticeTable` (kit/widgets/practicetable.py) it takes no
Enter: the screen's own Enter binding opens the chosen workshop, so keys are handled in the
order typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Static

from kit.widgets.keys import MOVE_KEYS

CHOSEN, ABOVE, BELOW, PLAIN = "▶ ", "↑ ", "↓ ", "  "


class RowList(Static, can_focus=True):
    """Rows of (key, one line of text); ↑/↓, PgUp/PgDn, Home/End move, a click picks one."""

    BINDINGS: ClassVar[list[BindingType]] = MOVE_KEYS

    class Picked(Message):
        """A row was clicked: open it."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[tuple[str, Text]] = []
        self.cursor = 0
        self._top = 0  # the first row shown

    def set_rows(self, rows: Sequence[tuple[str, Text]]) -> None:
        """Show these rows, with the cursor on the first."""
        self._rows, self.cursor, self._top = list(rows), 0, 0
        self.refresh(layout=True)

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def chosen(self) -> str | None:
        """The key of the row under the cursor (None when there are none)."""
        return self._rows[self.cursor][0] if self._rows else None

    def _shown(self) -> int:
        """How many rows fit (all of them before the first layout)."""
        return self.size.height or len(self._rows)

    def _move_to(self, row: int) -> None:
        self.cursor = max(0, min(row, len(self._rows) - 1))
        shown = self._shown()
        if self.cursor < self._top:
            self._top = self.cursor
        elif self.cursor >= self._top + shown:
            self._top = self.cursor - shown + 1
        self.refresh()

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor + 1)

    def action_page_up(self) -> None:
        self._move_to(self.cursor - max(1, self._shown() - 1))

    def action_page_down(self) -> None:
        self._move_to(self.cursor + max(1, self._shown() - 1))

    def action_scroll_top(self) -> None:
        self._move_to(0)

    def action_scroll_bottom(self) -> None:
        self._move_to(len(self._rows) - 1)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.action_cursor_down()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.action_cursor_up()

    def on_click(self, event: events.Click) -> None:
        row = self._top + event.y
        if 0 <= row < len(self._rows):
            self._move_to(row)
            self.post_message(self.Picked(self._rows[row][0]))

    def on_resize(self) -> None:
        self._move_to(self.cursor)  # keep the chosen row in view

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self._rows)

    def render(self) -> Text:
        shown = self._shown()
        end = min(len(self._rows), self._top + shown)
        lines = []
        for row in range(self._top, end):
            if row == self.cursor:
                marker = CHOSEN
            elif row == self._top and row > 0:
                marker = ABOVE
            elif row == end - 1 and end < len(self._rows):
                marker = BELOW
            else:
                marker = PLAIN
            line = Text(marker) + self._rows[row][1]
            if row == self.cursor:
                line.stylize("reverse bold" if self.has_focus else "bold")
            lines.append(line)
        return Text("\n").join(lines)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
