"""The summary's QR code full-screen, so people without a paper sheet can scan the results home.

The code holds the printed sheet's digest (`summary_digest`) when the window is big enough for
it; a smaller window gets a shorter digest in a code that fits (error correction L: a screen is
sharp and never folded), and the caption says how big the window must be for the whole digest.
Below the smallest useful code the screen says so and names the size it needs. Half blocks only:
one character cell holds two modules, one above the other, which keeps them square on a normal
terminal font (quarter blocks would make them twice as tall as wide, which readers refuse).
Dark on light, on the projector theme: a phone camera reads it off a wall.
"""

from __future__ import annotations

import math
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.widgets import Static

from kit.screens.base import ProjectorScreen
from kit.widgets.blocks import half_blocks

SMALLEST = 3  # a version 3 code (37 modules) holds 52 bytes: a name, a date and a phrase
LARGEST = 10  # the printed sheet's code: the whole digest


def fitting_version(columns: int, rows: int) -> int | None:
    """The largest code version whose half-block drawing fits `columns` × `rows` cells."""
    from kit.exports.qr import modules

    fitting = [v for v in range(1, LARGEST + 1)
               if modules(v) <= columns and math.ceil(modules(v) / 2) <= rows]
    return fitting[-1] if fitting else None


def cells(version: int) -> tuple[int, int]:
    """Columns and rows a code of `version` takes on screen."""
    from kit.exports.qr import modules

    return modules(version), math.ceil(modules(version) / 2)


class QrScreen(ProjectorScreen):
    """The summary digest as a QR code; Esc or q goes back."""

    HELP = "help.qr"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "leave", "key.back"),
        Binding("q", "leave", "key.back", show=False),
    ]
    CAPTION_ROWS = 2

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="qr-code")
        yield Static(id="qr-caption")

    def on_mount(self) -> None:
        from kit.exports.digest import summary_digest
        from kit.exports.qr import fits
        from kit.report import build_report

        self.report = build_report(self.kit.snapshot())
        self.digest = summary_digest(self.report, self.lang)
        self.full_version = next((v for v in range(1, LARGEST + 1)
                                  if fits(self.digest, v, "L")), LARGEST)
        self.shown = ""
        self.draw()

    def on_resize(self, event: events.Resize) -> None:
        self.draw()

    def draw(self) -> None:
        from kit.exports.digest import summary_digest
        from kit.exports.qr import capacity, qr_matrix

        code = self.query_one("#qr-code", Static)
        caption = self.query_one("#qr-caption", Static)
        width, height = self.size.width, self.size.height
        version = fitting_version(width, height - self.CAPTION_ROWS)
        if version is None or version < SMALLEST:
            need_w, need_h = cells(SMALLEST)
            self.shown = ""
            code.update(Text(self.t("qr.window_too_small", w=need_w,
                                    h=need_h + self.CAPTION_ROWS, now_w=width, now_h=height)))
            caption.update(Text(self.t("qr.caption_back")))
            return
        if version >= self.full_version:
            self.shown, key = self.digest, "qr.caption"
            version = self.full_version
        else:
            self.shown = summary_digest(self.report, self.lang, capacity(version, "L"))
            key = "qr.caption_short"
        matrix = qr_matrix(self.shown, error="L", max_version=version)
        code.update(Text("\n".join(half_blocks(matrix)), no_wrap=True))
        need_w, need_h = cells(self.full_version)
        caption.update(Text(self.t(key, w=need_w, h=need_h + self.CAPTION_ROWS)))
