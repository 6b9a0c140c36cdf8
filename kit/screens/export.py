"""Export: write the results into a folder (documents by default, or a USB stick), then print
or open them. The writing runs in a worker thread with visible progress and ends with one line:
where the files are, or what went wrong."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Label, ProgressBar, Static

from kit.errors import KitError
from kit.exports.files import available_formats, write_exports
from kit.screens.base import Command, KitScreen
from kit.widgets.inputs import TextInput
from kit.widgets.keys import KeyBar
from kit.widgets.toggles import MarkedCheckbox


def default_folder() -> str:
    """The user's documents folder (where people look for what they saved)."""
    from platformdirs import user_documents_dir

    return user_documents_dir()


class ExportScreen(KitScreen):
    """Choose a folder and formats; write; print or open what was written."""

    STEP = "export"
    HELP = "help.export"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+e", "export", "key.write", priority=True),
        Binding("ctrl+o", "open", "key.open", priority=True),
        Binding("ctrl+t", "print", "key.print", priority=True),
        Binding("escape", "leave", "key.back"),
    ]

    def __init__(self, folder: str | None = None) -> None:
        self.folder = folder
        self.written: list[Path] = []
        self.busy = False
        super().__init__()

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            yield Static(Text(self.t("export.title"), style="bold"), id="export-title")
            with Horizontal(classes="form-row"):
                yield Label(self.t("export.folder"), classes="form-label")
                yield TextInput(self.folder or default_folder(), id="export-folder",
                                compact=True)
            yield Static(Text(self.t("export.folder_hint")), id="export-hint")
            yield Label(self.t("export.what"), id="export-what")
            for fmt in available_formats():
                yield MarkedCheckbox(self.t(f"export.format.{fmt}"), value=True, id=f"fmt-{fmt}",
                               compact=True)
            with Horizontal(id="export-buttons"):
                yield Button(self.t("export.write"), id="write", variant="primary",
                             compact=True)
                yield Button(self.t("export.open"), id="open", compact=True, disabled=True)
                yield Button(self.t("export.print"), id="print", compact=True, disabled=True)
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static(id="export-result")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.query_one("#export-progress", ProgressBar).display = False
        self.query_one("#export-folder", TextInput).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "print"):
            return bool(self.written) and not self.busy
        if action == "export":
            return not self.busy
        return True

    def _result(self, text: str, ok: bool) -> None:
        result = self.query_one("#export-result", Static)
        result.update(Text(("✓ " if ok else "✗ ") + text))
        result.set_class(ok, "-ok")
        result.set_class(not ok, "-error")

    # writing --------------------------------------------------------------------------------

    def action_export(self) -> None:
        formats = [fmt for fmt in available_formats()
                   if self.query_one(f"#fmt-{fmt}", Checkbox).value]
        folder = self.query_one("#export-folder", TextInput).value
        if not formats:
            self._result(KitError("export.no_formats").message(self.lang), ok=False)
            return
        # The store is not thread-safe: read everything here, write files in the worker.
        snapshot = self.kit.snapshot()
        entries = self.kit.session.entries()
        progress = self.query_one("#export-progress", ProgressBar)
        progress.update(total=len(formats), progress=0)
        progress.display = True
        self.busy = True
        self._result(self.t("export.working"), ok=True)
        self.refresh_bindings()
        self._write(snapshot, entries, folder, formats, self.lang)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, snapshot: object, entries: object, folder: str, formats: list[str],
               lang: str) -> None:
        def step(done: int, total: int, fmt: str) -> None:
            self.app.call_from_thread(self._progress, done, fmt)

        try:
            paths = write_exports(snapshot, entries, folder, formats, lang,  # type: ignore[arg-type]
                                  progress=step)
        except KitError as error:
            self.app.call_from_thread(self._failed, error)
        except Exception as error:  # a bug in a builder must not end the meeting
            self.app.call_from_thread(
                self._failed, KitError("export.failed", detail=f"{type(error).__name__}: {error}"))
        else:
            self.app.call_from_thread(self._done, paths)

    def _progress(self, done: int, fmt: str) -> None:
        self.query_one("#export-progress", ProgressBar).update(progress=done)
        if fmt:
            self._result(self.t("export.writing", what=self.t(f"export.format.{fmt}")), ok=True)

    def _done(self, paths: list[Path]) -> None:
        self.busy = False
        self.written = paths
        folder = paths[0].parent if paths else Path(".")
        self._result(self.t("export.done", n=len(paths), folder=str(folder)), ok=True)
        self.query_one("#open", Button).disabled = False
        self.query_one("#print", Button).disabled = not self._printable()
        self.refresh_bindings()

    def _failed(self, error: KitError) -> None:
        self.busy = False
        self.query_one("#export-progress", ProgressBar).display = False
        self._result(error.message(self.lang), ok=False)
        self.refresh_bindings()

    # printing and opening -------------------------------------------------------------------

    def _printable(self) -> Path | None:
        """The summary sheet if it was written; else the Markdown summary (plain text)."""
        for path in self.written:
            if path.suffix == ".pdf" and "kortit" not in path.name and "cards" not in path.name:
                return path
        for path in self.written:
            if path.suffix == ".md":
                return path
        return None

    def action_print(self) -> None:
        path = self._printable()
        if path is None:
            self._result(self.t("export.nothing_to_print"), ok=False)
            return
        self._result(self.t("export.printing", file=path.name), ok=True)
        self._system("print", path)

    def action_open(self) -> None:
        if self.written:
            self._system("open", self.written[0].parent)

    @work(thread=True, exclusive=True, group="system")
    def _system(self, what: str, path: Path) -> None:
        from kit.desktop import open_path, print_file

        try:
            if what == "print":
                said = print_file(path)
                message = self.t("export.printed", file=path.name, said=said)
            else:
                open_path(path)
                message = self.t("export.opened", path=str(path))
        except KitError as error:
            self.app.call_from_thread(self._result, error.message(self.lang), False)
        else:
            self.app.call_from_thread(self._result, message, True)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.action_export()
        elif event.button.id == "open":
            self.action_open()
        elif event.button.id == "print":
            self.action_print()

    @on(TextInput.Submitted, "#export-folder")
    def folder_entered(self) -> None:
        self.action_export()

    async def action_leave(self) -> None:
        self.kit.back()

    def palette(self) -> list[Command]:
        return [
            (self.t("export.write"), self.t("cmd.write.help"), self.action_export),
            (self.t("export.open"), self.t("cmd.open.help"), self.action_open),
            (self.t("export.print"), self.t("cmd.print.help"), self.action_print),
        ]
