"""`tyopaja kit`: the whole pre-meeting kit in one folder, in one go.

Cards, posters, the participants' agenda and the facilitator's script, all in the session's
language. With a SESSION everything comes from its set-up (deck, areas in order, minutes, dots,
who, when, where); before a session exists, from the deck and the values given here
(`--areas`, `--minutes`, `--dots`, `--association`, `--date`), with the deck's defaults for the
rest. Every file is built in memory first and put in place whole, so a failure never leaves a
half-written PDF under a real name.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kit.errors import KitError, os_error
from kit.i18n import t


def add_kit_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    """The options of `tyopaja kit` (registered by kit.cli)."""
    parser.add_argument("session", metavar="SESSION", nargs="?", default=None,
                        help=t("print.cli.kit_session", lang))
    parser.add_argument("-o", "--output", metavar="FOLDER", required=True,
                        help=t("print.cli.kit_folder", lang))
    parser.add_argument("--deck", metavar="FILE", help=t("print.cli.deck", lang))
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4",
                        help=t("print.cli.paper", lang))
    parser.add_argument("--per-page", type=int, choices=(4, 8), default=4,
                        help=t("print.cli.per_page", lang))
    parser.add_argument("--dot-mm", type=int, choices=(8, 12, 19), default=12,
                        help=t("print.cli.dot_mm", lang))
    parser.add_argument("--people", metavar="N", type=int, default=20,
                        help=t("print.cli.people", lang))
    parser.add_argument("--start", metavar="HH:MM", default="18:00",
                        help=t("print.cli.kit_start", lang))
    parser.add_argument("--minutes", metavar="N", type=int, default=None,
                        help=t("print.cli.kit_minutes", lang))
    parser.add_argument("--dots", metavar="N", type=int, default=None,
                        help=t("print.cli.kit_dots", lang))
    parser.add_argument("--areas", metavar="ID,ID", default=None,
                        help=t("print.cli.kit_areas", lang))
    parser.add_argument("--association", metavar="TEXT", default="",
                        help=t("print.cli.kit_association", lang))
    parser.add_argument("--date", metavar="YYYY-MM-DD", default="",
                        help=t("print.cli.kit_date", lang))


def setup_of(args: argparse.Namespace, lang: str, snapshot: Any | None) -> Any:
    """The kit's `Setup`: the session's, or the deck's with the values given."""
    from kit.deck import load_deck
    from kit.exports.agenda import Setup, parse_start

    start = parse_start(args.start)
    if snapshot is not None:
        meta = snapshot.meta
        return Setup(deck=snapshot.deck, lang=lang, area_ids=tuple(meta.area_ids),
                     minutes=meta.minutes, dots=meta.dots, start=start,
                     association=meta.association, title=meta.title, date=meta.date,
                     place=meta.place, facilitator=meta.facilitator)
    deck = load_deck(args.deck)
    known = [area.id for area in deck.areas]
    area_ids = tuple(known)
    if args.areas:
        area_ids = tuple(part.strip() for part in args.areas.split(",") if part.strip())
        unknown = [a for a in area_ids if a not in known]
        if unknown or not area_ids:
            raise KitError("print.kit.no_areas", value=",".join(unknown) or args.areas,
                           known=", ".join(known))
    minutes = deck.minutes if args.minutes is None else args.minutes
    dots = deck.dots if args.dots is None else args.dots
    if not 1 <= minutes <= 240:
        raise KitError("input.range", field="--minutes", low=1, high=240)
    if not 1 <= dots <= 20:
        raise KitError("input.range", field="--dots", low=1, high=20)
    return Setup(deck=deck, lang=lang, area_ids=area_ids, minutes=minutes, dots=dots,
                 start=start, association=args.association, date=args.date)


def run_kit(args: argparse.Namespace, lang: str, snapshot: Any | None) -> int:
    """Write the four PDFs into the folder; say where, and warn once about missing glyphs."""
    from kit.deck import parse_deck
    from kit.exports.agenda import build_agenda, build_script
    from kit.exports.cards import build_cards
    from kit.exports.posters import PosterOptions, build_posters

    setup = setup_of(args, lang, snapshot)
    # The cards and posters show the areas of the evening, in its order.
    data = setup.deck.to_dict()
    by_id = {area["id"]: area for area in data["areas"]}
    data["areas"] = [by_id[area_id] for area_id in setup.area_ids]
    deck = parse_deck(data)
    options = PosterOptions(paper=args.paper, dot_mm=args.dot_mm, people=args.people,
                            dots=setup.dots)
    builds: list[tuple[str, Callable[[io.BytesIO], Any]]] = [
        (t("print.cards.default_file", lang),
         lambda out: build_cards(deck, out, lang=lang, per_page=args.per_page,
                                 paper=args.paper)),
        (t("print.posters.default_file", lang),
         lambda out: build_posters(deck, out, lang=lang, options=options)),
        (t("print.kit.agenda_file", lang),
         lambda out: build_agenda(setup, out, paper=args.paper)),
        (t("print.kit.script_file", lang),
         lambda out: build_script(setup, out, paper=args.paper)),
    ]
    made: list[tuple[str, bytes]] = []
    missing = 0
    for name, build in builds:  # everything built before anything is written
        buffer = io.BytesIO()
        missing += build(buffer).missing
        made.append((name, buffer.getvalue()))
    folder = Path(args.output).expanduser().absolute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error("cli.cannot_write", folder, exc) from None
    for name, content in made:
        _put(folder / name, content)
    print(t("print.kit.wrote", lang, path=str(folder), files=", ".join(n for n, _ in made)))
    if missing:
        print(t("cli.warning", lang, message=t("print.missing_glyphs", lang, n=missing)),
              file=sys.stderr)
    return 0


def _put(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".{path.name}.part")
    try:
        with open(temporary, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise os_error("cli.cannot_write", path, exc) from None
