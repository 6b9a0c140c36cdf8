"""Set-up: who, when, where, the small groups, which areas in which order, dots and minutes.

The same form creates a session and edits one. The store validates; a `KitError` is shown under
the field it is about, and that field gets the focus, so the facilitator sees where to fix it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Input, Label, RadioSet, Static

from kit.deck import Deck, load_deck
from kit.errors import KitError
from kit.i18n import LANGUAGES, t
from kit.screens.base import Command, ConfirmDialog, KitScreen
from kit.session import MAX_GROUPS, clean_text
from kit.view import format_date, level_heading, parse_date
from kit.widgets.inputs import TextInput
from kit.widgets.keys import KeyBar
from kit.widgets.toggles import MarkedCheckbox, MarkedRadioButton

TEXT_FIELDS = ("association", "title", "date", "place", "facilitator")
# Which part of the form an error is about, by its key (when it names no field).
ERROR_PLACE = {
    "input.bad_date": "date",
    "input.bad_language": "lang",
    "input.no_areas": "areas",
    "input.area_twice": "areas",
    "input.no_groups": "groups",
    "input.too_many_groups": "groups",
    "input.group_twice": "groups",
    "input.group_has_entries": "groups",
    "deck.no_such_area": "areas",
}


class SetupScreen(KitScreen):
    """The session's settings; ctrl+s saves and starts (or carries on with) the workshop."""

    STEP = "setup"
    HELP = "help.setup"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+s", "save", "key.save", priority=True),
        Binding("ctrl+n", "add_group", "key.add_group", priority=True),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, session_id: str | None, return_to: tuple[str, str | None] | None = None
                 ) -> None:
        self.session_id = session_id
        self.return_to = return_to
        super().__init__()
        self._group_serial = 0
        self.deck: Deck
        if session_id is not None:
            snapshot = self.kit.store.session(session_id).snapshot
            self.deck = snapshot.deck
            meta = snapshot.meta
            self.values: dict[str, str] = {
                "association": meta.association, "title": meta.title,
                "date": format_date(meta.date, "fi") if self.lang == "fi" else meta.date,
                "place": meta.place, "facilitator": meta.facilitator,
                "dots": str(meta.dots), "minutes": str(meta.minutes),
            }
            self.session_lang = meta.lang
            self.groups: list[tuple[int | None, str]] = [(g.id, g.name) for g in meta.groups]
            self.order = list(meta.area_ids) + [
                a.id for a in self.deck.areas if a.id not in meta.area_ids]
            self.chosen = set(meta.area_ids)
        else:
            self.deck = load_deck()
            today = self.kit.today()
            self.values = {
                "association": "", "title": self.deck.short_title(self.lang),
                "date": format_date(today.isoformat(), "fi") if self.lang == "fi"
                else today.isoformat(),
                "place": "", "facilitator": "",
                "dots": str(self.deck.dots), "minutes": str(self.deck.minutes),
            }
            self.session_lang = self.lang
            self.groups = [(None, t("group.default_name", self.lang, n=1))]
            self.order = [a.id for a in self.deck.areas]
            self.chosen = set(self.order)

    # layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        heading = "setup.title_new" if self.session_id is None else "setup.title_edit"
        yield Static(self.t(heading), id="setup-title")
        with VerticalScroll(id="setup-form"):
            for name in TEXT_FIELDS:
                yield from self._field(name, TextInput(self.values[name], id=f"in-{name}",
                                                       compact=True,
                                                   placeholder=self.t(f"setup.hint.{name}")))
            with self._row("lang"), RadioSet(id="in-lang", compact=True):
                for code in LANGUAGES:
                    yield MarkedRadioButton(self.t(f"lang.{code}"),
                                            value=code == self.session_lang, name=code)
            yield Static("", id="err-lang", classes="field-error")
            with self._row("groups"), Vertical(id="groups"):
                for group_id, name in self.groups:
                    yield self._group_row(group_id, name)
                yield Button(self.t("setup.add_group"), id="add-group", compact=True)
            yield Static("", id="err-groups", classes="field-error")
            with self._row("areas"), Vertical(id="areas-box"):
                for n, area_id in enumerate(self.order):
                    yield MarkedCheckbox(self._area_label(n, area_id),
                                         value=area_id in self.chosen, name=area_id,
                                         classes="area-choice", compact=True)
                with Horizontal(id="area-move"):
                    yield Button(self.t("setup.move_up"), id="area-up", compact=True)
                    yield Button(self.t("setup.move_down"), id="area-down", compact=True)
            yield Static("", id="err-areas", classes="field-error")
            with self._row("scale"):
                yield Static(" · ".join(f"{level_heading(lv, self.lang)} = {lv.label(self.lang)}"
                                        for lv in self.deck.scale), id="scale")
            for name in ("dots", "minutes"):
                yield from self._field(name, Input(self.values[name], id=f"in-{name}",
                                                   type="integer", compact=True,
                                                   placeholder=self.t(f"setup.hint.{name}")))
        # Below the form, not at its end: "Tallenna ja aloita" is in sight at 24 rows too.
        with Horizontal(id="setup-buttons"):
            yield Button(self.t("setup.save"), id="save", variant="primary", compact=True)
            yield Button(self.t("setup.cancel"), id="cancel", compact=True)
        yield KeyBar(id="keys")

    def _row(self, name: str) -> Horizontal:
        row = Horizontal(classes="form-row")
        row.compose_add_child(Label(self.t(f"setup.field.{name}"), classes="form-label"))
        return row

    def _field(self, name: str, widget: Widget) -> ComposeResult:
        with self._row(name):
            yield widget
        yield Static("", id=f"err-{name}", classes="field-error")

    def _group_row(self, group_id: int | None, name: str) -> Horizontal:
        self._group_serial += 1
        row = Horizontal(classes="group-row", id=f"group-{self._group_serial}")
        row.group_id = group_id  # type: ignore[attr-defined]
        row.compose_add_child(TextInput(name, compact=True, classes="group-name",
                                    placeholder=self.t("setup.hint.group")))
        row.compose_add_child(Button(self.t("setup.remove_group"), compact=True,
                                     classes="group-remove"))
        return row

    def _area_label(self, index: int, area_id: str) -> Content:
        area = self.deck.area(area_id)
        return Content(f"{index + 1}. {area.symbol} {area.title(self.lang)} "
                       f"({self.t('setup.practices', n=len(area.practices))})")

    def on_mount(self) -> None:
        self.query_one("#in-association", Input).focus()

    # groups and areas -----------------------------------------------------------------------

    async def action_add_group(self) -> None:
        rows = list(self.query(".group-row"))
        if len(rows) >= MAX_GROUPS:
            self.fail(KitError("input.too_many_groups", limit=MAX_GROUPS))
            return
        names = {clean_text(row.query_one(Input).value).casefold() for row in rows}
        n = len(rows) + 1
        while t("group.default_name", self.lang, n=n).casefold() in names:
            n += 1
        row = self._group_row(None, t("group.default_name", self.lang, n=n))
        await self.query_one("#groups").mount(row, before="#add-group")
        row.query_one(Input).focus()

    async def _remove_group(self, row: Widget) -> None:
        if len(self.query(".group-row")) <= 1:
            self._mark("groups", KitError("input.no_groups").message(self.lang))
            return
        # Said now, not after the row has gone and the form is saved: the store would refuse.
        group_id = getattr(row, "group_id", None)
        if (group_id is not None and self.session_id is not None
                and self.kit.store.state(self.session_id).group_has_entries(group_id)):
            name = row.query_one(Input).value
            self._mark("groups", KitError("input.group_has_entries", name=name)
                       .message(self.lang), row.query_one(Input))
            return
        await row.remove()

    def on_descendant_focus(self, event: Any) -> None:
        widget = getattr(event, "widget", None)
        if isinstance(widget, MarkedCheckbox) and widget.has_class("area-choice"):
            self._area_focus = list(self.query(".area-choice")).index(widget)

    def _move_area(self, step: int) -> None:
        """Swap the focused area with its neighbour; the check marks move with the areas."""
        boxes = list(self.query(".area-choice").results(MarkedCheckbox))
        index = getattr(self, "_area_focus", 0)
        target = index + step
        if not 0 <= target < len(boxes):
            return
        self.chosen = {box.name for box in boxes if box.value and box.name}
        self.order[index], self.order[target] = self.order[target], self.order[index]
        for n, (box, area_id) in enumerate(zip(boxes, self.order, strict=True)):
            box.name = area_id
            box.label = self._area_label(n, area_id)
            box.value = area_id in self.chosen
        boxes[target].focus()

    @on(Button.Pressed)
    async def pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if button.id == "save":
            await self.action_save()
        elif button.id == "cancel":
            await self.action_cancel()
        elif button.id == "add-group":
            await self.action_add_group()
        elif button.id == "area-up":
            self._move_area(-1)
        elif button.id == "area-down":
            self._move_area(+1)
        elif button.has_class("group-remove") and button.parent is not None:
            await self._remove_group(button.parent)

    def on_key(self, event: Any) -> None:
        # Reordering with the keyboard: shift+↑/↓ on an area.
        focused = self.focused
        if (isinstance(focused, MarkedCheckbox) and focused.has_class("area-choice")
                and event.key in ("shift+up", "shift+down")):
            self._move_area(-1 if event.key == "shift+up" else +1)
            event.stop()

    # saving ---------------------------------------------------------------------------------

    def _mark(self, place: str, message: str, widget: Widget | None = None) -> None:
        """The message under its field; the field is found by its place if not given."""
        target = widget
        if target is None:
            found = self.query(f"#in-{place}")
            target = found.first() if found else None
        if target is None and place == "groups":
            target = self.query(".group-name").first()
        self.show_field_error(place, message, target)

    def _mark_error(self, error: KitError) -> None:
        field = error.params.get("field")
        place = ERROR_PLACE.get(error.key)
        if place is None and field in ("association", "title", "place", "facilitator", "dots",
                                       "minutes"):
            place = str(field)
        if place is None and (field == "group" or error.key.startswith("input.group")):
            place = "groups"
        if place is None:
            self.fail(error)
            return
        self._mark(place, error.message(self.lang))

    def _number(self, name: str) -> int:
        text = self.query_one(f"#in-{name}", Input).value.strip()
        try:
            return int(text)
        except ValueError:
            raise KitError("input.empty" if not text else "input.bad_number", field=name,
                           value=text) from None

    def _gather(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            name: self.query_one(f"#in-{name}", Input).value for name in TEXT_FIELDS}
        values["date"] = parse_date(values["date"])
        pressed = self.query_one("#in-lang", RadioSet).pressed_button
        values["lang"] = pressed.name if pressed is not None and pressed.name else self.lang
        values["area_ids"] = [box.name for box in self.query(".area-choice").results(MarkedCheckbox)
                              if box.value and box.name]
        values["dots"] = self._number("dots")
        values["minutes"] = self._number("minutes")
        groups: list[tuple[int | None, str]] = []
        for row in self.query(".group-row"):
            field = row.query_one(Input)
            if not clean_text(field.value):
                raise _AtWidget(KitError("input.empty", field="group"), field)
            groups.append((getattr(row, "group_id", None), field.value))
        values["groups"] = groups
        return values

    async def action_save(self) -> None:
        self.clear_field_errors()
        store = self.kit.store
        try:
            values = self._gather()
            if self.session_id is None:
                groups = [name for _, name in values.pop("groups")]
                session_id = store.create_session(self.deck, groups=groups, **values)
                handle = store.session(session_id)
                handle.record_step("area", handle.snapshot.meta.area_ids[0])
                self.kit.open_session(session_id)
                return
            store.session(self.session_id).update(**values)
        except _AtWidget as problem:
            self._mark("groups", problem.error.message(self.lang), problem.widget)
            return
        except KitError as error:
            self._mark_error(error)
            return
        if self.kit.explicit_lang is None:
            self.kit.set_language(values["lang"])
        self.kit.notify(self.t("setup.saved"), markup=False)
        await self._leave()

    def unsaved_text(self) -> bool:
        fields = [*self.query(TextInput).results(TextInput)]
        typed = any(field.value != field.initial for field in fields)
        numbers = any(self.query_one(f"#in-{name}", Input).value != self.values[name]
                      for name in ("dots", "minutes"))
        return typed or numbers or len(self.query(".group-row")) != len(self.groups)

    async def action_cancel(self) -> None:
        if not self.unsaved_text():
            await self._cancel()
            return
        async def answered(discard: bool | None) -> None:
            if discard:
                await self._cancel()

        self.app.push_screen(ConfirmDialog(self.t("draft.discard_ask"),
                                           self.t("draft.discard"), self.t("draft.keep")),
                             answered)

    async def _cancel(self) -> None:
        if self.session_id is None:
            self.kit.close_session()
        else:
            await self._leave()

    async def _leave(self) -> None:
        step, area_id = self.return_to or ("area", None)
        self.kit.go(step, area_id)

    def palette(self) -> list[Command]:
        return [
            (self.t("setup.save"), self.t("cmd.save.help"), self.action_save),
            (self.t("setup.add_group"), self.t("cmd.add_group.help"), self.action_add_group),
        ]


class _AtWidget(Exception):
    """A `KitError` about one particular widget of the form (an empty group name)."""

    def __init__(self, error: KitError, widget: Widget) -> None:
        super().__init__(error.key)
        self.error = error
        self.widget = widget
