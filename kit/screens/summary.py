"""The summary: every area's results with bars and numbers, the strengths and the development
priorities, all comments (filtered by area and tag), and the action items agreed in the room."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, OptionList, Select, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from kit.errors import KitError
from kit.report import MIN_ANSWERS, Report, build_report
from kit.screens.base import Command, ConfirmDialog, KitScreen
from kit.session import TAGS, comment_area
from kit.view import (
    TAG_SYMBOL,
    fill,
    format_date,
    group_name,
    level_heading,
    priority_figure,
    shorten,
    split_note,
    stacked_bar,
    strength_figure,
)
from kit.widgets.keys import KeyBar

ANY = "*"


def qr_available() -> bool:
    """The on-screen QR needs the print issue's digest and QR matrix modules."""
    import importlib.util

    try:
        return all(importlib.util.find_spec(name) is not None
                   for name in ("kit.exports.digest", "kit.exports.qr"))
    except (ImportError, ValueError):
        return False


class SummaryScreen(KitScreen):
    """Results, comments and action items of the whole workshop."""

    STEP = "summary"
    HELP = "help.summary"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("1", "tab('results')", "key.tab_results"),
        Binding("2", "tab('comments')", "key.tab_comments"),
        Binding("3", "tab('actions')", "key.tab_actions"),
        Binding("a", "add_action", "key.add_action"),
        Binding("e", "edit_action", "key.edit_action"),
        Binding("delete", "remove_action", "key.remove_action"),
        Binding("ctrl+z", "undo", "key.undo"),
        Binding("v", "export", "key.export"),
        Binding("q", "qr", "key.qr"),
        Binding("o", "areas", "key.areas"),
        Binding("c", "compare", "key.start_compare"),  # kit/screens/compare.py
        Binding("escape", "areas", "key.areas", show=False),
    ]

    _report: Report | None = None  # what is shown now (the comment filters re-read it)
    _marked: int | None = None  # the comment drawn with ▶

    def compose(self) -> ComposeResult:
        yield Static(id="summary-title")
        with TabbedContent(initial="results", id="summary-tabs"):
            with TabPane(self.t("summary.tab.results"), id="results"), VerticalScroll(
                    id="results-scroll"):
                yield Static(id="results-text")
            with TabPane(self.t("summary.tab.comments"), id="comments"):
                with Horizontal(id="comment-filters"):
                    yield Select[str](self._area_filter(), value=ANY, id="filter-area",
                                      allow_blank=False, compact=True)
                    yield Select[str](self._tag_filter(), value=ANY, id="filter-tag",
                                      allow_blank=False, compact=True)
                yield Static(id="comments-count")
                yield OptionList(id="comments-list")
            with TabPane(self.t("summary.tab.actions"), id="actions"):
                yield DataTable(id="action-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="actions-empty")
        yield KeyBar(id="keys")

    def _area_filter(self) -> list[tuple[Any, str]]:
        areas: list[tuple[Any, str]] = [(self.t("summary.filter.all_areas"), ANY)]
        areas += [(Content(f"{a.symbol} {a.title(self.lang)}"), a.id)
                  for a in self.kit.snapshot().areas]
        return areas

    def _tag_filter(self) -> list[tuple[Any, str]]:
        tags: list[tuple[Any, str]] = [(self.t("summary.filter.all_tags"), ANY)]
        tags += [(f"{TAG_SYMBOL[tag]} {self.t(f'tag.{tag}')}", tag) for tag in TAGS]
        return tags

    def on_mount(self) -> None:
        self.refresh_view()
        self._focus_tab("results")

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_view()

    # drawing --------------------------------------------------------------------------------

    def refresh_view(self) -> None:
        if self.kit.session_id is None:
            return
        report = build_report(self.kit.snapshot())
        meta = report.meta
        facts = [meta.association, meta.title, format_date(meta.date, self.lang), meta.place]
        title = Text(" · ".join(f for f in facts if f), style="bold")
        self.query_one("#summary-title", Static).update(title)
        self.query_one("#results-text", Static).update(self._results(report))
        self._report = report
        self._show_comments(report)
        self._show_actions(report)
        self.refresh_bindings()

    def _results(self, report: Report) -> Text:
        lang = self.lang
        deck = report.deck
        width = max(60, self.size.width) - 4
        bar_width = 10 if width < 100 else 16
        text_width = max(14, width - 6 - bar_width - 5 * len(deck.scale) - 16)
        out = Text()
        groups = ", ".join(g.name for g in report.meta.groups)
        out.append(self.t("summary.groups", groups=groups, ballots=report.ballots) + "\n")
        legend = "  ".join(f"{fill(i)} {level_heading(lv, lang)}"
                           for i, lv in enumerate(deck.scale))
        out.append(self.t("summary.legend", legend=legend) + "\n\n", style="dim")
        for key, items, figure in (
                ("summary.strengths", report.strengths,
                 lambda r: strength_figure(r, deck, lang)),
                ("summary.priorities", report.priorities, lambda r: priority_figure(r, lang))):
            out.append(self.t(key) + "\n", style="bold")
            if not items:
                out.append("\u00a0\u00a0" + self.t("summary.none_yet") + "\n")
            for n, result in enumerate(items, start=1):
                # One line each: the practice's text gives way to the figures.
                head = f"\u00a0\u00a0{n}. {result.practice.card_id} "
                tail = f"  ({figure(result)})"
                if result.split:
                    tail += f"  {split_note(lang)}"
                room = max(12, width - len(head) - len(tail))
                out.append(f"{head}{shorten(result.practice.text(lang), room)}{tail}\n")
            out.append("\n")
        out.append(self.t("report.rule", min=MIN_ANSWERS, level=deck.scale[0].label(lang))
                   + "\n", style="dim")
        for area in report.areas:
            out.append(f"\n{area.area.symbol} {area.area.title(lang).upper()}", style="bold")
            if area.ballots:
                out.append("\u00a0\u00a0" + self.t("summary.area_ballots", n=area.ballots),
                           style="dim")
            out.append("\n")
            for result in area.practices:
                counts = result.total.counts
                name = shorten(result.practice.text(lang), text_width)
                marks = ("★" if result.strength else " ") + ("●" if result.priority else " ")
                out.append(f"{marks}{result.practice.card_id:<6}{name:<{text_width}} ")
                out.append(stacked_bar(list(counts.values()), bar_width)
                           if result.total.answers else "·" * bar_width)
                numbers = " ".join(f"{lv.symbol}{counts[lv.id]:>3}" for lv in deck.scale)
                out.append(f" {numbers}  ●{result.dots:>3}  ✎{result.comments:>2}\n")
        return out

    def _show_comments(self, report: Report) -> None:
        area_value = self.query_one("#filter-area", Select).value
        tag_value = self.query_one("#filter-tag", Select).value
        area_id = area_value if isinstance(area_value, str) and area_value != ANY else None
        tag = tag_value if isinstance(tag_value, str) and tag_value != ANY else None
        comments = list(report.comments if area_id is None else report.area(area_id).comments)
        if tag is not None:
            comments = [c for c in comments if c.tag == tag]
        self.query_one("#comments-count", Static).update(
            Text(self.t("summary.comment_count", n=len(comments)), style="dim"))
        deck = report.deck
        options = []
        self._comment_lines: list[tuple[str, str]] = []
        for comment in comments:
            where = comment_area(deck, comment)
            place = (deck.practice(comment.practice_id).card_id if comment.practice_id
                     else (deck.area(where).title(self.lang) if where else ""))
            head = (f"{TAG_SYMBOL[comment.tag]} {self.t(f'tag.{comment.tag}')} · {place} · "
                    f"{group_name(report.meta, comment.group_id, self.lang)}")
            self._comment_lines.append((head, comment.text))
            options.append(Option(self._comment_prompt(len(options), False), id=str(comment.id)))
        listing = self.query_one("#comments-list", OptionList)
        chosen = listing.highlighted
        self._marked = None
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = min(chosen or 0, len(options) - 1)

    def _comment_prompt(self, index: int, chosen: bool) -> Text:
        """A comment in the list; the chosen one starts with ▶ (not shown by colour alone)."""
        head, text = self._comment_lines[index]
        prompt = Text(("▶ " if chosen else "  ") + head + "\n", style="bold")
        prompt.append(f"\u00a0\u00a0\u00a0\u00a0{text}\n", style="not bold")
        return prompt

    @on(OptionList.OptionHighlighted, "#comments-list")
    def comment_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        listing = event.option_list
        for index, chosen in ((self._marked, False), (event.option_index, True)):
            if index is not None and index < min(listing.option_count,
                                                 len(self._comment_lines)):
                listing.replace_option_prompt_at_index(index, self._comment_prompt(index,
                                                                                    chosen))
        self._marked = event.option_index

    def _show_actions(self, report: Report) -> None:
        table = self.query_one("#action-table", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        width = max(60, self.size.width) - 8
        what_width = max(16, width - 14 - 14 - 8 - 8)
        table.add_column(self.t("summary.col.what"), width=what_width)
        table.add_column(self.t("summary.col.who"), width=14)
        table.add_column(self.t("summary.col.due"), width=14)
        table.add_column(self.t("summary.col.practice"), width=8)
        for action in report.actions:
            practice = (report.deck.practice(action.practice_id).card_id
                        if action.practice_id else "")
            table.add_row(Text(shorten(action.what, what_width)), Text(action.who),
                          Text(action.due), Text(practice), key=str(action.id))
        if report.actions:
            table.move_cursor(row=min(max(cursor, 0), len(report.actions) - 1), animate=False)
        table.display = bool(report.actions)
        self.query_one("#actions-empty", Static).update(
            "" if report.actions else Text(self.t("summary.no_actions")))

    @on(Select.Changed)
    def filtered(self) -> None:
        if self._report is not None:
            self._show_comments(self._report)

    # actions --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "qr":
            return qr_available()
        if action in ("edit_action", "remove_action"):
            tabs = self.query_one("#summary-tabs", TabbedContent)
            if tabs.active == "comments":  # the same keys edit and remove a comment
                return self._selected_comment() is not None
            return tabs.active == "actions" and bool(self.kit.snapshot().actions)
        return True

    def action_tab(self, name: str) -> None:
        self.query_one("#summary-tabs", TabbedContent).active = name
        self._focus_tab(name)
        self.refresh_bindings()

    def _focus_tab(self, name: str) -> None:
        """The tab's own content takes the keys, so ↓ and PgDn scroll it at once (not the row
        of tab names, which would take them until ⇥ was pressed)."""
        target = {"results": "#results-scroll", "comments": "#comments-list",
                  "actions": "#action-table"}.get(name)
        if target is not None:
            self.query_one(target).focus()

    @on(TabbedContent.TabActivated)
    def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self._focus_tab(event.pane.id or "")
        self.refresh_bindings()

    def _selected_action(self) -> int | None:
        table = self.query_one("#action-table", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    def _open_action(self, action_id: int | None) -> None:
        from kit.screens.action import ActionDialog

        def done(saved: bool | None) -> None:
            if saved:
                self.refresh_view()
                self.query_one("#action-table", DataTable).focus()

        self.action_tab("actions")
        self.app.push_screen(ActionDialog(action_id), done)

    def action_add_action(self) -> None:
        self._open_action(None)

    def _on_comments(self) -> bool:
        return self.query_one("#summary-tabs", TabbedContent).active == "comments"

    def _selected_comment(self) -> int | None:
        listing = self.query_one("#comments-list", OptionList)
        if listing.highlighted is None or not listing.option_count:
            return None
        option_id = listing.get_option_at_index(listing.highlighted).id
        return int(option_id) if option_id is not None else None

    def _edit_comment(self, comment_id: int) -> None:
        from kit.screens.comment import CommentDialog

        def done(saved: bool | None) -> None:
            if saved:
                self.refresh_view()
                self.kit.notify(self.t("summary.comment_saved"), markup=False)

        self.app.push_screen(CommentDialog.editing(self.kit.snapshot(), comment_id), done)

    @on(OptionList.OptionSelected, "#comments-list")
    def comment_chosen(self) -> None:
        comment_id = self._selected_comment()
        if comment_id is not None:
            self._edit_comment(comment_id)

    def _remove_comment(self, comment_id: int) -> None:
        comment = next((c for c in self.kit.snapshot().comments if c.id == comment_id), None)
        if comment is None:
            return

        def remove(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.kit.session.remove_comment(comment_id)
            except KitError as error:
                self.fail(error)
                return
            self.refresh_view()
            self.kit.notify(self.t("summary.comment_removed"), markup=False)

        self.app.push_screen(ConfirmDialog(
            self.t("summary.remove_comment_ask", what=shorten(comment.text, 200)),
            self.t("summary.remove_yes")), remove)

    def action_edit_action(self) -> None:
        if self._on_comments():
            comment_id = self._selected_comment()
            if comment_id is not None:
                self._edit_comment(comment_id)
            return
        action_id = self._selected_action()
        if action_id is not None:
            self._open_action(action_id)

    @on(DataTable.RowSelected, "#action-table")
    def row_selected(self) -> None:
        self.action_edit_action()

    def action_remove_action(self) -> None:
        if self._on_comments():
            comment_id = self._selected_comment()
            if comment_id is not None:
                self._remove_comment(comment_id)
            return
        action_id = self._selected_action()
        item = next((a for a in self.kit.snapshot().actions if a.id == action_id), None)
        if action_id is None or item is None:
            return

        def remove(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.kit.session.remove_action(action_id)
            except KitError as error:
                self.fail(error)
                return
            self.refresh_view()
            self.kit.notify(self.t("summary.action_removed"), markup=False)

        self.app.push_screen(ConfirmDialog(self.t("summary.remove_action_ask", what=item.what),
                                           self.t("summary.remove_yes")), remove)

    def action_undo(self) -> None:
        from kit.screens.undo import undo_last

        def done(what: str) -> None:
            self.refresh_view()
            self.kit.notify(self.t("app.undone", what=what), markup=False)

        undo_last(self, None, done)

    async def action_export(self) -> None:
        self.kit.go("export")

    def action_qr(self) -> None:
        if not qr_available():
            return
        from kit.screens.qr import QrScreen

        self.app.push_screen(QrScreen())

    def action_compare(self) -> None:
        from kit.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen())

    async def action_areas(self) -> None:
        # Back to the area the facilitator came from; the last one if the session opened here.
        areas = self.kit.snapshot().meta.area_ids
        back = self.kit.last_area if self.kit.last_area in areas else areas[-1]
        self.kit.go("area", back)

    def palette(self) -> list[Command]:
        commands: list[Command] = [
            (self.t("key.add_action"), self.t("cmd.add_action.help"), self.action_add_action),
            (self.t("key.export"), self.t("cmd.export.help"), self.action_export),
            (self.t("key.areas"), self.t("cmd.areas.help"), self.action_areas),
            (self.t("cmd.undo"), self.t("cmd.undo.help"), self.action_undo),
        ]
        if qr_available():
            commands.append((self.t("key.qr"), self.t("cmd.qr.help"), self.action_qr))
        return commands
