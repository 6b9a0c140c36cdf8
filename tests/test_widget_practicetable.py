"""The area screen's table on its own, in a bare Textual app: it draws its rows, moves and
scrolls, repaints only the row that changed, and leaves Enter and ←/→ to its screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from fault_helpers import make_app, session_in_area, settle
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Static

from kit.deck import Deck
from kit.screens.area import AreaScreen
from kit.widgets.practicetable import Column, PracticeTable

COLUMNS = [Column("card", "No.", 6), Column("text", "Practice", 12), Column("n", "✓", 6)]
KEYS = [f"p{n}" for n in range(13)]  # as many rows as the Arvot area has


def cells(n: int, count: int = 0) -> dict[str, Text]:
    return {"card": Text(f"AR-{n + 1}"), "text": Text(f"practice {n + 1}"),
            "n": Text(f"{count:>3}", style="" if count else "dim")}


class TableApp(App[None]):
    """The table over a line that takes the rest, as on the area screen; Enter and → are
    the app's, as they are the area screen's."""

    BINDINGS: ClassVar[list[Binding]] = [Binding("enter", "enter"), Binding("right", "enter")]

    def __init__(self) -> None:
        super().__init__()
        self.moves: list[tuple[int, str]] = []
        self.entered: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield PracticeTable(id="table")
        yield Static("details", id="below")

    def on_mount(self) -> None:
        table = self.query_one(PracticeTable)
        table.styles.height = 6  # the heading line and five rows
        table.set_columns(COLUMNS)
        table.set_rows(KEYS)
        for n, key in enumerate(KEYS):
            table.set_row(key, cells(n))
        table.focus()

    @on(PracticeTable.CursorMoved)
    def moved(self, event: PracticeTable.CursorMoved) -> None:
        self.moves.append((event.row, event.key))

    def action_enter(self) -> None:
        self.entered.append(self.query_one(PracticeTable).cursor_key)


def lines(table: PracticeTable) -> list[str]:
    """What the table shows, line by line, as drawn."""
    return [table.render_line(y).text.rstrip() for y in range(table.size.height)]


def shown_rows(table: PracticeTable) -> list[str]:
    return [line.split()[0].lstrip("▸") for line in lines(table)[1:]]


async def started(pilot: Pilot[Any]) -> PracticeTable:
    await pilot.pause()
    return pilot.app.query_one(PracticeTable)


async def test_the_heading_and_the_rows_that_fit_are_drawn() -> None:
    async with TableApp().run_test(size=(40, 12)) as pilot:
        table = await started(pilot)
        shown = lines(table)
        assert shown[0] == " No.     Practice      ✓"
        assert shown[1] == " ▸AR-1   practice 1      0"
        assert shown[2] == "  AR-2   practice 2      0"
        assert len(shown) == 6 and shown[5].startswith("  AR-5")
        assert table.get_cell("p1", "text").plain == "practice 2"
        # The row under the cursor: in bold cursor colours, not only a colour (▸ too).
        cursor = table.render_line(1)
        plain = table.render_line(2)
        assert all(segment.style and segment.style.bold for segment in cursor)
        assert cursor.text.startswith(" ▸") and not plain.text.startswith(" ▸")
        # A zero is dim; the cell padding is not.
        dim = [segment.text for segment in plain if segment.style and segment.style.dim]
        assert dim == ["  0"]


async def test_keys_move_the_cursor_and_the_view_follows_it() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = await started(pilot)
        await pilot.press("down", "down")
        assert table.cursor_row == 2 and table.scroll_y == 0
        await pilot.press("down", "down", "down")  # the sixth row: one below the view
        assert table.cursor_row == 5 and table.scroll_y == 1
        assert shown_rows(table) == ["AR-2", "AR-3", "AR-4", "AR-5", "AR-6"]
        await pilot.press("end")
        assert table.cursor_row == 12 and table.scroll_y == 8
        assert shown_rows(table)[-1] == "AR-13" and "▸AR-13" in lines(table)[-1]
        await pilot.press("down")  # no further than the last row
        assert table.cursor_row == 12
        await pilot.press("pageup")
        assert table.cursor_row == 7 and table.scroll_y == 3
        await pilot.press("pageup", "pageup")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("pagedown")
        assert table.cursor_row == 5 and table.scroll_y == 5
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("up")
        assert table.cursor_row == 0
        await pilot.pause()
        # Each move said where the cursor went, in order (no message when it stayed).
        rows = [row for row, _key in app.moves]
        assert rows == [1, 2, 3, 4, 5, 12, 7, 2, 0, 5, 0]
        assert app.moves[-1] == (0, "p0")


async def test_enter_and_right_are_left_to_the_screen_in_the_order_typed() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await started(pilot)
        await pilot.press("down", "enter", "down", "down", "right", "up", "enter")
        assert app.entered == ["p1", "p3", "p2"]


async def test_a_changed_row_repaints_only_its_own_line(monkeypatch: pytest.MonkeyPatch) -> None:
    async with TableApp().run_test(size=(40, 12)) as pilot:
        table = await started(pilot)
        await pilot.pause()
        refreshed: list[tuple[Region, ...]] = []
        drawn: list[int] = []
        original_refresh, original_line = table.refresh, table.render_line

        def refresh(*regions: Region, **kwargs: Any) -> PracticeTable:
            refreshed.append(regions)
            return original_refresh(*regions, **kwargs)

        def render_line(y: int) -> Strip:
            drawn.append(y)
            return original_line(y)

        monkeypatch.setattr(table, "refresh", refresh)
        monkeypatch.setattr(table, "render_line", render_line)
        # The same cells again: nothing to draw.
        assert not table.set_row("p2", cells(2))
        assert refreshed == []
        # One vote on the third row: its line and no other.
        assert table.set_row("p2", cells(2, count=1))
        assert refreshed == [(Region(0, 3, table.size.width, 1),)]
        await pilot.pause()
        assert drawn == [3]
        assert lines(table)[3] == "  AR-3   practice 3      1"
        # A row scrolled out of view changes: nothing on screen is repainted.
        refreshed.clear()
        drawn.clear()
        assert table.set_row("p9", cells(9, count=4))
        assert refreshed == []
        await pilot.pause()
        assert drawn == []
        # The cursor moving repaints the row it left and the row it reached.
        await pilot.press("down")
        assert sorted(region.y for (region,) in refreshed) == [1, 2]
        await pilot.pause()
        assert sorted(set(drawn)) == [1, 2]


async def test_a_click_picks_a_row_and_the_wheel_scrolls() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = await started(pilot)
        await pilot.click(table, offset=(10, 3))  # the third row
        assert table.cursor_row == 2 and app.moves == [(2, "p2")]
        await pilot.click(table, offset=(10, 0))  # the heading line picks nothing
        assert table.cursor_row == 2
        # The wheel moves the view, not the cursor (as the DataTable did).
        await pilot._post_mouse_events([events.MouseScrollDown], table, offset=(10, 3))
        assert table.scroll_y > 0 and table.cursor_row == 2
        top = round(table.scroll_y)
        await pilot.click(table, offset=(10, 1))  # the first row shown now
        assert table.cursor_row == top


async def test_focus_and_new_columns_draw_every_row_again() -> None:
    async with TableApp().run_test(size=(40, 12)) as pilot:
        table = await started(pilot)
        assert all(segment.style and segment.style.bold for segment in table.render_line(1))
        table.blur()
        await pilot.pause()
        assert not any(segment.style and segment.style.bold for segment in table.render_line(1))
        # Another heading: drawn again, and the cells stay in their columns.
        table.set_columns([*COLUMNS[:2], Column("n", "OK", 6)])
        assert lines(table)[0] == " No.     Practice      OK"
        assert lines(table)[1] == " ▸AR-1   practice 1      0"
        table.set_columns(COLUMNS[:2])  # a column less: its cells go with it
        assert lines(table)[1] == " ▸AR-1   practice 1"


async def test_a_vote_on_the_area_screen_redraws_one_line_of_the_table(
        data_dir: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the table is for: a rating or a dot repaints its practice's line, not the table;
    Arvot's 13 practices scroll at 80×20 and the ▸ follows the cursor down to the last."""
    session = session_in_area(data_dir, deck, "arvot", groups=["A"])
    app = make_app(data_dir, session_id=session)
    async with app.run_test(size=(80, 20)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        table = app.screen.query_one("#practices", PracticeTable)
        assert table.row_count == 13 and table.size.height - 1 < 13  # not all fit: it scrolls
        drawn: list[int] = []
        original = table.render_line

        def render_line(y: int) -> Strip:
            drawn.append(y)
            return original(y)

        monkeypatch.setattr(table, "render_line", render_line)
        await pilot.press("down", "1")
        await settle(pilot)
        drawn.clear()
        await pilot.press("plus")
        await settle(pilot)
        assert drawn == [2]  # the second practice's line: its dots
        assert table.get_cell(deck.area("arvot").practices[1].id, "dots").plain.strip() == "1"
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == 12 and table.scroll_y > 0
        assert lines(table)[-1].startswith(" ▸AR-13")
        assert "AR-13" in str(app.screen.query_one("#detail", Static).render())
