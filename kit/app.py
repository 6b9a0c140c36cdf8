"""The workshop app: one Textual app that runs a facilitated session from set-up to export.

The app owns what outlives a screen: the store, the open session, the area timers (so they keep
counting while the facilitator moves about), the themes and the language. Screens (one per file
in `kit/screens/`) gather input and call the store; the store is the truth and every screen
reads it back through a `Snapshot`. Where the facilitator is (`Store.record_step`) is saved on
every move, so quitting and starting again returns to the same screen and area.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import time
from collections.abc import Callable, Coroutine
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from rich.align import Align
from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets.option_list import Option

from kit.crash import log_unexpected
from kit.errors import KitError
from kit.i18n import normalise, t
from kit.place import left_open, mark_open
from kit.store import Store
from kit.timer import MINUTE_MS, AreaTimer, Clock
from kit.widgets.keys import localise_bindings

if TYPE_CHECKING:
    from kit.session import Snapshot
    from kit.store import SessionHandle

DARK = "tyopaja-dark"
PROJECTOR = "tyopaja-projector"

# The two themes. Hex colours live here and nowhere else; screens use the theme's variables.
THEMES = (
    Theme(
        name=DARK,
        primary="#5AA9E6",
        secondary="#7FC8F8",
        accent="#FFD166",
        warning="#FFD166",
        error="#FF6B6B",
        success="#7BD389",
        foreground="#F2F2F2",
        background="#101418",
        surface="#1A2027",
        panel="#26303A",
        dark=True,
    ),
    # For a projector or a TV in a bright room: black on white, nothing pale.
    Theme(
        name=PROJECTOR,
        primary="#003A70",
        secondary="#1F4E79",
        accent="#7A3E00",
        warning="#7A3E00",
        error="#A00020",
        success="#1B5E20",
        foreground="#000000",
        background="#FFFFFF",
        surface="#FFFFFF",
        panel="#E8E8E8",
        dark=False,
    ),
)

_HERE = Path(__file__).resolve().parent

# Screens that stand on their own; the others are shown over one of these.
MAIN_OF_STEP = {"setup": "setup", "area": "area", "present": "area", "ballot": "area",
                "summary": "summary", "export": "summary"}


class KitPalette(CommandPalette):
    """Textual's command palette, with its "No matches found" in the user's language."""

    def __init__(self, no_matches: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._no_matches_words = no_matches

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # As Textual 8.2.8 (pinned) does it, but its text is fixed English.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(self._no_matches_words, style="not bold")),
                    disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class KitCommands(Provider):
    """The command palette: the current screen's main actions and the app's own, translated."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.app
        assert isinstance(app, WorkshopApp)
        return app.palette_commands(self.screen)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = max(matcher.match(title), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class WorkshopApp(App[None]):
    """The good-practices workshop, keyboard first, Finnish first, offline."""

    # Only what the start screen needs is read before it is drawn; the other screens'
    # stylesheets follow in `load_screen_css`. Not as each screen's own CSS_PATH: Textual then
    # parses all of the app's CSS again each time such a screen is first shown (30 ms a time).
    # Absolute, so that subclasses (tests, the benchmark) find them too.
    CSS_PATH: ClassVar[list[str | PurePath]] = [_HERE / "app.tcss",
                                                _HERE / "screens" / "start.tcss"]
    SCREEN_CSS: ClassVar[tuple[PurePath, ...]] = (_HERE / "shared.tcss", *(
        _HERE / "screens" / f"{name}.tcss"
        for name in ("setup", "area", "present", "ballot", "summary", "export", "qr", "room",
                     "merge", "compare")))
    TITLE = "Työpaja"
    COMMANDS: ClassVar[set[Any]] = {KitCommands}
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+q", "quit", "key.quit", priority=True, show=False),
        Binding("question_mark", "help", "key.help"),
        Binding("ctrl+p", "command_palette", "key.palette", priority=True),
        Binding("f9", "toggle_theme", "key.theme", show=False),
    ]

    def __init__(self, *, data_dir: str | Path | None = None, store: Store | None = None,
                 lang: str | None = None, session_id: str | None = None,
                 clock: Clock = time.monotonic, wall: Clock = time.time,
                 today: Callable[[], _dt.date] = _dt.date.today) -> None:
        super().__init__()
        self.explicit_lang = normalise(lang) if lang else None
        self.lang = self.explicit_lang or normalise(None)
        self._data_dir = data_dir
        self._store = store
        self.store_error: KitError | None = None
        self.session_id: str | None = None
        self._open_first = session_id
        self.clock = clock
        self.wall = wall
        self.today = today
        self.timers: dict[str, AreaTimer] = {}
        self.last_area: str | None = None  # where "back to the areas" returns from the summary
        self.group_id: int | None = None  # the area screen's group (0: all), kept with the step
        # The practice selected in each area this run (kept with the step when it is saved),
        # so coming back to an area, or starting again, shows the same row.
        self.rows: dict[str, str] = {}
        self._rung: set[str] = set()  # areas whose bell has rung for this run of the timer
        self.crash_log: str | None = None
        self._navigation = asyncio.Lock()
        self._projector_for: set[int] = set()  # screens that asked for the projector theme
        self._chosen_theme = DARK
        self._screen_css_loaded = False
        for theme in THEMES:
            self.register_theme(theme)
        # Not `self.theme = DARK`: its watcher re-parses every stylesheet and restyles every
        # widget once the app runs (a fifth of start-up). Nothing is parsed or styled yet, so
        # setting the variables and classes the watcher would set is all it takes.
        self.set_reactive(App.theme, DARK)
        self.stylesheet.set_variables(self.get_css_variables())
        self.set_class(True, f"-theme-{DARK}", update=False)
        localise_bindings(self, self.lang)

    # the store and the session ------------------------------------------------------------

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self._data_dir)
        return self._store

    @property
    def session(self) -> SessionHandle:
        """The open session: what screens record through and read from."""
        assert self.session_id is not None
        return self.store.session(self.session_id)

    def snapshot(self) -> Snapshot:
        """The open session as it is now: one snapshot per change, shared by every reader."""
        return self.session.snapshot

    def load_screen_css(self) -> None:
        """Read the stylesheets of the screens after the start screen, once.

        Called once the start screen is drawn, and before any other screen is made, whichever
        comes first. Their rules all start with their screen's name, so nothing already styled
        changes and the new sources are parsed on their own, not the whole sheet again.
        """
        if self._screen_css_loaded:
            return
        self._screen_css_loaded = True
        for path in self.SCREEN_CSS:
            self.stylesheet.read(path)
        self.stylesheet.parse()

    def set_language(self, lang: str) -> None:
        self.lang = normalise(lang)
        localise_bindings(self, self.lang)
        self.screen.refresh_bindings()

    def on_mount(self) -> None:
        from kit.screens.start import StartScreen

        try:
            store = self.store
        except KitError as error:
            self.store_error = error
        else:
            if store.moved_aside is not None:
                self.notify(t("store.moved_aside", self.lang, path=str(store.moved_aside)),
                            severity="warning", timeout=20, markup=False)
            if store.read_only:
                self.notify(t("store.opened_read_only", self.lang, path=str(store.data_dir)),
                            severity="warning", timeout=20, markup=False)
            if store.fallback_journal:
                self.notify(t("store.fallback_journal", self.lang, path=str(store.data_dir)),
                            severity="warning", timeout=20, markup=False)
        self.push_screen(StartScreen())
        self.set_interval(0.5, self._tick)
        if self._open_first is None and self.store_error is None:
            self._open_first = self._left_open()
        if self._open_first is not None and self.store_error is None:
            session_id, self._open_first = self._open_first, None
            # A task of its own: awaiting screen changes inside the app's own message
            # handler would wait for the very loop that is busy waiting.
            self.open_session(session_id)

    def _left_open(self) -> str | None:
        """The workshop left open when the app last stopped, said aloud, or None."""
        session_id = left_open(self.store.data_dir)
        found = [s for s in self.store.sessions() if s.id == session_id]
        if not found:
            return None
        lang = self.explicit_lang or normalise(found[0].lang)
        self.notify(t("app.resumed", lang, title=found[0].title), timeout=12,
                    markup=False)
        return session_id

    # Screen changes run one after another in a task of their own: a screen that awaited its
    # own replacement inside its key handler would wait for itself.

    def _navigate(self, change: Coroutine[Any, Any, None]) -> None:
        async def one_at_a_time() -> None:
            async with self._navigation:
                await change

        self.run_worker(one_at_a_time(), group="navigation")

    def open_session(self, session_id: str) -> None:
        self._navigate(self._open_session(session_id))

    def close_session(self) -> None:
        self._navigate(self._close_session())

    def go(self, step: str, area_id: str | None = None) -> None:
        self._navigate(self._go(step, area_id))

    def back(self) -> None:
        self._navigate(self._back())

    def new_session(self) -> None:
        self._navigate(self._new_session())

    def open_demo(self) -> None:
        self._navigate(self._open_demo())

    async def _open_session(self, session_id: str) -> None:
        """Open a session where it was left: its screen, its area, its timers."""
        try:
            snapshot = self.store.session(session_id).snapshot
        except KitError as error:
            self.notify(error.message(self.lang), severity="error", markup=False)
            return
        self.session_id = session_id
        if not self.store.read_only:
            mark_open(self.store.data_dir, session_id)
        self.timers.clear()
        self._rung.clear()
        self.last_area = None
        self.group_id = snapshot.step.group_id if snapshot.step is not None else None
        self.rows = {}
        if snapshot.step is not None and snapshot.step.area_id and snapshot.step.practice_id:
            self.rows[snapshot.step.area_id] = snapshot.step.practice_id
        if self.explicit_lang is None:
            self.set_language(snapshot.meta.lang)
        step = snapshot.step
        screen = step.screen if step is not None else "setup"
        area_id = step.area_id if step is not None else None
        if screen in ("area", "present", "ballot") and area_id not in snapshot.meta.area_ids:
            area_id = snapshot.meta.area_ids[0]
        await self._go(screen, area_id)

    async def _close_session(self) -> None:
        """Back to the start screen (the session stays saved, its timers as they are)."""
        from kit.screens.start import StartScreen

        while len(self.screen_stack) > 2:
            await self.pop_screen()
        self.save_place()
        self.session_id = None
        if not self.store.read_only:
            mark_open(self.store.data_dir, None)
        self.timers.clear()
        self.group_id = None
        await self.switch_screen(StartScreen())

    # moving about -----------------------------------------------------------------------------

    def record_step(self, step: str, area_id: str | None = None) -> None:
        """Remember where the facilitator is (only when it changed)."""
        if self.session_id is None:
            return
        if area_id is not None and MAIN_OF_STEP.get(step) == "area":
            self.last_area = area_id
        on_area = MAIN_OF_STEP.get(step) == "area"
        group = self.group_id if on_area else None
        row = self.rows.get(area_id) if on_area and area_id is not None else None
        current = self.snapshot().step
        if current is not None and (
                (current.screen, current.area_id, current.group_id, current.practice_id)
                == (step, area_id, group, row)):
            return
        try:
            self.session.record_step(step, area_id, group, row)
        except KitError as error:
            self.notify(error.message(self.lang), severity="error", markup=False)

    async def _go(self, step: str, area_id: str | None = None) -> None:
        """Show a step of the open session and save it as the place to come back to."""
        from kit.screens.area import AreaScreen
        from kit.screens.ballot import BallotScreen
        from kit.screens.export import ExportScreen
        from kit.screens.present import PresentScreen
        from kit.screens.setup import SetupScreen
        from kit.screens.summary import SummaryScreen

        if self.session_id is None:
            return
        snapshot = self.snapshot()
        if MAIN_OF_STEP.get(step) == "area" and area_id not in snapshot.meta.area_ids:
            area_id = snapshot.meta.area_ids[0]
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        main = MAIN_OF_STEP.get(step, "summary")
        current = self.screen
        if main == "area":
            assert area_id is not None
            if isinstance(current, AreaScreen):
                current.set_area(area_id)
            else:
                await self.switch_screen(AreaScreen(area_id))
        elif main == "setup":
            if not isinstance(current, SetupScreen):
                back_to = (getattr(current, "STEP", None) or "area",
                           getattr(current, "area_id", None))
                await self.switch_screen(SetupScreen(self.session_id, back_to))
        elif not isinstance(current, SummaryScreen):
            await self.switch_screen(SummaryScreen())
        if step == "present":
            await self.push_screen(PresentScreen(area_id or ""))
        elif step == "ballot":
            await self.push_screen(BallotScreen(area_id or ""))
        elif step == "export":
            await self.push_screen(ExportScreen())
        self.record_step(step if step in MAIN_OF_STEP else "summary",
                         area_id if main == "area" else None)

    async def _back(self) -> None:
        """Close a screen shown over a main one and remember the main one again."""
        if len(self.screen_stack) > 2:
            await self.pop_screen()
        screen = self.screen
        step = getattr(screen, "STEP", None)
        if step is not None:
            self.record_step(step, getattr(screen, "area_id", None))

    async def _new_session(self) -> None:
        from kit.screens.setup import SetupScreen

        while len(self.screen_stack) > 2:
            await self.pop_screen()
        await self.switch_screen(SetupScreen(None))

    async def _open_demo(self) -> None:
        """The sample workshop: the one made before if there is one (each `d` making another
        identical one only fills the list), else a new one."""
        from kit.demo import DEMO_DATE, create_demo

        association, title = t("demo.association", self.lang), t("demo.title", self.lang)
        try:
            made = next((i.id for i in self.store.sessions()
                         if (i.association, i.title, i.date) == (association, title, DEMO_DATE)),
                        None)
            session_id = made or create_demo(self.store, self.lang)
        except KitError as error:
            self.notify(error.message(self.lang), severity="error", markup=False)
            return
        await self._open_session(session_id)

    # timers -----------------------------------------------------------------------------------

    def timer(self, area_id: str) -> AreaTimer:
        """The area's timer: as saved, or a full time box from the session's settings."""
        timer = self.timers.get(area_id)
        if timer is None:
            snapshot = self.snapshot()
            saved = snapshot.timers.get(area_id)
            if saved is not None:
                timer = AreaTimer.resume(saved, clock=self.clock, wall=self.wall)
            else:
                timer = AreaTimer(area_id, snapshot.meta.minutes * MINUTE_MS, clock=self.clock,
                                  wall=self.wall)
            self.timers[area_id] = timer
            if timer.expired:
                self._rung.add(area_id)  # it ran out while we were away: flash, but no bell
        return timer

    def save_timer(self, area_id: str) -> None:
        if self.session_id is None:
            return
        try:
            self.session.record_timer(self.timer(area_id).state())
        except KitError as error:
            self.notify(error.message(self.lang), severity="error", markup=False)

    def toggle_timer(self, area_id: str) -> None:
        timer = self.timer(area_id)
        timer.toggle()
        if not timer.expired:
            self._rung.discard(area_id)
        self.save_timer(area_id)

    def add_time(self, area_id: str, minutes: int = 5) -> None:
        self.timer(area_id).add(minutes * MINUTE_MS)
        self._rung.discard(area_id)
        self.save_timer(area_id)

    def pause_timer(self, area_id: str) -> None:
        timer = self.timers.get(area_id)
        if timer is not None and timer.running:
            timer.pause()
            self.save_timer(area_id)

    def _tick(self) -> None:
        """Ring the bell once when an area's time runs out; show other windows' entries."""
        if self.session_id is None:
            return
        self._pick_up_other_windows()
        for area_id, timer in list(self.timers.items()):
            if timer.running and timer.expired and area_id not in self._rung:
                self._rung.add(area_id)
                self.bell()
                title = self.snapshot().deck.area(area_id).title(self.lang)
                self.notify(t("timer.bell", self.lang, area=title), severity="warning",
                            timeout=10, markup=False)

    def _pick_up_other_windows(self) -> None:
        """Entries saved by another app on the same data folder appear here within a tick.

        Asking SQLite whether anything changed costs next to nothing; the log is read only
        when something did, and then only the new entries.
        """
        if self._store is None or self.session_id is None:
            return
        if not self._store.changed_elsewhere():
            return
        try:
            self.session.refresh()
        except KitError as error:
            self.notify(error.message(self.lang), severity="error", markup=False)
            return
        redraw = getattr(self.screen, "refresh_view", None)
        if callable(redraw):
            redraw()

    # themes -----------------------------------------------------------------------------------

    def projector(self, screen: Screen[Any], on: bool) -> None:
        """The light high-contrast theme while a projector screen (present, QR) is shown."""
        if on:
            self._projector_for.add(id(screen))
        else:
            self._projector_for.discard(id(screen))
        self.theme = PROJECTOR if self._projector_for else self._chosen_theme

    def action_toggle_theme(self) -> None:
        self._chosen_theme = PROJECTOR if self._chosen_theme == DARK else DARK
        if not self._projector_for:
            self.theme = self._chosen_theme

    # help, palette, quitting ----------------------------------------------------------------

    def action_help(self) -> None:
        from kit.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a participant holds the laptop there is no way to the room's numbers.
        return not (action == "command_palette"
                    and getattr(self.screen, "BLOCKS_PALETTE", False))

    def action_command_palette(self) -> None:
        if getattr(self.screen, "BLOCKS_PALETTE", False):
            return
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(KitPalette(t("palette.no_matches", self.lang),
                                        placeholder=t("palette.placeholder", self.lang),
                                        id="--command-palette"))

    def save_place(self) -> None:
        """Save the row selected now with the step (moving the cursor writes nothing)."""
        for screen in reversed(self.screen_stack):
            step = getattr(screen, "STEP", None)
            if step is not None:
                self.record_step(step, getattr(screen, "area_id", None))
                return

    async def action_quit(self) -> None:
        """ctrl+q: never while a ballot goes round, and never losing typed text unasked."""
        from kit.screens.ballot import BallotScreen
        from kit.screens.base import ConfirmDialog

        if getattr(self.screen, "quitting", False):  # ctrl+q again on the question: yes
            self.exit()
            return
        self.save_place()
        if any(isinstance(screen, BallotScreen) for screen in self.screen_stack):
            self.notify(t("ballot.quit_refused", self.lang), severity="warning", markup=False)
            return
        unsaved = [s for s in self.screen_stack if getattr(s, "unsaved_text", lambda: False)()]
        if not unsaved:
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        question = ConfirmDialog(t("draft.quit_ask", self.lang), t("draft.quit", self.lang),
                                 t("draft.keep", self.lang))
        question.quitting = True  # type: ignore[attr-defined]
        await self.push_screen(question, answered)

    def action_help_quit(self) -> None:
        self.notify(t("app.how_to_quit", self.lang), markup=False)

    def palette_commands(self, screen: Screen[Any]) -> list[tuple[str, str, Callable[[], Any]]]:
        lang = self.lang
        own = getattr(screen, "palette", None)
        commands: list[tuple[str, str, Callable[[], Any]]] = list(own()) if own else []
        commands += [
            (t("cmd.help", lang), t("cmd.help.help", lang), self.action_help),
            (t("cmd.theme", lang), t("cmd.theme.help", lang), self.action_toggle_theme),
        ]
        if self.session_id is not None:
            commands.append((t("cmd.start", lang), t("cmd.start.help", lang),
                             self.close_session))
        commands.append((t("cmd.quit", lang), t("cmd.quit.help", lang),
                         lambda: self.run_action("quit")))
        return commands

    def _handle_exception(self, error: Exception) -> None:
        # A bug, not a user error: keep the details in a log file and say one line on exit.
        self.crash_log = log_unexpected(error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        self.bell()
        self._close_messages_no_wait()


def run(*, store: Store | None = None, data_dir: str | Path | None = None,
        lang: str | None = None, session_id: str | None = None) -> int:
    """Run the app in this terminal; the exit status for the command line."""
    import sys

    app = WorkshopApp(store=store, data_dir=data_dir, lang=lang, session_id=session_id)
    app.run()
    if app.crash_log is not None:
        print(t("cli.unexpected", app.lang, log=app.crash_log), file=sys.stderr)
        return 1
    return int(app.return_code or 0)
