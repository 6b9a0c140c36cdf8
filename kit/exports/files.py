"""Writing the chosen exports into a folder (the documents folder, a USB stick): the paths back.

The export screen only gathers the folder and the formats and calls `write_exports` in a worker
thread. Each file is written under a temporary name beside its final one and renamed into
place, so a full disk or a pulled stick never leaves half a file under the real name. Every
`OSError` becomes a `KitError` that says, in the user's language, which folder and why.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from kit.errors import KitError, os_error
from kit.session import Entry, Snapshot

DATA_FORMATS: tuple[str, ...] = ("json", "csv", "xlsx", "md")
PDF_FORMATS: tuple[str, ...] = ("summary", "cards")
SUFFIX = {"json": ".json", "csv": ".csv", "xlsx": ".xlsx", "md": ".md",
          "summary": "-yhteenveto.pdf", "cards": "-kortit.pdf"}
SUFFIX_EN = {**SUFFIX, "summary": "-summary.pdf", "cards": "-cards.pdf"}

Progress = Callable[[int, int, str], None]  # (done, total, format)


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def pdf_builder(fmt: str) -> Callable[[Snapshot, Path, str], None] | None:
    """The print issue's builder for a PDF format, or None while it has not landed."""
    if fmt == "summary" and _module_exists("kit.exports.summary"):
        from kit.exports import summary

        build = getattr(summary, "build_summary", None)
        if callable(build):
            from kit.report import build_report

            return lambda snapshot, path, lang: build(build_report(snapshot), path, lang=lang)
    if fmt == "cards" and _module_exists("kit.exports.cards"):
        from kit.exports import cards

        build_cards = getattr(cards, "build_cards", None)
        if callable(build_cards):
            return lambda snapshot, path, lang: build_cards(snapshot.deck, path, lang=lang)
    return None


def available_formats() -> tuple[str, ...]:
    """What can be written here: always the data files, the PDFs once their builders exist."""
    return DATA_FORMATS + tuple(f for f in PDF_FORMATS if pdf_builder(f) is not None)


def base_name(snapshot: Snapshot) -> str:
    """`tyopaja-2027-03-12-kylayhdistys-ry`: sorts by date, safe on every file system."""
    words = snapshot.meta.association or snapshot.meta.title
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")[:40].strip("-")
    return "-".join(part for part in ("tyopaja", snapshot.meta.date, slug) if part)


def target_paths(snapshot: Snapshot, folder: Path, formats: Sequence[str],
                 lang: str) -> list[Path]:
    suffixes = SUFFIX if lang == "fi" else SUFFIX_EN
    return [folder / (base_name(snapshot) + suffixes[fmt]) for fmt in formats]


def write_exports(snapshot: Snapshot, entries: list[Entry], folder: str | Path,
                  formats: Sequence[str], lang: str,
                  progress: Progress | None = None) -> list[Path]:
    """Write each chosen format into `folder` (made if missing); return the files written."""
    if not str(folder).strip():
        raise KitError("export.no_folder")
    if not formats:
        raise KitError("export.no_formats")
    unknown = [f for f in formats if f not in DATA_FORMATS + PDF_FORMATS]
    if unknown:
        raise KitError("export.unknown_format", value=", ".join(unknown))
    target = Path(str(folder).strip()).expanduser().absolute()  # say where, in full
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error("export.cannot_write", target, exc) from None
    if not target.is_dir():
        raise KitError("export.not_a_folder", path=str(target))
    written: list[Path] = []
    paths = target_paths(snapshot, target, formats, lang)
    for done, (fmt, path) in enumerate(zip(formats, paths, strict=True)):
        if progress is not None:
            progress(done, len(formats), fmt)
        _write_one(snapshot, entries, fmt, path, lang)
        written.append(path)
    if progress is not None:
        progress(len(formats), len(formats), "")
    return written


def _write_one(snapshot: Snapshot, entries: list[Entry], fmt: str, path: Path,
               lang: str) -> None:
    temporary = path.with_name(f".{path.name}.part")
    try:
        if fmt == "xlsx":  # the one binary data file
            from kit.exports import xlsx
            from kit.report import build_report

            with open(temporary, "wb") as handle:
                xlsx.write(build_report(snapshot), handle, lang)
                handle.flush()
                os.fsync(handle.fileno())
        elif fmt in DATA_FORMATS:
            text = data_text(snapshot, entries, fmt, lang)
            with open(temporary, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        else:
            build = pdf_builder(fmt)
            if build is None:
                raise KitError("export.unknown_format", value=fmt)
            build(snapshot, temporary, lang)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise os_error("export.cannot_write", path.parent, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def data_text(snapshot: Snapshot, entries: list[Entry], fmt: str, lang: str) -> str:
    """A data export (json, csv, md) as text: the export screen and `tyopaja export` alike."""
    from kit.report import build_report

    if fmt not in ("json", "csv", "md"):  # xlsx is bytes: kit.exports.xlsx.write
        raise KitError("export.unknown_format", value=fmt)

    if fmt == "json":
        from kit.exports import jsonfile

        return jsonfile.dumps(snapshot, entries)
    if fmt == "csv":
        from kit.exports import csvfile

        return csvfile.dumps(build_report(snapshot), lang)
    from kit.exports import markdown

    return markdown.dumps(build_report(snapshot), lang)
