"""The action item dialog: what, who, by when, and which practice it develops.

Like the comment dialog it saves through the store itself, so an empty "what" or an over-long
text is shown under its field and nothing typed is lost.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Select, Static

from kit.errors import KitError
from kit.screens.base import FormDialog
from kit.view import shorten
from kit.widgets.inputs import TextInput

NO_PRACTICE = ""
FIELD_OF_ERROR = {"what": "what", "who": "who", "due": "due"}


class ActionDialog(FormDialog):
    """Add an action item, or edit one (`action_id`)."""

    HELP = "help.action"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+s", "save", "key.save", priority=True),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, action_id: int | None) -> None:
        self.action_id = action_id
        super().__init__()

    def compose(self) -> ComposeResult:
        snapshot = self.kit.snapshot()
        current = next((a for a in snapshot.actions if a.id == self.action_id), None)
        title = "action.title_new" if current is None else "action.title_edit"
        with Vertical(classes="dialog", id="action-dialog"):
            yield Static(Text(self.t(title), style="bold"), classes="dialog-title")
            for name in ("what", "who", "due"):
                with Horizontal(classes="dialog-row"):
                    yield Label(self.t(f"action.{name}"), classes="dialog-label")
                    value = getattr(current, name) if current is not None else ""
                    yield TextInput(value, id=f"action-{name}", compact=True,
                                    placeholder=self.t(f"action.hint.{name}"))
                yield Static("", id=f"err-{name}", classes="field-error")
            with Horizontal(classes="dialog-row"):
                yield Label(self.t("action.practice"), classes="dialog-label")
                options: list[tuple[Any, str]] = [(self.t("action.no_practice"), NO_PRACTICE)]
                options += [
                    (Content(f"{p.card_id} {shorten(p.text(self.lang), 50)}"), p.id)
                    for p in snapshot.practices()
                ]
                chosen = (current.practice_id if current is not None and current.practice_id
                          else NO_PRACTICE)
                yield Select(options, value=chosen, allow_blank=False, id="action-practice",
                             compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("action.save"), id="save", variant="primary", compact=True)
                yield Button(self.t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#action-what", TextInput).focus()

    def action_save(self) -> None:
        self.clear_field_errors()
        values = {name: self.query_one(f"#action-{name}", TextInput).value
                  for name in ("what", "who", "due")}
        practice = self.query_one("#action-practice", Select).value
        practice_id = practice if isinstance(practice, str) and practice else None
        try:
            if self.action_id is None:
                self.kit.session.add_action(values["what"], values["who"], values["due"],
                                            practice_id)
            else:
                self.kit.session.edit_action(self.action_id, values["what"], values["who"],
                                             values["due"], practice_id)
        except KitError as error:
            place = FIELD_OF_ERROR.get(str(error.params.get("field")), "what")
            self.show_field_error(place, error.message(self.lang),
                                  self.query_one(f"#action-{place}", TextInput))
            return
        self.dismiss(True)
