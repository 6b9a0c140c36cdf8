"""The summary's QR code full-screen, so people without a paper sheet can scan the results home.

The code holds the same plain-text digest as the printed summary sheet (the print issue's
`summary_digest` and `qr_matrix`). It is drawn with half blocks: one character cell holds two
modules, one above the other, which keeps the modules square on a normal terminal font. When
the window is too small for that, quarter blocks (2×2 modules a cell) keep it whole. Dark on
light, on the projector theme: a phone camera reads it off a wall.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.widgets import Static

from kit.screens.base import ProjectorScreen
from kit.widgets.blocks import half_blocks, quarter_blocks, with_quiet_zone


class QrScreen(ProjectorScreen):
    """The summary digest as a QR code; Esc or q goes back."""

    HELP = "help.qr"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "leave", "key.back"),
        Binding("q", "leave", "key.back", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="qr-code")
        yield Static(id="qr-caption")

    def on_mount(self) -> None:
        from kit.exports.digest import summary_digest
        from kit.exports.qr import qr_matrix
        from kit.report import build_report

        self.digest = summary_digest(build_report(self.kit.snapshot()), self.lang)
        try:
            self.matrix = with_quiet_zone(qr_matrix(self.digest))
        except ValueError:  # qrcode says "too much data" this way too
            self.matrix = []
        self.draw()

    def on_resize(self, event: events.Resize) -> None:
        self.draw()

    def draw(self) -> None:
        code = self.query_one("#qr-code", Static)
        caption = self.query_one("#qr-caption", Static)
        if not self.matrix:
            code.update(Text(self.t("qr.too_big")))
            return
        half = half_blocks(self.matrix)
        width, height = self.size.width, self.size.height - 2
        if len(half[0]) <= width and len(half) <= height:
            lines, key = half, "qr.caption"
        else:
            lines, key = quarter_blocks(self.matrix), "qr.caption_small"
        code.update(Text("\n".join(lines), no_wrap=True))
        caption.update(Text(self.t(key)))

