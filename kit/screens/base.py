"""What every screen of the kit shares: the language, the store's errors as notifications,
bindings in the user's words, a help text and commands for the palette."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, RadioSet, Select, Static, TextArea

from kit.errors import KitError
from kit.i18n import t
from kit.widgets.inputs import TextInput
from kit.widgets.keys import KeyBar, localise_bindings

if TYPE_CHECKING:
    from kit.app import WorkshopApp

ResultT = TypeVar("ResultT")
Command = tuple[str, str, Callable[[], Any]]  # (title, help, what it does)


class KitScreenMixin:
    """Shortcuts to the app, the language and the translation layer."""

    HELP: ClassVar[str] = ""  # translation key of this screen's help text
    STEP: ClassVar[str | None] = None  # the step recorded while this screen is shown

    app: Any

    @property
    def kit(self) -> WorkshopApp:
        return cast("WorkshopApp", self.app)

    @property
    def lang(self) -> str:
        return self.kit.lang

    def t(self, key: str, **params: Any) -> str:
        return t(key, self.kit.lang, **params)

    def binding_words(self, key: str) -> str:
        """A binding's description in the user's language (screens may add their own)."""
        return t(key, self.kit.lang)

    def fail(self, error: KitError) -> None:
        """A problem the user can fix: one line, in their language, and the app goes on."""
        self.kit.notify(error.message(self.kit.lang), severity="error", markup=False)

    def palette(self) -> list[Command]:
        """This screen's main actions for the command palette."""
        return []

    def unsaved_text(self) -> bool:
        """Whether something typed here is not saved yet (quitting or Esc asks first)."""
        return False

    # forms: a `Static#err-<place>.field-error` under each field says what is wrong with it

    def clear_field_errors(self) -> None:
        for error in self.query(".field-error"):  # type: ignore[attr-defined]
            error.update("")
            error.remove_class("-shown")
        for widget in self.query(".-invalid"):  # type: ignore[attr-defined]
            widget.remove_class("-invalid")

    def show_field_error(self, place: str, message: str, widget: Widget | None = None) -> None:
        """Show `message` under the field it is about, and take the facilitator there."""
        error = self.query_one(f"#err-{place}", Static)  # type: ignore[attr-defined]
        error.update(Text(f"✗ {message}"))
        error.add_class("-shown")
        if widget is not None:
            widget.add_class("-invalid")
            widget.focus()
            widget.scroll_visible()


class KitScreen(KitScreenMixin, Screen[None]):
    """A full screen of the kit."""

    # The start screen's stylesheet is read with the app's; the others' wait until it is drawn.
    FIRST: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__()
        if not self.FIRST:
            self.kit.load_screen_css()
        localise_bindings(self, self.kit.lang, self.binding_words)

    def on_mount(self) -> None:
        # Textual runs this after the screen's own on_mount: the keys its set-up enabled are
        # then in the first frame, not drawn again in a second one.
        for bar in self.query(KeyBar):
            bar.refresh_keys()


class ProjectorScreen(KitScreen):
    """A screen for the room (present, QR): the light projector theme while it is shown."""

    def on_screen_resume(self) -> None:
        self.kit.projector(self, True)

    def on_screen_suspend(self) -> None:
        self.kit.projector(self, False)

    def on_unmount(self) -> None:
        self.kit.projector(self, False)

    async def action_leave(self) -> None:
        self.kit.back()


class KitModal(KitScreenMixin, ModalScreen[ResultT]):
    """A dialog of the kit over the current screen; `dismiss(value)` answers."""

    def __init__(self) -> None:
        super().__init__()
        self.kit.load_screen_css()
        localise_bindings(self, self.kit.lang, self.binding_words)


class ConfirmDialog(KitModal[bool]):
    """A yes-or-no question before something that cannot be got back by itself (taking back
    an entry in another area, deleting typed text, quitting with a draft open): Enter or the
    first button answers yes, Esc or the second no."""

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


class FormDialog(KitModal[bool]):
    """A dialog that saves on Enter or its save button and answers True once saved.

    Enter saves from every field, as the save button says, not only from a text field: on a
    choice of tags it picks the one highlighted and saves (it used to pick it and stay), on a
    list it saves (it used to open the list).
    Enter still chooses in an open list and presses a focused button (Cancel cancels).
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("enter", "enter_saves", "key.save", priority=True, show=False),
    ]

    def action_enter_saves(self) -> None:
        focused = self.focused
        if isinstance(focused, Button) or any(
                isinstance(node, Select) and node.expanded
                for node in (focused.ancestors_with_self if focused is not None else ())):
            raise SkipAction()
        if isinstance(focused, RadioSet):  # Enter on "✦ idea" means that one: choose it too
            focused.action_toggle_button()
            self.call_after_refresh(self.action_save)  # once the choice has been made
            return
        self.action_save()

    @on(TextInput.Submitted)
    def submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        raise NotImplementedError

    def unsaved_text(self) -> bool:
        typed = [(f.value, f.initial) for f in self.query(TextInput).results(TextInput)]
        typed += [(f.text, getattr(f, "initial", "")) for f in self.query(TextArea).results(
            TextArea)]
        return any(now != before for now, before in typed)

    def action_cancel(self) -> None:
        if not self.unsaved_text():
            self.dismiss(False)
            return
        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(ConfirmDialog(self.t("draft.discard_ask"),
                                           self.t("draft.discard"), self.t("draft.keep")),
                             answered)
