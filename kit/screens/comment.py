"""The comment dialog: a short note on a practice or on the whole area, tagged and attributed;
the same dialog changes a saved comment (from the summary's comments).

The dialog saves through the store itself, so a problem (an empty note, one over 10,000
characters) is shown under the text field and the dialog stays open with the text kept.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, RadioSet, Select, Static, TextArea

from kit.errors import KitError
from kit.screens.base import FormDialog
from kit.session import TAGS, Comment, Snapshot, comment_area
from kit.view import TAG_SYMBOL, shorten
from kit.widgets.toggles import MarkedRadioButton

NO_GROUP = 0  # group ids start at 1


class CommentText(TextArea):
    """The comment's text over as many lines as it needs (a one-line field showed a long
    comment's tail only); Enter saves the dialog, a paste keeps its lines."""

    def __init__(self, text: str, **kwargs: Any) -> None:
        super().__init__(text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         compact=True, **kwargs)
        self.initial = text

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.text = text


class CommentDialog(FormDialog):
    """Text, tag (strength / idea / concern), practice or area, group or no one."""

    HELP = "help.comment"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+s", "save", "key.save", priority=True),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, area_id: str, practice_id: str | None, group_id: int | None,
                 comment: Comment | None = None) -> None:
        self.area_id = area_id
        self.practice_id = practice_id
        self.group_id = group_id
        self.comment = comment  # the comment being edited; None: a new one
        super().__init__()

    @classmethod
    def editing(cls, snapshot: Snapshot, comment_id: int) -> CommentDialog:
        """The dialog for changing a saved comment (its text, tag, practice and group)."""
        comment = next(c for c in snapshot.comments if c.id == comment_id)
        area_id = comment_area(snapshot.deck, comment) or snapshot.meta.area_ids[0]
        return cls(area_id, comment.practice_id, comment.group_id, comment)

    def compose(self) -> ComposeResult:
        snapshot = self.kit.snapshot()
        deck = snapshot.deck
        area = deck.area(self.area_id)
        with Vertical(classes="dialog", id="comment-dialog"):
            yield Static(self.t("comment.title", area=f"{area.symbol} {area.title(self.lang)}"),
                         classes="dialog-title")
            yield CommentText(self.comment.text if self.comment else "", id="comment-text",
                              placeholder=self.t("comment.placeholder"))
            yield Static("", id="err-text", classes="field-error")
            with Horizontal(classes="dialog-row"):
                yield Label(self.t("comment.tag"), classes="dialog-label")
                with RadioSet(id="comment-tag", compact=True):
                    chosen = self.comment.tag if self.comment else TAGS[0]
                    for tag in TAGS:
                        yield MarkedRadioButton(f"{TAG_SYMBOL[tag]} {self.t(f'tag.{tag}')}",
                                                value=tag == chosen, name=tag)
            with Horizontal(classes="dialog-row"):
                yield Label(self.t("comment.about"), classes="dialog-label")
                with RadioSet(id="comment-about", compact=True):
                    if self.practice_id is not None:
                        practice = deck.practice(self.practice_id)
                        yield MarkedRadioButton(
                            Content(f"{practice.card_id} {shorten(practice.text(self.lang), 40)}"),
                            value=True, name="practice")
                    yield MarkedRadioButton(self.t("comment.whole_area"),
                                      value=self.practice_id is None, name="area")
            with Horizontal(classes="dialog-row"):
                yield Label(self.t("comment.group"), classes="dialog-label")
                options = [(Content(g.name), g.id) for g in snapshot.meta.groups]
                options.append((self.t("app.no_group"), NO_GROUP))
                yield Select(options, value=self.group_id or NO_GROUP, allow_blank=False,
                             id="comment-group", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("comment.save"), id="save", variant="primary", compact=True)
                yield Button(self.t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        field = self.query_one("#comment-text", CommentText)
        field.focus()
        field.move_cursor(field.document.end)  # editing: carry on where the text ends

    def action_save(self) -> None:
        text = self.query_one("#comment-text", CommentText)
        tag_button = self.query_one("#comment-tag", RadioSet).pressed_button
        tag = tag_button.name if tag_button is not None and tag_button.name else TAGS[0]
        about = self.query_one("#comment-about", RadioSet).pressed_button
        on_practice = about is not None and about.name == "practice"
        group = self.query_one("#comment-group", Select).value
        fields = {"practice_id": self.practice_id if on_practice else None,
                  "area_id": self.area_id,
                  "group_id": group if isinstance(group, int) and group != NO_GROUP else None}
        try:
            if self.comment is None:
                self.kit.session.add_comment(text.value, tag, **fields)
            else:
                self.kit.session.edit_comment(self.comment.id, text.value, tag, **fields)
        except KitError as error:
            self.show_field_error("text", error.message(self.lang), text)
            return
        self.dismiss(True)
