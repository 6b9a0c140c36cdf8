"""Keys in the user's language: translated binding descriptions and a footer that wraps.

Bindings are declared with translation keys as descriptions (`"key.comment"`); each screen
swaps in the words of the session's language when it is made. Textual's own footer is one line
that scrolls sideways, which hides half of the area screen's keys at 80 columns, so `KeyBar`
wraps them onto as many lines as they need, and each key can still be clicked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.cells import cell_len
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Static

from kit.i18n import t


def localise_bindings(node: DOMNode, lang: str,
                      words: Callable[[str], str] | None = None) -> None:
    """Give `node` its class bindings with descriptions in `lang` (keys stay as declared)."""
    say = words or (lambda key: t(key, lang))
    merged = type(node)._merge_bindings()
    keys: dict[str, list[Binding]] = {}
    for key, bindings in merged.key_to_bindings.items():
        keys[key] = [
            replace(
                b,
                description=say(b.description) if b.description else "",
                key_display=say(b.key_display) if b.key_display and "." in b.key_display
                else b.key_display,
                group=replace(b.group, description=say(b.group.description))
                if b.group is not None else None,
            )
            for b in bindings
        ]
    node._bindings = BindingsMap.from_keys(keys)


# The keys of a table or list that leaves Enter and ←/→ to its screen (PracticeTable, RowList):
# Textual runs priority bindings before the keys queued ahead of them, so a widget that took
# Enter would have "x 1 2 Enter" end a count before its digits were read.
MOVE_KEYS: list[BindingType] = [
    Binding("up", "cursor_up", show=False),
    Binding("down", "cursor_down", show=False),
    Binding("pageup", "page_up", show=False),
    Binding("pagedown", "page_down", show=False),
    Binding("home", "scroll_top", show=False),
    Binding("end", "scroll_bottom", show=False),
]


class KeyBar(Static):
    """The keys the current screen offers now, wrapped; click a key to use it.

    Its screen fills it before the first frame (`KitScreen.on_mount`); it follows changes.
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_updated)

    _pending = False
    _shown: str | None = None

    def _bindings_updated(self, screen: Screen[object]) -> None:
        # Bindings change in bursts (focus moves, a key was handled): draw once per burst.
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self.refresh_keys)

    def on_resize(self) -> None:
        self.refresh_keys()

    def _wrap(self, items: list[tuple[str, int]]) -> str:
        """The items on lines of the bar's width, each item whole ("b äänestys", never "b"
        at the end of one line and "äänestys" at the start of the next)."""
        width = self.content_size.width or self.app.size.width
        lines: list[list[str]] = [[]]
        used = 0
        for markup, cells in items:
            if lines[-1] and used + 2 + cells > width:
                lines.append([])
                used = 0
            used += cells + (2 if lines[-1] else 0)
            lines[-1].append(markup)
        return "\n".join("  ".join(line) for line in lines)

    def refresh_keys(self) -> None:
        self._pending = False
        if not self.is_attached:  # the screen went away before this refresh came
            return
        screen = self.screen
        items: list[tuple[int, str]] = []
        later: list[tuple[int, str]] = []
        seen: set[str] = set()
        # In the order the screen declares them (Textual lists priority keys first).
        declared = [b.action for b in Binding.make_bindings(getattr(screen, "BINDINGS", []))]
        order = {action: n for n, action in reversed(list(enumerate(declared)))}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            if active.node is not screen and active.node is not self.app:
                continue
            shown = self.app.get_key_display(binding)
            # A click presses the key, so it does exactly what the key does.
            item = (f"[@click=app.simulate_key('{binding.key}')][b $accent]{escape(shown)}[/] "
                    f"{escape(binding.description)}[/]", cell_len(f"{shown} {binding.description}"))
            if active.node is self.app:
                later.append((len(later), item))
            else:
                items.append((order.get(binding.action, 999), item))
        content = self._wrap([item for _n, item in sorted(items) + later])
        if content != self._shown:  # most key presses change no key: no layout pass then
            self._shown = content
            self.update(content)
