"""A yes-or-no question before something that cannot be got back by itself: taking back an
entry in another area, deleting typed text, quitting with a draft open.

Enter (or the first button) answers yes, Esc (or the second) no; the question says what will
happen in the user's words, and the buttons say which key does what.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from kit.screens.base import KitModal


class ConfirmDialog(KitModal[bool]):
    """`question`, then yes (Enter) or no (Esc); answers True for yes."""

    HELP = "help.confirm"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("enter", "answer(True)", "key.confirm_yes", priority=True),
        Binding("escape", "answer(False)", "key.confirm_no"),
    ]

    def __init__(self, question: str, yes: str, no: str | None = None) -> None:
        self.question = question
        self.yes = yes
        self.no = no
        super().__init__()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(Text(self.question), id="confirm-question", classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (Enter)", id="yes", variant="primary", compact=True)
                yield Button(self.no or self.t("dialog.cancel"), id="no", compact=True)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
