"""The area screen, the heart of the workshop: the practices of one area and what the room says.

The facilitator moves with the arrow keys, picks the group with tab, and records what the room
shows: 1–4 adds one rating at that level, a number typed first makes it a show of hands in one
entry ("7" then "1": seven people said "works well"), + and − give and take dots, `c` writes a
comment, ctrl+z takes back the last entry. Every entry goes to the store first; the table is
drawn from the store's snapshot after the store has returned, so what is shown is saved.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from kit.deck import Area, Practice
from kit.errors import KitError
from kit.screens.base import Command, KitScreen
from kit.screens.timed import TimerKeys
from kit.session import MAX_DELTA, Snapshot
from kit.view import bar, describe, level_counts, level_heading, shorten
from kit.widgets.keys import KeyBar
from kit.widgets.practicetable import Column, PracticeTable
from kit.widgets.timer import TimerDisplay

ALL = -1  # the "all groups and ballots" view: for reading, not for entering


def _digit_bindings() -> list[Binding]:
    out = []
    for n in range(10):
        shown = 1 <= n <= 4
        out.append(Binding(str(n), f"digit({n})", f"level.{n}" if shown else "", show=shown))
    return out


class AreaScreen(TimerKeys, KitScreen):
    """One practice area: header with timer, the practices table, the selected practice."""

    STEP = "area"
    HELP = "help.area"
    BINDINGS: ClassVar[list[Binding]] = [
        *_digit_bindings(),
        Binding("x", "count_mode", "key.count"),
        Binding("plus", "dots(1)", "key.dots", key_display="+ −"),
        Binding("minus", "dots(-1)", "key.dots", key_display="−", show=False),
        Binding("c", "comment", "key.comment"),
        Binding("b", "ballot", "key.ballot"),
        Binding("k", "room", "key.room"),
        Binding("K", "room(True)", "key.room_slips", show=False),
        Binding("p", "present", "key.present"),
        # The timer shows its own keys beside the digits.
        Binding("space", "timer", "key.timer", key_display="key.space", show=False),
        Binding("m", "add_time", "key.add_time", show=False),
        Binding("ctrl+z", "undo", "key.undo"),
        Binding("tab", "group(1)", "key.group", key_display="⇥"),
        Binding("shift+tab", "group(-1)", "key.group", show=False),
        Binding("right", "area(1)", "key.area", key_display="←→"),
        Binding("left", "area(-1)", "key.area", show=False),
        Binding("n", "area(1)", "key.area", show=False),
        Binding("s", "summary", "key.summary"),
        Binding("a", "settings", "key.settings"),
        Binding("r", "remove_mode", "key.remove"),
        Binding("backspace", "erase", "key.erase", show=False),
        Binding("enter", "end_count", "key.end_count", show=False),
        Binding("escape", "clear", "key.clear", show=False),
    ]

    def __init__(self, area_id: str) -> None:
        self.area_id = area_id
        self.group_index = 0
        self.entering_index = 0  # the last group that takes entries (not "all groups")
        self.pending = ""  # digits typed before a level or dots key
        self.count_mode = False  # after `x`: every digit is part of the count until Enter
        self.negative = False  # after `r`: the next entry takes away
        self.last_saved = ""
        self._detail_length = -1
        self._shown: dict[str, Text] = {}  # what the lines above and below it show now
        super().__init__()

    def binding_words(self, key: str) -> str:
        if key.startswith("level."):
            n = int(key.split(".")[1])
            scale = self.kit.snapshot().deck.scale
            if 1 <= n <= len(scale):
                return level_heading(scale[n - 1], self.lang)
            return ""
        return super().binding_words(key)

    # layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="area-header"):
            with Vertical(id="area-heading"):
                yield Static(id="area-title")
                yield Static(id="area-group")
                yield Static(id="area-status")
            yield self.timer_display(id="area-timer")
        yield PracticeTable(id="practices")
        yield Static(id="detail")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        # The group the facilitator had (a restart must not switch groups unseen).
        groups = self.kit.snapshot().meta.groups
        chosen = self.kit.group_id
        if chosen == 0:
            self.group_index = len(groups)
        else:
            self.group_index = next((n for n, g in enumerate(groups) if g.id == chosen), 0)
            self.entering_index = self.group_index
        self.query_one("#practices", PracticeTable).focus()
        self.refresh_view(rebuild=True)
        self._to_saved_row()

    def _to_saved_row(self) -> None:
        """The practice selected when this area was last shown (or saved with the step)."""
        saved = self.kit.rows.get(self.area_id)
        ids = [p.id for p in self.area.practices]
        self.query_one("#practices", PracticeTable).move_cursor(
            ids.index(saved) if saved in ids else 0)
        if self.kit.session_id is not None:
            self._show_detail(self.kit.snapshot())

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_view(rebuild=True)

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def set_area(self, area_id: str) -> None:
        """Show another area (same screen, same group)."""
        if area_id != self.area_id:
            self.kit.pause_timer(self.area_id)
        self.area_id = area_id
        self._reset_pending()
        groups = self.kit.snapshot().meta.groups
        if self.group_index >= len(groups):  # "all groups" is for reading one area's numbers:
            self.group_index = min(self.entering_index, len(groups) - 1)  # the next takes votes
            self.kit.group_id = groups[self.group_index].id
        self.query_one(TimerDisplay).set_area(area_id)
        # The new area's rows, then the row last selected in it (and its details).
        self.refresh_view(rebuild=True)
        self._to_saved_row()

    # reading the store ----------------------------------------------------------------------

    @property
    def area(self) -> Area:
        return self.kit.snapshot().deck.area(self.area_id)

    def group_id(self, snapshot: Snapshot) -> int:
        groups = snapshot.meta.groups
        if self.group_index >= len(groups):
            return ALL
        return groups[self.group_index].id

    def selected_practice(self) -> Practice:
        table = self.query_one("#practices", PracticeTable)
        practices = self.area.practices
        row = min(max(table.cursor_row, 0), len(practices) - 1)
        return practices[row]

    def _widths(self) -> tuple[int, int]:
        """(text width, width of a level column) for the screen's width."""
        width = max(60, self.size.width)
        level = max(6, min(14, (width - 34) // 8))
        if 34 + 4 * level + 12 > width:  # narrow (60 columns): the bars give way, not ✎
            level = max(4, (width - 34 - 12) // 4)
        text = max(10, width - 34 - 4 * level)
        return text, level

    def refresh_view(self, rebuild: bool = False) -> None:
        if self.kit.session_id is None:
            return
        snapshot = self.kit.snapshot()
        if self.area_id not in snapshot.meta.area_ids:
            self.area_id = snapshot.meta.area_ids[0]
        self.group_index = min(self.group_index, len(snapshot.meta.groups))
        area = snapshot.deck.area(self.area_id)
        lang = self.lang
        number = snapshot.meta.area_ids.index(self.area_id) + 1
        # The heading lines are one line each (nowrap): no layout pass on every key press.
        self._show("#area-title", Text.assemble(
            (f"{area.symbol} {area.title(lang)}", "bold"),
            f"  ·  {self.t('area.step', n=number, of=len(snapshot.meta.area_ids))}"))
        group = self.group_id(snapshot)
        groups = snapshot.meta.groups
        if group == ALL:
            ballots = snapshot.ballot_totals(self.area_id).ballots
            who = self.t("area.all_groups", ballots=ballots)
        else:
            who = self.t("area.group", name=groups[self.group_index].name,
                         n=self.group_index + 1, of=len(groups))
        self._show("#area-group", Text(who))
        self._show_status()
        self._fill_table(snapshot, area, None if group == ALL else group, rebuild)
        self._show_detail(snapshot)

    def _fill_table(self, snapshot: Snapshot, area: Area, group: int | None,
                    rebuild: bool) -> None:
        table = self.query_one("#practices", PracticeTable)
        text_width, level_width = self._widths()
        scale = snapshot.deck.scale
        if rebuild or not table.columns:
            headings = [level_heading(level, self.lang) for level in scale]
            if any(len(h) > level_width for h in headings):
                headings = [level.symbol for level in scale]  # the key bar says the words
            # The table draws again only what differs from what it has.
            table.set_columns([
                Column("card", self.t("area.col.card"), 6),
                Column("text", self.t("area.col.practice"), text_width),
                *(Column(level.id, heading, level_width)
                  for level, heading in zip(scale, headings, strict=True)),
                Column("dots", "●", 4),
                Column("comments", "✎", 3),
            ])
            table.set_rows([practice.id for practice in area.practices])
        tallies = [snapshot.tally(p.id, group) for p in area.practices]
        largest = max((n for tally in tallies for n in tally.levels.values()), default=0)
        for practice, tally in zip(area.practices, tallies, strict=True):
            # The table marks the row under the cursor itself (▸), so moving is no change here.
            cells = {"card": Text(practice.card_id),
                     "text": Text(shorten(practice.text(self.lang), text_width))}
            for level in scale:
                count = tally.levels[level.id]
                cell = Text(f"{count:>3} ", style="" if count else "dim")
                cell.append(bar(count, largest, level_width - 4))
                cells[level.id] = cell
            cells["dots"] = Text(f"{tally.dots:>3}", style="" if tally.dots else "dim")
            cells["comments"] = Text(f"{tally.comments:>2}",
                                     style="" if tally.comments else "dim")
            # Only a row whose cells changed is drawn again (a vote: one row, one line).
            table.set_row(practice.id, cells)

    def _show_detail(self, snapshot: Snapshot) -> None:
        practice = self.selected_practice()
        group = self.group_id(snapshot)
        tally = snapshot.tally(practice.id, None if group == ALL else group)
        text = Text()
        text.append(f"{practice.card_id}  ", style="bold")
        text.append(practice.text(self.lang), style="bold")
        for point in practice.points:
            text.append(f"\n\u00a0\u00a0\u00a0–\u00a0{point(self.lang)}")
        if group == ALL:
            who = self.t("area.all_short")
        else:
            who = snapshot.meta.groups[self.group_index].name
        text.append(f"\n{who}: {level_counts(tally.levels, snapshot.deck, self.lang)}")
        text.append(f" · {self.t('area.dots_n', n=tally.dots)}")
        text.append(f" · {self.t('area.comments_n', n=tally.comments)}")
        # Its height follows its text: lay out again only when the text's length changed.
        relayout = len(text.plain) != self._detail_length
        self._detail_length = len(text.plain)
        self._show("#detail", text, layout=relayout)

    def _show(self, selector: str, text: Text, *, layout: bool = False) -> None:
        """Update a line only when its text changed: each update repaints it (and a vote
        changes one or two lines of the four)."""
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector, Static).update(text, layout=layout)

    def _show_status(self) -> None:
        if self.pending or self.count_mode or self.negative:
            sign = "−" if self.negative else ""
            key = "area.pending_typing" if self.count_mode else "area.pending"
            # After x nothing is typed yet: "Määrä: _", not a 1 no one typed.
            typed = self.pending or ("" if self.count_mode else "1")
            self._show("#area-status", Text(self.t(key, count=f"{sign}{typed}"),
                                            style="bold reverse"))
        else:
            self._show("#area-status", Text(self.last_saved))

    @on(PracticeTable.CursorMoved)
    def highlighted(self, event: PracticeTable.CursorMoved) -> None:
        # The table has moved its ▸ already; only the lines below it follow the cursor.
        if self.kit.session_id is not None:
            self.kit.rows[self.area_id] = self.selected_practice().id
            self._show_detail(self.kit.snapshot())

    # entering -------------------------------------------------------------------------------

    def _reset_pending(self) -> None:
        self.pending = ""
        self.count_mode = False
        self.negative = False

    def _take_count(self) -> int:
        """The typed number (1 if none) with its sign; the typing starts over."""
        count = int(self.pending) if self.pending else 1
        if self.negative:
            count = -count
        self._reset_pending()
        return count

    def _entering_group(self) -> int | None:
        snapshot = self.kit.snapshot()
        group = self.group_id(snapshot)
        if group == ALL:
            self._reset_pending()
            self.kit.notify(self.t("area.pick_group"), severity="warning", markup=False)
            self._show_status()
            return None
        return group

    def _saved(self, entry_text: str) -> None:
        self.last_saved = self.t("area.saved", what=entry_text)
        self.refresh_view()

    def _not_saved(self, error: KitError) -> None:
        """The status line stops saying "saved" and says why this entry was not."""
        self.last_saved = self.t("area.not_saved", why=error.message(self.lang))
        self.fail(error)
        self._show_status()

    def action_digit(self, n: int) -> None:
        typing = self.count_mode or (n == 0 or n >= 5) or (self.pending and not 1 <= n <= 4)
        if typing:
            if len(self.pending) < len(str(MAX_DELTA)):
                self.pending = (self.pending + str(n)).lstrip("0")
            self._show_status()
            return
        self._rate(n)

    def _rate(self, n: int) -> None:
        snapshot = self.kit.snapshot()
        if n > len(snapshot.deck.scale):
            return
        group = self._entering_group()
        if group is None:
            return
        count = self._take_count()
        level = snapshot.deck.scale[n - 1]
        practice = self.selected_practice()
        try:
            entry = self.kit.session.record_rating(group, practice.id,
                                                 level.id, count)
        except KitError as error:
            self._not_saved(error)
            return
        self._saved(describe(self.kit.snapshot(), entry, self.lang))

    def action_dots(self, sign: int) -> None:
        group = self._entering_group()
        if group is None:
            return
        count = self._take_count() * sign
        practice = self.selected_practice()
        try:
            entry = self.kit.session.record_dots(group, practice.id,
                                               count)
        except KitError as error:
            self._not_saved(error)
            return
        self._saved(describe(self.kit.snapshot(), entry, self.lang))

    def action_count_mode(self) -> None:
        self.count_mode = True
        self._show_status()

    def action_remove_mode(self) -> None:
        self.negative = not self.negative
        self._show_status()

    def action_erase(self) -> None:
        if self.pending:
            self.pending = self.pending[:-1]
        elif self.count_mode or self.negative:
            self._reset_pending()
        self._show_status()

    def action_end_count(self) -> None:
        self.count_mode = False
        self._show_status()

    def action_clear(self) -> None:
        self._reset_pending()
        self._show_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "end_count":
            return self.count_mode
        return True

    def action_undo(self) -> None:
        from kit.screens.undo import undo_last

        def done(what: str) -> None:
            self._reset_pending()
            self.last_saved = self.t("app.undone", what=what)
            self.refresh_view()

        undo_last(self, self.area_id, done)

    def action_comment(self) -> None:
        from kit.screens.comment import CommentDialog

        snapshot = self.kit.snapshot()
        group = self.group_id(snapshot)
        practice = self.selected_practice()

        def done(saved: bool | None) -> None:
            if saved:
                self._saved(self.t("entry.comment"))

        self.app.push_screen(CommentDialog(self.area_id, practice.id,
                                           None if group == ALL else group), done)

    # moving ---------------------------------------------------------------------------------

    def action_group(self, step: int) -> None:
        count = len(self.kit.snapshot().meta.groups) + 1  # the groups, then "all"
        self.group_index = (self.group_index + step) % count
        groups = self.kit.snapshot().meta.groups
        if self.group_index < len(groups):
            self.entering_index = self.group_index
        self.kit.group_id = groups[self.group_index].id if self.group_index < len(groups) else 0
        self.kit.record_step("area", self.area_id)
        self._reset_pending()
        self.refresh_view(rebuild=True)

    async def action_area(self, step: int) -> None:
        areas = self.kit.snapshot().meta.area_ids
        index = areas.index(self.area_id) + step
        if index >= len(areas):
            self.kit.go("summary")
            return
        if index < 0:
            self.kit.notify(self.t("area.first"), markup=False)
            return
        self.last_saved = ""
        self.kit.record_step("area", areas[index])
        self.set_area(areas[index])

    async def action_summary(self) -> None:
        self.kit.go("summary")

    async def action_present(self) -> None:
        self.kit.go("present", self.area_id)

    async def action_ballot(self) -> None:
        self.kit.go("ballot", self.area_id)

    async def action_room(self, slips: bool = False) -> None:
        """A phone round for the area; with `slips`, only printed voting slips vote."""
        from kit.screens.room import RoomScreen

        self.app.push_screen(RoomScreen(self.area_id, slips=slips))

    def action_settings(self) -> None:
        self.kit.go("setup")

    def palette(self) -> list[Command]:
        return [
            (self.t("cmd.comment"), self.t("cmd.comment.help"), self.action_comment),
            (self.t("cmd.ballot"), self.t("cmd.ballot.help"), self.action_ballot),
            (self.t("cmd.room"), self.t("cmd.room.help"), self.action_room),
            (self.t("cmd.room_slips"), self.t("cmd.room_slips.help"),
             lambda: self.run_action("room(True)")),
            (self.t("cmd.present"), self.t("cmd.present.help"), self.action_present),
            (self.t("cmd.undo"), self.t("cmd.undo.help"), self.action_undo),
            (self.t("cmd.timer"), self.t("cmd.timer.help"), self.action_timer),
            (self.t("cmd.add_time"), self.t("cmd.add_time.help"), self.action_add_time),
            (self.t("cmd.next_area"), self.t("cmd.next_area.help"),
             lambda: self.run_action("area(1)")),
            (self.t("cmd.previous_area"), self.t("cmd.previous_area.help"),
             lambda: self.run_action("area(-1)")),
            (self.t("cmd.summary"), self.t("cmd.summary.help"), self.action_summary),
            (self.t("cmd.settings"), self.t("cmd.settings.help"), self.action_settings),
        ]

