"""The summary and its keys (issue 13, item 9): ↓ and PgDn scroll the results at once."""

from __future__ import annotations

from pathlib import Path

from flow_helpers import session_app, settle
from textual.containers import VerticalScroll

from kit.deck import Deck
from kit.screens.summary import SummaryScreen


async def test_the_summary_scrolls_with_down_and_page_down(data_dir: Path, deck: Deck) -> None:
    app, _session = session_app(data_dir, deck, "summary", None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        results = app.screen.query_one("#results-scroll", VerticalScroll)
        assert results.max_scroll_y > 0  # more than one screenful
        await pilot.press("down")
        await pilot.pause()
        assert results.scroll_y == 1
        await pilot.press("pagedown")
        await pilot.pause()
        assert results.scroll_y > 5
        await pilot.press("2", "3", "1")  # to the other tabs and back: still scrolls
        await pilot.pause()
        before = results.scroll_y
        await pilot.press("up")
        await pilot.pause()
        assert results.scroll_y == before - 1


async def test_the_projector_pages_an_area_that_does_not_fit(data_dir: Path, deck: Deck) -> None:
    """Item 12: no one scrolls the wall; Arvot at 80×24 is shown a page at a time."""
    from kit.screens.present import PresentScreen

    app, _session = session_app(data_dir, deck, "present", "arvot")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        body = screen.query_one("#present-body", VerticalScroll)
        assert body.max_scroll_y > 0  # it does not fit at this size
        page = screen.query_one("#present-page")
        assert str(page.render()).startswith("1/")
        screen.action_page(1)  # what the page timer does
        await pilot.pause()
        await pilot.pause()
        assert body.scroll_y > 0 and str(page.render()).startswith("2/")
        pages = int(str(page.render()).split("/")[1])
        for _ in range(pages - 1):
            await pilot.press("pagedown")
        await pilot.pause()
        await pilot.pause()
        assert body.scroll_y == 0 and str(page.render()).startswith("1/")  # round again


async def test_the_comment_column_fits_at_60_columns(data_dir: Path, deck: Deck) -> None:
    """Item 12: at 60×20 the level bars give way; the ✎ column is not cut off."""
    from kit.screens.area import AreaScreen
    from kit.widgets.practicetable import PracticeTable

    app, _session = session_app(data_dir, deck)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AreaScreen)
        table = screen.query_one("#practices", PracticeTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.max_scroll_x == 0
