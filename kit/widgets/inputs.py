"""A one-line text field that keeps the whole of what is pasted into it.

Textual's `Input` keeps only the first line of a paste; a comment copied from an e-mail would
lose the rest without a word. Here the lines are joined with spaces instead (the store cleans
control characters out of whatever arrives).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


class TextInput(Input):
    """`Input`, but a multi-line paste arrives whole, on one line; `initial` is the value it
    was made with, so a form can tell what was typed since (and ask before it is lost)."""

    def __init__(self, value: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(value, *args, **kwargs)
        self.initial = self.value

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            text = " ".join(line.strip() for line in event.text.splitlines() if line.strip())
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()
