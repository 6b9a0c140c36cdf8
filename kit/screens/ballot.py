"""The secret ballot: the laptop goes round, each person rates the area's practices and spends
their dots in private, checks a summary, sends, and the screen clears before the next person.

The store keeps only the anonymous totals. The last ballot stays in memory (and nowhere else)
until the next person starts, so the person who just voted can take it back; after that it is
gone. Closing the ballot box takes ctrl+x twice, so a participant cannot close it by accident.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from kit.deck import Area
from kit.errors import KitError
from kit.screens.base import Command, KitScreen
from kit.view import shorten
from kit.widgets.keys import KeyBar

NBSP = "\u00a0"  # keeps a choice on one line when the row wraps


def _level_bindings() -> list[Binding]:
    return [Binding(str(n), f"choose({n})", f"level.{n}", show=False) for n in range(1, 10)]


class BallotScreen(KitScreen):
    """Pass the laptop: fill in, check, send, thanks; repeat; ctrl+x twice closes."""

    STEP = "ballot"
    HELP = "help.ballot"
    BLOCKS_PALETTE = True  # the palette could show the room's numbers to a participant
    BINDINGS: ClassVar[list[Binding]] = [
        # Not priority bindings: those would run before the keys typed ahead of them (nothing
        # on this screen takes focus, so every key comes here in the order typed).
        Binding("enter", "next", "key.ballot_next"),
        Binding("up", "move(-1)", "key.ballot_move", key_display="↑↓"),
        Binding("down", "move(1)", "key.ballot_move", show=False),
        Binding("right", "cycle(1)", "key.ballot_rate", key_display="key.ballot_rate_keys"),
        Binding("left", "cycle(-1)", "key.ballot_rate", show=False),
        *_level_bindings(),
        Binding("plus", "dot(1)", "key.ballot_dots", key_display="+ −"),
        Binding("minus", "dot(-1)", "key.ballot_dots", show=False),
        Binding("escape", "back", "key.ballot_back"),
        Binding("ctrl+z", "withdraw", "key.withdraw"),
        Binding("ctrl+x", "close_box", "key.close_box"),
    ]

    def __init__(self, area_id: str) -> None:
        self.area_id = area_id
        self.state = "pass"  # pass → fill → review → pass (thanked) …; closing
        self.thanked = False
        self.withdrawn = False
        self.current = 0
        self.ratings: dict[str, str] = {}
        self.dots: dict[str, int] = {}
        self._last: tuple[dict[str, str], dict[str, int]] | None = None
        super().__init__()

    @property
    def area(self) -> Area:
        return self.kit.snapshot().deck.area(self.area_id)

    def compose(self) -> ComposeResult:
        with Vertical(id="ballot-head"):
            yield Static(id="ballot-title")
            yield Static(id="ballot-count")
            yield Static(Text(self.t("ballot.question")), id="ballot-question")
        yield Static(id="ballot-message")
        rows = VerticalScroll(id="ballot-rows")
        rows.can_focus = False  # its arrow keys are the ballot's: the screen scrolls it
        yield rows
        yield Static(id="ballot-dots")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        area = self.area
        self.query_one("#ballot-title", Static).update(Text(
            self.t("ballot.title", area=f"{area.symbol} {area.title(self.lang)}"),
            style="bold"))
        self.show()

    # drawing --------------------------------------------------------------------------------

    def show(self) -> None:
        """Draw the current state; nothing of a sent ballot is ever drawn again."""
        count = self.kit.snapshot().ballot_totals(self.area_id).ballots
        self.query_one("#ballot-count", Static).update(
            Text(self.t("ballot.count", n=count)))
        message = self.query_one("#ballot-message", Static)
        rows = self.query_one("#ballot-rows", VerticalScroll)
        dots = self.query_one("#ballot-dots", Static)
        filling = self.state == "fill"
        rows.display = filling
        dots.display = filling
        self.query_one("#ballot-question", Static).display = filling
        message.display = not filling
        self.set_class(self.state == "pass" and self.thanked, "-thanked")
        message.set_class(self.state == "review", "-review")
        if self.state == "pass":
            if self.withdrawn:
                key = "ballot.withdrawn"
            elif self.thanked:
                key = "ballot.thanks"
            else:
                key = "ballot.pass"
            message.update(Text(self.t(key)))
        elif self.state == "closing":
            message.update(Text(self.t("ballot.closing")))
        elif self.state == "review":
            message.update(self._review())
        else:
            self._draw_rows()
            self._draw_dots()
        self.refresh_bindings()

    def _chips(self, row: int, practice_id: str, wide: bool) -> str:
        chips = []
        scale = self.kit.snapshot().deck.scale
        for n, level in enumerate(scale, start=1):
            short = level.short(self.lang)
            label = level.label(self.lang) if wide or short == level.symbol else short
            chosen = self.ratings.get(practice_id) == level.id
            mark = "(•)" if chosen else "( )"
            words = escape(f"{mark} {n} {level.symbol} {label}".replace(" ", NBSP))
            style = "reverse b" if chosen else "u"
            chips.append(f"[@click=screen.pick({row},{n})][{style}]{words}[/][/]")
        return "  ".join(chips)

    def _draw_rows(self) -> None:
        rows = self.query_one("#ballot-rows", VerticalScroll)
        practices = self.area.practices
        wide = self.size.width >= 110
        existing = list(rows.query(".ballot-row"))
        if len(existing) != len(practices):
            rows.remove_children()
            existing = [Static(classes="ballot-row") for _ in practices]
            rows.mount_all(existing)
        for row, (widget, practice) in enumerate(zip(existing, practices, strict=True)):
            marker = "▸" if row == self.current else " "
            given = self.dots.get(practice.id, 0)
            dots = f"  [b]{'●' * given}[/b]" if given else ""
            text = (f"{marker} [b]{escape(practice.card_id)}[/b]{NBSP}{NBSP}"
                    f"{escape(practice.text(self.lang))}{dots}"
                    f"   [@click=screen.give_dot({row})][u]{NBSP}+●{NBSP}[/u][/]"
                    f" [@click=screen.take_dot({row})][u]{NBSP}−●{NBSP}[/u][/]\n"
                    f"{NBSP}{NBSP}{NBSP}{NBSP}{self._chips(row, practice.id, wide)}")
            widget.update(text)
            widget.set_class(row == self.current, "-current")
        if existing:
            existing[self.current].scroll_visible(animate=False)

    def _draw_dots(self) -> None:
        total = self.kit.snapshot().meta.dots
        used = sum(self.dots.values())
        circles = "●" * used + "○" * (total - used)
        self.query_one("#ballot-dots", Static).update(
            Text(self.t("ballot.dots", circles=circles, left=total - used, total=total)))

    def _review(self) -> Text:
        deck = self.kit.snapshot().deck
        text = Text(self.t("ballot.review_title") + "\n\n", style="bold")
        width = max(20, self.size.width - 30)
        for practice in self.area.practices:
            level_id = self.ratings.get(practice.id)
            answer = (f"{deck.level(level_id).symbol} {deck.level(level_id).label(self.lang)}"
                      if level_id else self.t("ballot.no_answer"))
            name = shorten(practice.text(self.lang), width)
            text.append(f"\u00a0\u00a0{practice.card_id:<6}{name}  ")
            text.append(f"{answer}\n", style="bold" if level_id else "dim")
        spent = [f"{deck.practice(p).card_id} {'●' * n}" for p, n in self.dots.items() if n]
        text.append("\n" + self.t("ballot.review_dots",
                                  dots=", ".join(spent) if spent else self.t("ballot.no_dots")))
        text.append("\n\n" + self.t("ballot.review_keys"), style="bold")
        return text

    # keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "cycle", "choose", "dot", "pick", "give_dot", "take_dot"):
            return self.state == "fill"
        if action == "back":
            return self.state in ("fill", "review", "closing")
        if action == "withdraw":
            return self.state == "pass" and self._last is not None
        if action == "close_box":
            return self.state in ("pass", "closing")
        if action == "next":
            return self.state in ("pass", "fill", "review")
        return True

    def action_next(self) -> None:
        if self.state == "pass":
            self._last = None  # the next person starts: the last ballot can no longer be taken back
            self.withdrawn = False
            self.ratings, self.dots, self.current = {}, {}, 0
            self.state = "fill"
        elif self.state == "fill":
            self.state = "review"
        elif self.state == "review":
            self._send()
            return
        self.show()

    def _send(self) -> None:
        try:
            self.kit.store.cast_ballot(self.kit.session_id or "", self.area_id,
                                       dict(self.ratings), dict(self.dots))
        except KitError as error:
            self.fail(error)
            self.state = "fill"
            self.show()
            return
        self._last = (self.ratings, self.dots)
        self.ratings, self.dots, self.current = {}, {}, 0
        self.query_one("#ballot-rows", VerticalScroll).remove_children()
        self.thanked = True
        self.state = "pass"
        self.show()

    def action_withdraw(self) -> None:
        if self._last is None:
            return
        ratings, dots = self._last
        try:
            self.kit.store.withdraw_ballot(self.kit.session_id or "", self.area_id, ratings, dots)
        except KitError as error:
            self.fail(error)
            return
        self._last = None
        self.withdrawn = True
        self.show()

    def action_back(self) -> None:
        if self.state == "review":
            self.state = "fill"
        elif self.state == "fill":  # this person gives up: nothing was sent
            self.ratings, self.dots = {}, {}
            self.state = "pass"
        elif self.state == "closing":
            self.state = "pass"
        self.show()

    async def action_close_box(self) -> None:
        if self.state == "pass":
            self.state = "closing"
            self.show()
            return
        self._last = None
        self.kit.back()

    def action_move(self, step: int) -> None:
        count = len(self.area.practices)
        self.current = max(0, min(count - 1, self.current + step))
        self._draw_rows()

    def action_choose(self, n: int) -> None:
        self.action_pick(self.current, n)

    def action_pick(self, row: int, n: int) -> None:
        scale = self.kit.snapshot().deck.scale
        if not 1 <= n <= len(scale):
            return
        practice = self.area.practices[row]
        level_id = scale[n - 1].id
        if self.ratings.get(practice.id) == level_id:
            del self.ratings[practice.id]  # choosing it again clears the answer
        else:
            self.ratings[practice.id] = level_id
        self.current = row
        self._draw_rows()

    def action_cycle(self, step: int) -> None:
        scale = self.kit.snapshot().deck.scale
        practice = self.area.practices[self.current]
        ids = [lv.id for lv in scale]
        now = self.ratings.get(practice.id)
        index = (ids.index(now) + step) % len(ids) if now in ids else (0 if step > 0 else -1)
        self.ratings[practice.id] = ids[index]
        self._draw_rows()

    def action_dot(self, step: int) -> None:
        self._pick_dot(self.current, step)

    def action_give_dot(self, row: int) -> None:
        self._pick_dot(row, +1)

    def action_take_dot(self, row: int) -> None:
        self._pick_dot(row, -1)

    def _pick_dot(self, row: int, step: int) -> None:
        practice = self.area.practices[row]
        total = self.kit.snapshot().meta.dots
        given = self.dots.get(practice.id, 0)
        if step > 0 and sum(self.dots.values()) >= total:
            self.kit.notify(self.t("ballot.no_dots_left", total=total), markup=False)
            return
        given = max(0, given + step)
        if given:
            self.dots[practice.id] = given
        else:
            self.dots.pop(practice.id, None)
        self.current = row
        self._draw_rows()
        self._draw_dots()

    def binding_words(self, key: str) -> str:
        if key.startswith("level."):
            return ""
        return super().binding_words(key)

    def palette(self) -> list[Command]:
        return []
