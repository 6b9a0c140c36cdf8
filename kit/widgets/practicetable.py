"""The area screen's practices: a heading line and one line per practice, drawn a line at a time.

Not a `DataTable`: every `update_cell` bumps a counter that is part of every one of its render
cache keys, so one vote redrew the whole table (22 lines, ~40 cells: 3.7 ms of a 5.4 ms frame,
where a bare Textual app's frame takes 0.4 ms). Here each row is drawn once into a `Strip` and
kept; a row whose cells changed, or the two rows the cursor left and reached, are drawn again
and only their lines are repainted (Textual's line API, as `Log` uses it).

The row under the cursor starts with ▸ and is drawn in the cursor's colours and bold, so the
choice is not shown by colour alone. The heading line stays put while the rows scroll. Like
`RowList` (kit/widgets/rowlist.py) it takes only the keys of `MOVE_KEYS`: Enter and ←/→ are
the screen's own bindings, so keys typed ahead are handled in the order they were typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kit.widgets.keys import MOVE_KEYS

CURSOR, PLAIN = "▸", " "  # the first character of the first column: the row under the cursor
PAD = 1  # blank cells either side of every cell, as the DataTable had (cell_padding=1)
HEADER = -1  # the heading line's place in the strip cache


@dataclass(frozen=True)
class Column:
    """A column: its key (for `set_row` and `get_cell`), heading and width in cells."""

    key: str
    heading: str
    width: int


def _segments(text: Text, console: Console) -> Iterable[Segment]:
    """A line of text as segments. `Text.render` leaves out the text's own style when it has
    no spans (Rich adds it further up), and a cell's style is what dims a zero."""
    if text.spans or not text.style:
        return text.render(console)
    return [Segment(text.plain, console.get_style(text.style))]


def _same(a: Sequence[Text], b: Sequence[Text]) -> bool:
    """Whether two rows of cells draw alike (`Text.__eq__` leaves out the text's own style)."""
    return len(a) == len(b) and all(
        x.plain == y.plain and x.style == y.style and x.spans == y.spans
        for x, y in zip(a, b, strict=True))


class PracticeTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of cells under a heading line; ↑/↓, PgUp/PgDn, Home/End move, a click picks a row."""

    BINDINGS: ClassVar[list[BindingType]] = MOVE_KEYS
    ALLOW_SELECT = False  # a click picks a row; it does not start a text selection

    COMPONENT_CLASSES: ClassVar[set[str]] = {"practice-table--header", "practice-table--cursor"}

    # The DataTable's own look (its header, row cursor and focus tint), so nothing moved.
    DEFAULT_CSS = """
    PracticeTable {
        background: $surface;
        color: $foreground;
        & > .practice-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .practice-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .practice-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .practice-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .practice-table--header {
                background-tint: $foreground 5%;
            }
        }
    }
    """

    class CursorMoved(Message):
        """The cursor is on another row: the screen shows that row's details."""

        def __init__(self, table: PracticeTable, row: int, key: str) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.key = key

        @property
        def control(self) -> PracticeTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._columns: tuple[Column, ...] = ()
        self._keys: list[str] = []
        self._index: dict[str, int] = {}
        self._cells: list[tuple[Text, ...]] = []
        self._strips: dict[int, Strip] = {}  # row (HEADER for the headings) → its line
        self._strip_width = 0  # the width the cached strips were drawn at
        self.cursor_row = 0

    # what it shows --------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (None when there are no rows)."""
        return self._keys[self.cursor_row] if self._keys else None

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Use these columns; every row is drawn again (nothing happens if they are the same).
        A cell stays in its column by key until `set_row` says otherwise."""
        columns = tuple(columns)
        if columns == self._columns:
            return
        old = [column.key for column in self._columns]
        self._cells = [tuple(dict(zip(old, row, strict=True)).get(column.key, Text())
                             for column in columns) for row in self._cells]
        self._columns = columns
        self._strips.clear()
        self._resize_virtual()
        self.refresh()

    def set_rows(self, keys: Sequence[str]) -> None:
        """Show these rows, empty until `set_row` fills them; the cursor stays where it was,
        within the rows (nothing happens if they are the same)."""
        keys = list(keys)
        if keys == self._keys:
            return
        self._keys = keys
        self._index = {key: n for n, key in enumerate(keys)}
        blank = tuple(Text() for _ in self._columns)
        self._cells = [blank for _ in keys]
        self.cursor_row = max(0, min(self.cursor_row, len(keys) - 1))
        self._strips.clear()
        self._resize_virtual()
        self.refresh()
        self._scroll_to_cursor()

    def set_row(self, key: str, cells: Mapping[str, Text]) -> bool:
        """Give row `key` these cells (by column key; a missing one is blank). Only a row that
        changed is drawn again. Returns whether it changed."""
        row = self._index[key]
        new = tuple(cells.get(column.key, Text()) for column in self._columns)
        if _same(new, self._cells[row]):
            return False
        self._cells[row] = new
        self._refresh_row(row)
        return True

    def get_cell(self, key: str, column: str) -> Text:
        """What row `key` shows in `column` (without the cursor's ▸)."""
        index = [c.key for c in self._columns].index(column)
        return self._cells[self._index[key]][index]

    def _resize_virtual(self) -> None:
        width = sum(column.width + 2 * PAD for column in self._columns)
        self.virtual_size = Size(width, len(self._keys) + 1)  # the heading line and the rows

    # the cursor -----------------------------------------------------------------------------

    def _page(self) -> int:
        """How many rows show at once (below the heading line)."""
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        """Put the cursor on `row` (kept within the rows) and scroll it into view."""
        row = max(0, min(row, len(self._keys) - 1))
        if row != self.cursor_row:
            old, self.cursor_row = self.cursor_row, row
            self._refresh_row(old)
            self._refresh_row(row)
            self.post_message(self.CursorMoved(self, row, self._keys[row]))
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, force=True)
        elif self.cursor_row >= top + self._page():
            self.scroll_to(y=self.cursor_row - self._page() + 1, animate=False, force=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        # As the DataTable did: the view and the cursor both go a page.
        self.scroll_to(y=self.scroll_y - self._page(), animate=False, force=True)
        self.move_cursor(self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self._page(), animate=False, force=True)
        self.move_cursor(self.cursor_row + self._page())

    def action_scroll_top(self) -> None:
        self.move_cursor(0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(len(self._keys) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:  # outside the rows, or on the heading line
            return
        row = round(self.scroll_y) + offset.y - 1
        if 0 <= row < len(self._keys):
            self.move_cursor(row)
            event.stop()

    def on_resize(self) -> None:
        self._scroll_to_cursor()  # a lower window must not hide the cursor

    # drawing --------------------------------------------------------------------------------

    def _refresh_row(self, row: int) -> None:
        """Repaint only the line of `row`, if it is in view."""
        self._strips.pop(row, None)
        y = row + 1 - round(self.scroll_y)
        if 1 <= y < self.scrollable_content_region.height:
            self.refresh(Region(0, y, max(self.virtual_size.width, self.size.width), 1))

    def notify_style_update(self) -> None:
        # Focus, the theme (F9) or the CSS changed: every line's colours may have.
        self._strips.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        row = HEADER if y == 0 else y - 1 + scroll_y
        base = self.rich_style
        if row >= len(self._keys):
            return Strip.blank(width, base)
        length = max(width, self.virtual_size.width)
        if length != self._strip_width:
            self._strips.clear()
            self._strip_width = length
        strip = self._strips.get(row)
        if strip is None:
            strip = self._strips[row] = self._draw(row, base, length)
        if scroll_x or strip.cell_length != width:
            strip = strip.crop_extend(scroll_x, scroll_x + width, base)
        return strip

    def _draw(self, row: int, base: Style, length: int) -> Strip:
        """One line, `length` cells long: the headings or a row's cells, padded and styled
        as the DataTable styled them (the cursor's colours win over a cell's own)."""
        if row == HEADER:
            texts: Sequence[Text] = [Text(column.heading) for column in self._columns]
            pre = fill = self.get_component_styles("practice-table--header").rich_style
            post = Style.null()
        else:
            texts = self._cells[row]
            if row == self.cursor_row:
                cursor = self.get_component_rich_style("practice-table--cursor")
                pre = fill = base + cursor
                post = Style.from_color(cursor.color, cursor.bgcolor)
            else:
                pre = fill = base
                post = Style.null()
        console = self.app.console
        segments: list[Segment] = []
        blank = Segment(" " * PAD)
        for n, (column, text) in enumerate(zip(self._columns, texts, strict=True)):
            if n == 0 and row != HEADER:
                text = Text(CURSOR if row == self.cursor_row else PLAIN) + text
            text = text.copy()
            text.truncate(column.width, overflow="crop")
            segments.append(blank)
            segments.extend(_segments(text, console))
            segments.append(Segment(" " * (column.width - text.cell_len + PAD)))
        segments = list(Segment.apply_style(segments, pre, post))
        used = sum(column.width + 2 * PAD for column in self._columns)
        if length > used:
            segments.append(Segment(" " * (length - used), fill))
        return Strip(segments, max(length, used)).simplify()
