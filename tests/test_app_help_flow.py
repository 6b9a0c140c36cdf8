"""The help of every screen is made from its bindings: every key once, every row once (issue
13, items 10 and 11), and the keys the area screen has are shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flow_helpers import session_app, settle
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from kit.app import WorkshopApp
from kit.deck import Deck
from kit.screens.area import AreaScreen
from kit.screens.help import help_rows


def bindings_with_words(screen: Screen[Any], app: WorkshopApp) -> list[str]:
    """The key displays of the screen's and the app's bindings that say what they do."""
    own = {b.key for b in Binding.make_bindings(getattr(screen, "BINDINGS", []))}
    own |= {b.key for b in Binding.make_bindings(app.BINDINGS)}
    shown = []
    for node in (screen, app):
        for key, binding in node._bindings:
            if binding.description and not binding.system and key in own:
                shown.append(app.get_key_display(binding))
    return shown


def check_help(screen: Screen[Any], app: WorkshopApp) -> None:
    rows = help_rows(screen, app)
    words = [w for _keys, w in rows]
    assert len(words) == len(set(words)), words  # no row twice
    tokens = [tok for keys, _w in rows for tok in keys.split(" / ")]
    assert len(tokens) == len(set(tokens)), tokens  # no key twice
    for shown in bindings_with_words(screen, app):
        # "←" is written inside "←→": a sign may be part of a longer display, a letter not.
        hits = [keys for keys, _w in rows
                if any(shown == tok or (not shown.isalnum() and shown in tok)
                       for tok in keys.split(" / "))]
        assert len(hits) == 1, (type(screen).__name__, shown, rows)


@pytest.mark.parametrize("step", ["area", "ballot", "present", "summary", "export", "setup"])
async def test_every_binding_is_in_the_help_exactly_once(
        data_dir: Path, deck: Deck, step: str, lang: str = "fi") -> None:
    area = "osallisuus" if step in ("area", "ballot", "present") else None
    for lang in ("fi", "en"):
        app, _session = session_app(data_dir / lang, deck, step, area, lang=lang)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            check_help(app.screen, app)
            if step == "area":
                for key in ("c", "escape", "ctrl+z"):  # the comment dialog, and a question
                    await pilot.press(key)
                    await settle(pilot)
                    check_help(app.screen, app)


async def test_the_start_screen_help(data_dir: Path) -> None:
    app = WorkshopApp(data_dir=data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        check_help(app.screen, app)


async def test_the_area_keys_and_the_count_as_typed(data_dir: Path, deck: Deck) -> None:
    """Item 11: r, s and a in the key bar; "Määrä: _" after x, not a 1 no one typed; the
    combined view of all groups does not carry over to the next area."""
    app, _session = session_app(data_dir, deck)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AreaScreen)
        bar = str(screen.query_one("#keys", Static).render())
        for words in ("vähennä", "yhteenveto", "asetukset"):
            assert words in bar
        await pilot.press("x")
        status = str(screen.query_one("#area-status", Static).render())
        assert "Määrä: _" in status and "1" not in status.split("(")[0]
        await pilot.press("escape")
        groups = len(app.snapshot().meta.groups)
        await pilot.press(*["tab"] * groups)  # to "all groups"
        await pilot.press("right")
        await settle(pilot)
        assert screen.area_id == "yhteistyo"
        await pilot.press("1")  # taken, by the group that was chosen before "all"
        await settle(pilot)
        first = deck.area("yhteistyo").practices[0].id
        assert dict(app.snapshot().ratings) == {(groups, first, "hyvin"): 1}
