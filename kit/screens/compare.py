""""Vertaa aiempaan" from the summary: this workshop beside an earlier one saved here.

Choose the earlier workshop, Enter shows the comparison (kit/compare.py, in the words of
kit/exports/compare_md.py): per practice the counts with their base before and after, and a
mark only where the rule says the change is larger than two people could make. Esc goes back
to the list, and from the list to the summary.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from kit.errors import KitError
from kit.screens.base import KitScreen
from kit.screens.merge import session_line
from kit.view import shorten
from kit.widgets.keys import KeyBar
from kit.widgets.rowlist import RowList


class CompareScreen(KitScreen):
    """The other saved workshops; the chosen one compared with the open session."""

    HELP = "help.compare"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("enter", "compare", "key.choose"),
        Binding("escape", "leave", "key.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.showing = False

    def compose(self) -> ComposeResult:
        yield Static(id="compare-head")
        yield RowList(id="compare-sessions")
        with VerticalScroll(id="compare-scroll"):
            yield Static(id="compare-result")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        current = self.kit.session_id
        infos = [i for i in self.kit.store.sessions() if i.id != current]
        listing = self.query_one("#compare-sessions", RowList)
        listing.set_rows([(i.id, Text(session_line(self, i))) for i in infos])
        hint = self.t("screen.compare.hint") if infos else self.t("screen.compare.none")
        self.query_one("#compare-head", Static).update(
            f"[b]{escape(self.t('screen.compare.title'))}[/]\n[$text-muted]{escape(hint)}[/]")
        self.show_list()

    def show_list(self) -> None:
        self.showing = False
        self.query_one("#compare-scroll").display = False
        listing = self.query_one("#compare-sessions", RowList)
        listing.display = True
        listing.focus()

    def action_compare(self) -> None:
        if self.showing:
            return
        earlier = self.query_one("#compare-sessions", RowList).chosen
        if earlier is None:
            return
        from kit.compare import compare
        from kit.report import build_report

        store = self.kit.store
        try:
            comparison = compare(build_report(store.snapshot(earlier)),
                                 build_report(self.kit.snapshot()))
        except KitError as error:
            self.fail(error)
            return
        self.query_one("#compare-result", Static).update(self.render_comparison(comparison))
        self.query_one("#compare-sessions", RowList).display = False
        scroll = self.query_one("#compare-scroll", VerticalScroll)
        scroll.display = True
        scroll.focus()
        self.showing = True

    def render_comparison(self, comparison: object) -> Text:
        """A line per practice: its card and words, then each level's counts and mark, in
        columns under the levels' names."""
        from kit.compare import Comparison
        from kit.exports.compare_md import counts, mark, title_of

        assert isinstance(comparison, Comparison)
        lang = self.lang
        pairs = ((comparison.well_level, "well"), (comparison.develop_level, "develop"))
        marks = max(len(self.t("compare.up")), len(self.t("compare.down")))
        column = max([len(counts(getattr(r, part))) + 1 + marks for r in comparison.rows
                      for _, part in pairs] + [len(f"{lv.symbol} {lv.label(lang)}")
                                               for lv, _ in pairs]) + 2
        width = max(20, self.size.width - 10 - 2 * column)  # padding and scroll bar
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(title_of(comparison, lang) + "\n", style="bold")
        out.append(self.t("compare.rule") + "\n")
        if comparison.rows:
            out.append("\n" + " " * (width + 2), style="bold")
            for level, _ in pairs:
                out.append(f"{level.symbol} {level.label(lang)}".ljust(column), style="bold")
            out.append("\n")
        area = None
        for row in comparison.rows:
            if row.area.id != area:
                area = row.area.id
                out.append(f"{row.area.symbol} {row.area.title(lang)}\n", style="bold")
            out.append(shorten(f"{row.practice.card_id} {row.practice.text(lang)}", width)
                       .ljust(width) + "  ")
            for level, part in pairs:
                change = getattr(row, part)
                words = mark(change, lang)
                text = f"{level.symbol} {counts(change)}"
                out.append(text)
                out.append((" " + words if words else "").ljust(column - len(text)),
                           style="bold" if words else "")
            out.append("\n")
        if comparison.rows and not comparison.marked:
            out.append("\n" + self.t("compare.no_change") + "\n")
        for key, practices in (("compare.only_later", comparison.only_later),
                               ("compare.only_earlier", comparison.only_earlier)):
            if practices:
                out.append(f"\n{self.t(key)}\n", style="bold")
                for practice in practices:
                    out.append(f"  {practice.card_id} {practice.text(lang)}\n")
        return out

    def action_leave(self) -> None:
        if self.showing:
            self.show_list()
            return
        self.app.pop_screen()
