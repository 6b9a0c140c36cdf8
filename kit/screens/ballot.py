"""The secret ballot on the laptop: it goes round, each person rates the area's practices and
spends their dots in private, checks a summary, sends, and the screen clears before the next.

A thin view of `kit.ballots.BallotBox`: keys and drawing only. What may be chosen, the dots a
person has, a blank ballot, taking the last ballot back and closing are the box's rules (the
phones' way of voting uses the same box).

Taking back and closing are the facilitator's, in a menu of their own (ctrl+x, "vetäjä"): the
voter who pressed a wrong key tells the facilitator, who takes the ballot back from that menu
with a second confirmation before the next voter starts. No screen a voter sees offers a way to
take a ballot back, so the next person holding the laptop is never invited to undo the one
before. A level key answers and moves to the next practice; Enter moves on too, and on the
last practice goes to the review, so a first-time voter needs one key per practice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from kit.ballots import Ballot, BallotBox
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
        Binding("tab", "review", "key.ballot_review", key_display="⇥"),
        Binding("up", "move(-1)", "key.ballot_move", key_display="↑↓"),
        Binding("down", "move(1)", "key.ballot_move", show=False),
        Binding("right", "cycle(1)", "key.ballot_rate", key_display="key.ballot_rate_keys"),
        Binding("left", "cycle(-1)", "key.ballot_rate", show=False),
        *_level_bindings(),
        Binding("plus", "dot(1)", "key.ballot_dots", key_display="+ −"),
        Binding("minus", "dot(-1)", "key.ballot_dots", key_display="−", show=False),
        Binding("escape", "back", "key.ballot_back"),
        Binding("ctrl+x", "facilitator", "key.ballot_facilitator"),
        Binding("ctrl+z", "withdraw", "key.withdraw"),
    ]

    def __init__(self, area_id: str) -> None:
        self.box = BallotBox(self.kit.session, area_id)
        self.area_id = area_id
        # pass → fill → review → pass (thanked) …; blank; the facilitator's menu (facilitator:
        # ctrl+x again closes the box) → taking_back
        self.state = "pass"
        self.withdrawn = False
        self.current = 0
        # The practice answered by the last key press: a voter who answers and then presses +
        # means that practice, though the cursor has already moved on to the next one.
        self.answered: int | None = None
        self.ballot = Ballot()
        super().__init__()

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
        area = self.box.area
        self.query_one("#ballot-title", Static).update(Text(
            self.t("ballot.title", area=f"{area.symbol} {area.title(self.lang)}"),
            style="bold"))
        self.show()

    # drawing --------------------------------------------------------------------------------

    def show(self) -> None:
        """Draw the current state; nothing of a sent ballot is ever drawn again."""
        self.query_one("#ballot-count", Static).update(
            Text(self.t("ballot.count", n=self.box.total)))
        message = self.query_one("#ballot-message", Static)
        rows = self.query_one("#ballot-rows", VerticalScroll)
        dots = self.query_one("#ballot-dots", Static)
        filling = self.state == "fill"
        rows.display = filling
        dots.display = filling
        self.query_one("#ballot-question", Static).display = filling
        message.display = not filling
        thanked = self.state == "pass" and self.box.can_take_back
        self.set_class(thanked or (self.state == "pass" and self.withdrawn), "-thanked")
        message.set_class(self.state == "review", "-review")
        if self.state == "pass":
            if self.withdrawn:
                key = "ballot.withdrawn"
            elif thanked:
                key = "ballot.thanks"
            else:
                key = "ballot.pass"
            message.update(Text(self.t(key)))
        elif self.state == "blank":
            message.update(Text(self.t("ballot.blank")))
        elif self.state == "facilitator":
            key = "ballot.menu_take_back" if self.box.can_take_back else "ballot.menu"
            message.update(Text(self.t(key) + "\n\n"
                                + self.t("ballot.round_count", n=self.box.in_round)))
        elif self.state == "taking_back":
            message.update(Text(self.t("ballot.take_back_confirm")))
        elif self.state == "review":
            message.update(self._review())
        else:
            self._draw_rows()
            self._draw_dots()
        self.refresh_bindings()

    def _chips(self, row: int, practice_id: str) -> str:
        """The levels to choose from, in words, wrapped between choices (never inside one:
        Textual breaks lines at no-break spaces too)."""
        width = max(20, self.size.width - 10)
        lines: list[list[str]] = [[]]
        used = 0
        for n, level in enumerate(self.box.levels, start=1):
            chosen = self.ballot.ratings.get(practice_id) == level.id
            mark = "(•)" if chosen else "( )"
            plain = f"{mark} {n} {level.symbol} {level.label(self.lang)}"
            if lines[-1] and used + 2 + cell_len(plain) > width:
                lines.append([])
                used = 0
            used += cell_len(plain) + (2 if lines[-1] else 0)
            style = "reverse b" if chosen else "u"
            lines[-1].append(f"[@click=screen.pick({row},{n})][{style}]{escape(plain)}[/][/]")
        indent = NBSP * 4
        return f"\n{indent}".join("  ".join(line) for line in lines)

    def _draw_rows(self) -> None:
        rows = self.query_one("#ballot-rows", VerticalScroll)
        practices = self.box.practices
        existing = list(rows.query(".ballot-row"))
        if len(existing) != len(practices):
            rows.remove_children()
            existing = [Static(classes="ballot-row") for _ in practices]
            rows.mount_all(existing)
        for row, (widget, practice) in enumerate(zip(existing, practices, strict=True)):
            marker = "▸" if row == self.current else " "
            given = self.ballot.dots.get(practice.id, 0)
            dots = f"  [b]{'●' * given}[/b]" if given else ""
            text = (f"{marker} [b]{escape(practice.card_id)}[/b]{NBSP}{NBSP}"
                    f"{escape(practice.text(self.lang))}{dots}"
                    f"   [@click=screen.give_dot({row})][u]{NBSP}+●{NBSP}[/u][/]"
                    f" [@click=screen.take_dot({row})][u]{NBSP}−●{NBSP}[/u][/]\n"
                    f"{NBSP}{NBSP}{NBSP}{NBSP}{self._chips(row, practice.id)}")
            widget.update(text)
            widget.set_class(row == self.current, "-current")
        if existing:
            existing[self.current].scroll_visible(animate=False)

    def _draw_dots(self) -> None:
        total = self.box.dots_per_voter
        left = self.box.dots_left(self.ballot)
        circles = "●" * (total - left) + "○" * left
        self.query_one("#ballot-dots", Static).update(
            Text(self.t("ballot.dots", circles=circles, left=left, total=total)))

    def _review(self) -> Text:
        text = Text(self.t("ballot.review_title") + "\n\n", style="bold")
        width = max(20, self.size.width - 30)
        for practice in self.box.practices:
            level_id = self.ballot.ratings.get(practice.id)
            level = self.box.level(level_id) if level_id else None
            answer = (f"{level.symbol} {level.label(self.lang)}" if level
                      else self.t("ballot.no_answer"))
            name = shorten(practice.text(self.lang), width)
            text.append(f"\u00a0\u00a0{practice.card_id:<6}{name}  ")
            text.append(f"{answer}\n", style="bold" if level else "dim")
        spent = [f"{self.box.practice(p).card_id} {'●' * n}"
                 for p, n in self.ballot.dots.items() if n]
        text.append("\n" + self.t("ballot.review_dots",
                                  dots=", ".join(spent) if spent else self.t("ballot.no_dots")))
        text.append("\n\n" + self.t("ballot.review_keys"), style="bold")
        return text

    # keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "cycle", "choose", "dot", "pick", "give_dot", "take_dot",
                      "review"):
            return self.state == "fill"
        if action == "back":
            return self.state in ("fill", "review", "blank", "facilitator", "taking_back")
        if action == "facilitator":
            return self.state in ("pass", "facilitator") and self.box.is_open
        if action == "withdraw":  # only from the facilitator's menu, never a voter's screen
            return self.state in ("facilitator", "taking_back") and self.box.can_take_back
        if action == "next":
            return self.state in ("pass", "fill", "review", "blank")
        return True

    def action_next(self) -> None:
        if self.state == "pass":
            self.box.begin_next()  # the last ballot can no longer be taken back
            self.withdrawn = False
            self._start()
        elif self.state == "blank":  # back to choosing, from an empty ballot
            self._start()
        elif self.state == "fill":  # the next practice; after the last one, the review
            self.answered = None
            if self.current < len(self.box.practices) - 1:
                self.action_move(1)
                return
            self.state = "review"
        elif self.state == "review":
            self._send()
            return
        self.show()

    def action_review(self) -> None:
        """Check and send before the last practice (the rest stay without an answer)."""
        self.state = "review"
        self.show()

    def _start(self) -> None:
        self.ballot, self.current, self.answered = Ballot(), 0, None
        self.state = "fill"

    def _send(self) -> None:
        try:
            result = self.box.cast(self.ballot)
        except KitError as error:
            self.fail(error)
            self.state = "fill"
            self.show()
            return
        self.ballot, self.current = Ballot(), 0
        self.query_one("#ballot-rows", VerticalScroll).remove_children()
        self.state = "blank" if result.blank else "pass"
        self.show()

    def action_facilitator(self) -> None:
        if self.state == "facilitator":  # the second ctrl+x: the round ends
            self.box.close()
            self.kit.back()
            return
        self.state = "facilitator"
        self.show()

    def action_withdraw(self) -> None:
        if self.state == "facilitator":  # the first press asks; the second one takes it back
            try:
                self.box.request_take_back()
            except KitError as error:
                self.fail(error)
                return
            self.state = "taking_back"
            self.show()
            return
        try:
            self.box.confirm_take_back()
        except KitError as error:
            self.fail(error)
            self.box.cancel_take_back()
        else:
            self.withdrawn = True
        self.state = "pass"
        self.show()

    def action_back(self) -> None:
        if self.state == "review":
            self.state = "fill"
        elif self.state in ("fill", "blank"):  # this person gives up: nothing was sent
            self.ballot = Ballot()
            self.state = "pass"
        elif self.state == "taking_back":  # the ballot stays counted
            self.box.cancel_take_back()
            self.state = "pass"
        elif self.state == "facilitator":
            self.state = "pass"
        self.show()

    def action_move(self, step: int) -> None:
        count = len(self.box.practices)
        self.current = max(0, min(count - 1, self.current + step))
        self.answered = None
        self._draw_rows()

    def action_choose(self, n: int) -> None:
        self.action_pick(self.current, n)

    def action_pick(self, row: int, n: int) -> None:
        levels = self.box.levels
        if not 1 <= n <= len(levels):
            return
        practice = self.box.practices[row]
        level_id = levels[n - 1].id
        # Choosing the chosen level again clears the answer (and stays there); an answer
        # moves on to the next practice, as a voter filling a paper form would.
        chosen = None if self.ballot.ratings.get(practice.id) == level_id else level_id
        self._change(lambda: self.box.rate(self.ballot, practice.id, chosen))
        last = len(self.box.practices) - 1
        self.current = min(row + 1, last) if chosen is not None else row
        self.answered = row if chosen is not None else None
        self._draw_rows()

    def action_cycle(self, step: int) -> None:
        practice = self.box.practices[self.current]
        ids = [level.id for level in self.box.levels]
        now = self.ballot.ratings.get(practice.id)
        index = (ids.index(now) + step) % len(ids) if now in ids else (0 if step > 0 else -1)
        self._change(lambda: self.box.rate(self.ballot, practice.id, ids[index]))
        self.answered = None
        self._draw_rows()

    def action_dot(self, step: int) -> None:
        """+ or − for the practice just answered (the cursor stays), else the one at ▸."""
        if self.answered is not None:
            self._pick_dot(self.answered, step, move=False)
        else:
            self._pick_dot(self.current, step)

    def action_give_dot(self, row: int) -> None:
        self.answered = None
        self._pick_dot(row, +1)

    def action_take_dot(self, row: int) -> None:
        self.answered = None
        self._pick_dot(row, -1)

    def _pick_dot(self, row: int, step: int, *, move: bool = True) -> None:
        practice = self.box.practices[row]
        if step > 0 and not self.box.dots_left(self.ballot):
            self.kit.notify(self.t("ballot.no_dots_left", total=self.box.dots_per_voter),
                            markup=False)
            return
        self._change(lambda: self.box.add_dot(self.ballot, practice.id, step))
        if move:
            self.current = row
        self._draw_rows()
        self._draw_dots()

    def _change(self, change: Callable[[], Ballot]) -> None:
        """The ballot as the box changed it; a refusal is one line and changes nothing."""
        try:
            self.ballot = change()
        except KitError as error:
            self.fail(error)

    def binding_words(self, key: str) -> str:
        if key.startswith("level."):
            return ""
        return super().binding_words(key)

    def palette(self) -> list[Command]:
        return []
