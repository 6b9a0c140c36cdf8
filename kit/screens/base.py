"""What every screen of the kit shares: the language, the store's errors as notifications,
bindings in the user's words, a help text and commands for the palette."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual.screen import ModalScreen, Screen

from kit.errors import KitError
from kit.i18n import t
from kit.widgets.keys import localise_bindings

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


class KitScreen(KitScreenMixin, Screen[None]):
    """A full screen of the kit."""

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.kit.lang, self.binding_words)


class KitModal(KitScreenMixin, ModalScreen[ResultT]):
    """A dialog of the kit over the current screen; `dismiss(value)` answers."""

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.kit.lang, self.binding_words)
