"""The `tyopaja` command: the contract of PRODUCT.md §5.

Exit 0 on success, 2 for bad input or usage (one line on stderr), 1 for anything unexpected
(one line saying where the details were logged). Messages are Finnish unless `--lang en` is
given or the session in question is in English.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from kit.crash import log_unexpected
from kit.errors import KitError, os_error
from kit.i18n import LANGUAGES, normalise, t

if TYPE_CHECKING:
    import asyncio

    from kit.session import Snapshot

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """argparse found a problem: already a finished line in the user's language."""


def _argparse_in(lang: str) -> None:
    """Make argparse speak `lang`: it looks its phrases up through `argparse._`."""
    import gettext

    from kit.i18n import catalogue

    phrases = catalogue(lang).get("argparse", {})

    def translate(message: str) -> str:
        return str(phrases.get(message) or gettext.gettext(message))

    def ntranslate(singular: str, plural: str, n: int) -> str:
        return translate(singular if n == 1 else plural)

    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = ntranslate  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser(lang: str) -> argparse.ArgumentParser:
    _argparse_in(lang)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help=t("cli.help.data_dir", lang))
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=t("cli.help.lang", lang))

    parser = _Parser(prog="tyopaja", description=t("cli.description", lang),
                     epilog=t("cli.epilog", lang), parents=[common])
    commands = parser.add_subparsers(dest="command", metavar=t("cli.command", lang),
                                     parser_class=_Parser)

    def command(name: str, handler: Callable[..., int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=t(f"cli.help.{name}", lang),
                                  description=t(f"cli.help.{name}", lang))
        sub.set_defaults(handler=handler)
        return sub

    command("sessions", cmd_sessions)

    export = command("export", cmd_export)
    export.add_argument("session", metavar="SESSION", help=t("cli.help.session", lang))
    export.add_argument("--format", required=True, choices=("json", "csv", "xlsx", "md"),
                        help=t("cli.help.format", lang))
    export.add_argument("-o", "--output", metavar="FILE", help=t("cli.help.output", lang))

    imp = command("import", cmd_import)
    imp.add_argument("file", metavar="FILE", help=t("cli.help.import_file", lang))
    imp.add_argument("--again", action="store_true", help=t("import.help.again", lang))

    deck = command("deck", cmd_deck_check)
    deck_commands = deck.add_subparsers(dest="deck_command", metavar="check",
                                        parser_class=_Parser)
    check = deck_commands.add_parser("check", parents=[common],
                                     help=t("cli.help.deck_check", lang))
    check.add_argument("file", metavar="FILE", help=t("cli.help.deck_file", lang))

    delete = command("delete", cmd_delete)
    delete.add_argument("session", metavar="SESSION", help=t("cli.help.session", lang))
    delete.add_argument("--yes", action="store_true", help=t("cli.help.yes", lang))

    demo = command("demo", cmd_demo)
    demo.add_argument("--no-ui", action="store_true", help=t("cli.help.no_ui", lang))

    cards = command("cards", cmd_cards)
    cards.add_argument("-o", "--output", metavar="FILE", help=t("print.cli.output", lang))
    cards.add_argument("--deck", metavar="FILE", help=t("print.cli.deck", lang))
    cards.add_argument("--per-page", type=int, choices=(4, 8), default=4,
                       help=t("print.cli.per_page", lang))
    cards.add_argument("--paper", choices=("a4", "letter"), default="a4",
                       help=t("print.cli.paper", lang))
    cards.add_argument("--no-backs", action="store_true", help=t("print.cli.no_backs", lang))

    posters = command("posters", cmd_posters)
    posters.add_argument("-o", "--output", metavar="FILE", help=t("print.cli.output", lang))
    posters.add_argument("--deck", metavar="FILE", help=t("print.cli.deck", lang))
    posters.add_argument("--paper", choices=("a4", "a3", "letter"), default="a4",
                         help=t("print.cli.paper_posters", lang))
    posters.add_argument("--dot-mm", type=int, choices=(8, 12, 19), default=12,
                         help=t("print.cli.dot_mm", lang))
    posters.add_argument("--people", metavar="N", type=int, default=20,
                         help=t("print.cli.people", lang))
    posters.add_argument("--session", metavar="SESSION", help=t("print.cli.poster_session", lang))

    summary = command("summary", cmd_summary)
    summary.add_argument("session", metavar="SESSION", help=t("cli.help.session", lang))
    summary.add_argument("-o", "--output", metavar="FILE", help=t("print.cli.output", lang))
    summary.add_argument("--link", metavar="URL", help=t("print.cli.link", lang))
    summary.add_argument("--paper", choices=("a4", "letter"), default="a4",
                         help=t("print.cli.paper", lang))
    summary.add_argument("--comments", metavar="all|none|N", default=None,
                         help=t("print.cli.comments", lang))
    summary.add_argument("--large", action="store_true", help=t("print.cli.large", lang))

    from kit.cli_print import add_kit_arguments

    add_kit_arguments(command("kit", cmd_kit), lang)  # the pre-meeting kit (kit/cli_print.py)

    room = command("room", cmd_room)
    room.add_argument("session", metavar="SESSION", help=t("cli.help.session", lang))
    room.add_argument("--area", metavar="ID", help=t("cli.help.room_area", lang))
    room.add_argument("--bind", metavar="ADDR", help=t("cli.help.room_bind", lang))
    room.add_argument("--port", metavar="N", type=int, default=None,
                      help=t("cli.help.room_port", lang))
    room.add_argument("--slips", action="store_true", help=t("cli.help.room_slips", lang))

    slips = command("slips", cmd_slips)
    slips.add_argument("session", metavar="SESSION", help=t("cli.help.session", lang))
    slips.add_argument("-n", "--count", metavar="N", type=int, required=True,
                       help=t("cli.help.slips_count", lang))
    slips.add_argument("-o", "--output", metavar="FILE", help=t("print.cli.slips_output", lang))
    slips.add_argument("--area", metavar="ID", help=t("cli.help.slips_area", lang))
    slips.add_argument("--bind", metavar="ADDR", help=t("cli.help.slips_bind", lang))
    slips.add_argument("--port", metavar="N", type=int, default=8765,
                       help=t("cli.help.slips_port", lang))

    from kit.cli_across import Writers, add_commands, add_compare_option  # merge, compare, region

    add_commands(command, lang, Writers(_write_output, _write_pdf))
    add_compare_option(summary, lang)
    add_compare_option(export, lang)
    return parser


def _pre_lang(argv: Sequence[str]) -> str | None:
    """--lang, read before parsing so that argparse itself can speak the language."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in LANGUAGES else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in LANGUAGES else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    explicit = _pre_lang(args_list)
    lang = normalise(explicit)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(args_list)
    except UsageError as exc:
        print(t("cli.usage_error", lang, detail=str(exc)), file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    context = Context(args, explicit, lang)
    try:
        # No command opens the workshop app.
        return int(getattr(args, "handler", cmd_app)(context))
    except KitError as exc:
        print(t("cli.error", context.lang, message=exc.message(context.lang)), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception:
        log = log_unexpected()
        print(t("cli.unexpected", context.lang, log=log), file=sys.stderr)
        return EXIT_UNEXPECTED


class Context:
    """What every command needs: the arguments, the language, and the store (opened lazily)."""

    def __init__(self, args: argparse.Namespace, explicit_lang: str | None, lang: str) -> None:
        self.args = args
        self.explicit_lang = explicit_lang
        self.lang = lang
        self._store: Any = None

    @property
    def data_dir(self) -> Path | None:
        value = getattr(self.args, "data_dir", None)
        return Path(value).expanduser() if value else None

    def store(self) -> Any:
        if self._store is None:
            from kit.store import Store

            self._store = Store(self.data_dir)
            if self._store.moved_aside is not None:
                print(t("cli.warning", self.lang, message=t(
                    "store.moved_aside", self.lang, path=str(self._store.moved_aside))),
                    file=sys.stderr)
            # Here rather than in `sessions` alone: every command that writes (demo, import,
            # delete) writes this slower way too, and stderr leaves stdout to scripts.
            if self._store.fallback_journal:
                print(t("cli.warning", self.lang, message=t(
                    "store.fallback_journal", self.lang, path=str(self._store.data_dir))),
                    file=sys.stderr)
        return self._store

    def session(self, name: str) -> str:
        """Resolve SESSION and switch to its language unless --lang was given."""
        store = self.store()
        session_id = store.resolve(name)
        if self.explicit_lang is None:
            self.lang = normalise(store.snapshot(session_id).meta.lang)
        return str(session_id)


def _write_output(ctx: Context, text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(output).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # as the app's export does
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise os_error("cli.cannot_write", path, exc) from None
    print(t("cli.wrote", ctx.lang, path=str(path)), file=sys.stderr)


# --- commands --------------------------------------------------------------------------------


def cmd_sessions(ctx: Context) -> int:
    infos = ctx.store().sessions()
    if not infos:
        print(t("cli.no_sessions", ctx.lang))
        return EXIT_OK
    for info in infos:
        progress = progress_text(info.screen, info.area_number, info.area_count, ctx.lang)
        entries = t("cli.entries", ctx.lang, n=info.entries)
        title = info.title + (f" – {info.association}" if info.association else "")
        print(f"{info.id}  {info.date}  {title}  ·  {progress}  ·  {entries}")
    return EXIT_OK


def progress_text(screen: str, number: int, count: int, lang: str) -> str:
    if screen in ("area", "ballot", "present") and number:
        return t("progress.area", lang, n=number, of=count)
    return t(f"progress.{screen}", lang)


def cmd_export(ctx: Context) -> int:
    from kit.exports.files import data_text

    store = ctx.store()
    session_id = ctx.session(ctx.args.session)
    if ctx.args.format == "xlsx":
        return _export_xlsx(ctx, store.snapshot(session_id))
    entries = store.entries(session_id) if ctx.args.format == "json" else []
    if ctx.args.compare is not None and ctx.args.format != "md":
        raise KitError("compare.md_only")
    if ctx.args.compare is not None:  # kit.cli_across
        from kit.cli_across import comparison_of
        from kit.exports import markdown
        from kit.exports.compare_md import section
        from kit.report import build_report

        report = build_report(store.snapshot(session_id))
        comparison = comparison_of(ctx, ctx.args.compare, report)
        text = markdown.dumps(report, ctx.lang, section(comparison, ctx.lang))
    else:
        text = data_text(store.snapshot(session_id), entries, ctx.args.format, ctx.lang)
    _write_output(ctx, text, ctx.args.output)
    return EXIT_OK


def _export_xlsx(ctx: Context, snapshot: Snapshot) -> int:
    """The spreadsheet is binary: to -o FILE, or to stdout only when that is not a terminal."""
    import io

    from kit.exports import xlsx
    from kit.report import build_report

    if ctx.args.output is None and sys.stdout.isatty():
        raise KitError("xlsx.needs_output")
    buffer = io.BytesIO()
    xlsx.write(build_report(snapshot), buffer, ctx.lang)
    if ctx.args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.buffer.flush()
        return EXIT_OK
    path = Path(ctx.args.output).expanduser()
    try:
        path.write_bytes(buffer.getvalue())
    except OSError as exc:
        raise os_error("cli.cannot_write", path, exc) from None
    print(t("cli.wrote", ctx.lang, path=str(path)), file=sys.stderr)
    return EXIT_OK


def cmd_import(ctx: Context) -> int:
    """Import a JSON export; every refusal is one line naming the file (and where in it)."""
    from kit.exports import jsonfile

    path = Path(ctx.args.file).expanduser()
    name = jsonfile.one_line(ctx.args.file, 160, keep_end=True)
    raw = jsonfile.read_export_bytes(path, name)
    try:
        meta, deck, entries, ballots = jsonfile.loads(raw)
    except KitError as exc:
        where = exc.params.get("where")
        line = jsonfile.line_of(raw, where) if isinstance(where, str) else None
        if line is not None:
            raise KitError("import.refused_at", file=name, line=line, reason=exc) from None
        raise KitError("import.refused", file=name, reason=exc) from None
    store = ctx.store()
    origin = (jsonfile.source_id(raw), jsonfile.fingerprint(raw))
    earlier = store.imported_as(origin[1])
    if earlier is not None and not ctx.args.again:
        raise KitError("import.again", file=name, session=earlier)
    session_id = store.import_session(meta, deck, entries, ballots, origin)
    print(session_id)
    print(t("import.done", ctx.lang, file=name, session=session_id,
            title=jsonfile.one_line(meta.title or deck.short_title(ctx.lang)),
            n=len(entries)), file=sys.stderr)
    return EXIT_OK


def cmd_deck_check(ctx: Context) -> int:
    from kit.deck import load_deck

    if getattr(ctx.args, "deck_command", None) is None:  # "tyopaja deck" alone: say how
        raise KitError("cli.deck_needs_check")
    deck = load_deck(ctx.args.file)
    for lang in LANGUAGES:
        if lang == "fi":
            continue
        missing = deck.missing_translations(lang)
        if missing:
            print(t("cli.deck_missing_lang", ctx.lang, file=ctx.args.file, lang=lang,
                    n=len(missing), first=missing[0]), file=sys.stderr)
    practices = sum(len(a.practices) for a in deck.areas)
    print(t("cli.deck_ok", ctx.lang, file=ctx.args.file, areas=len(deck.areas),
            practices=practices))
    return EXIT_OK


def cmd_delete(ctx: Context) -> int:
    store = ctx.store()
    session_id = ctx.session(ctx.args.session)
    meta = store.snapshot(session_id).meta
    if not ctx.args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            from kit.view import format_date

            raise KitError("cli.delete_needs_yes", id=session_id, title=meta.title,
                           date=format_date(meta.date, ctx.lang))
        answer = input(t("cli.delete_confirm", ctx.lang, id=session_id, title=meta.title,
                         date=meta.date) + " ")
        if answer.strip().casefold() not in (t("cli.yes_answer", ctx.lang), "y", "yes"):
            print(t("cli.not_deleted", ctx.lang))
            return EXIT_OK
    store.delete_session(session_id)
    print(t("cli.deleted", ctx.lang, id=session_id))
    return EXIT_OK


def cmd_demo(ctx: Context) -> int:
    from kit.demo import create_demo

    if not ctx.args.no_ui:
        _need_terminal()
    session_id = create_demo(ctx.store(), ctx.lang)
    if ctx.args.no_ui:
        print(session_id)  # stdout: the id alone, for scripts; stderr: what it is, for people
        meta = ctx.store().snapshot(session_id).meta
        print(t("cli.demo_made", ctx.lang, id=session_id, title=meta.title,
                association=meta.association), file=sys.stderr)
        return EXIT_OK
    return cmd_app(ctx, session_id)


def _need_terminal() -> None:
    if not (sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty()):
        raise KitError("cli.needs_terminal")


def cmd_app(ctx: Context, session_id: str | None = None) -> int:
    """The workshop app (`tyopaja`, `tyopaja demo`); Textual is imported only here."""
    _need_terminal()
    store = ctx.store()  # a data folder that cannot be used is one line, before any screen
    from kit.app import run

    return run(store=store, lang=ctx.explicit_lang, session_id=session_id)


def _write_pdf(ctx: Context, output: str | None, default_name: str,
               build: Callable[[Any], Any]) -> int:
    """Build a PDF in memory, then put it in place in one step; say where and what was missing.

    Building first means a failed build never leaves half a file under the real name; the
    temporary file beside the target is renamed over it only when complete.
    """
    import io

    path = (Path(output).expanduser() if output else Path.cwd() / default_name).absolute()
    buffer = io.BytesIO()
    result = build(buffer)
    temporary = path.with_name(f".{path.name}.part")
    try:
        with open(temporary, "wb") as handle:
            handle.write(buffer.getvalue())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise os_error("cli.cannot_write", path, exc) from None
    print(t("print.wrote", ctx.lang, path=str(path)))
    if result.missing:
        print(t("cli.warning", ctx.lang, message=t("print.missing_glyphs", ctx.lang,
                                                    n=result.missing)), file=sys.stderr)
    return EXIT_OK


def cmd_cards(ctx: Context) -> int:
    from kit.deck import load_deck
    from kit.exports.cards import build_cards

    deck = load_deck(ctx.args.deck)
    args = ctx.args
    return _write_pdf(ctx, args.output, t("print.cards.default_file", ctx.lang),
                      lambda target: build_cards(deck, target, lang=ctx.lang,
                                                 per_page=args.per_page, paper=args.paper,
                                                 backs=not args.no_backs))


def cmd_posters(ctx: Context) -> int:
    from kit.deck import load_deck
    from kit.exports.posters import PosterOptions, build_posters

    args = ctx.args
    dots = None
    if args.session is not None:  # the session's deck and its dots per person
        snapshot = ctx.store().snapshot(ctx.session(args.session))
        deck, dots = snapshot.deck, snapshot.meta.dots
    else:
        deck = load_deck(args.deck)
    options = PosterOptions(paper=args.paper, dot_mm=args.dot_mm, people=args.people, dots=dots)
    return _write_pdf(ctx, args.output, t("print.posters.default_file", ctx.lang),
                      lambda target: build_posters(deck, target, lang=ctx.lang, options=options))


def cmd_summary(ctx: Context) -> int:
    from kit.exports.summary import SummaryOptions, build_summary, check_link, parse_comments
    from kit.report import build_report

    args = ctx.args
    comments = parse_comments(args.comments) if args.comments is not None else None
    options = SummaryOptions(paper=args.paper, large=args.large, comments=comments)
    store = ctx.store()
    session_id = ctx.session(ctx.args.session)
    report = build_report(store.snapshot(session_id))
    link = check_link(ctx.args.link) if ctx.args.link is not None else None
    name = t("print.summary.default_file", ctx.lang, date=report.meta.date)
    comparison = None
    if ctx.args.compare is not None:  # kit.cli_across
        from kit.cli_across import comparison_of

        comparison = comparison_of(ctx, ctx.args.compare, report)
    return _write_pdf(ctx, ctx.args.output, name,
                      lambda target: build_summary(report, target, lang=ctx.lang, link=link,
                                                   options=options, comparison=comparison))


def cmd_kit(ctx: Context) -> int:
    from kit.cli_print import run_kit

    name = ctx.args.session
    snapshot = ctx.store().snapshot(ctx.session(name)) if name is not None else None
    return run_kit(ctx.args, ctx.lang, snapshot)


def cmd_slips(ctx: Context) -> int:
    """Voting slips for a strict phone vote: the codes made and their hashes kept, then the
    PDF. A slip's QR code opens the address the room will have at the workshop (`--bind`,
    `--port`), which need not be this computer's address now: slips are often printed at home.
    """
    from kit.exports.slips import build_slips
    from kit.room.addresses import choose_address, is_loopback, local_addresses
    from kit.room.slips import base_url, check_host, check_port

    args = ctx.args
    port = check_port(args.port)
    if args.bind is not None:
        host = check_host(args.bind)
    else:
        host, _loopback = choose_address(local_addresses(), None)
    store = ctx.store()
    session_id = ctx.session(args.session)
    handle = store.session(session_id)
    codes = handle.make_slips(args.count, args.area, host, port)  # committed: then printed
    code = _write_pdf(ctx, args.output, t("print.slips.default_file", ctx.lang),
                      lambda target: build_slips(handle.snapshot, codes, target, host=host,
                                                 port=port, area_id=args.area, lang=ctx.lang))
    url = base_url(host, port)
    print(t("slips.cli.address", ctx.lang, url=url, session=session_id), file=sys.stderr)
    if is_loopback(host):
        print(t("cli.warning", ctx.lang, message=t("slips.cli.loopback", ctx.lang, url=url)),
              file=sys.stderr)
    return code


def cmd_room(ctx: Context) -> int:
    """A phone round from the command line: serve it until ctrl+c (or SIGTERM), then close it.

    The address goes first on stdout, alone, so that a script (or a test) can read it; what
    the facilitator needs to know goes to stderr. Closing adds the round's ballots to the
    area's results and says how many on stdout. A round left open by a crash or a power cut
    is continued with the ballots it already holds.
    """
    import asyncio

    from kit.room.addresses import choose_address, is_loopback, local_addresses
    from kit.room.round import PhoneRound
    from kit.room.slips import base_url

    if ctx.args.port is not None and not 0 <= ctx.args.port <= 65535:
        raise KitError("room.bad_port", port=ctx.args.port)
    addresses = local_addresses()
    if ctx.args.bind is not None:
        choose_address(addresses, ctx.args.bind)  # a wrong address: one line, nothing opened
    store = ctx.store()
    session_id = ctx.session(ctx.args.session)
    handle = store.session(session_id)
    snapshot = handle.snapshot
    left_open = [a for a in snapshot.meta.area_ids if a in handle.open_rounds()]
    area_id = ctx.args.area or _room_area(snapshot, left_open)
    reopened = handle.round_count(area_id) if area_id in snapshot.meta.area_ids else None
    # Slips: a round opened with them, or left open with them (a strict vote stays strict),
    # is served where the slips' QR codes point, when that is one of this machine's addresses.
    with_slips = ctx.args.slips or (reopened is not None and handle.slip_round(area_id))
    printed = handle.slip_address() if with_slips else None
    wanted = ctx.args.bind
    if wanted is None and printed is not None and printed[0] in addresses:
        wanted = printed[0]
    address, loopback = choose_address(addresses, wanted)
    port = ctx.args.port
    if port is None:
        port = printed[1] if printed is not None else 8765
    room = PhoneRound(handle, area_id, slips=ctx.args.slips)  # opens it (or the one left open)

    def say(key: str, **params: Any) -> None:
        print(t(key, ctx.lang, **params), file=sys.stderr, flush=True)

    async def serve() -> int:
        import signal

        from kit.room.server import RoomServer

        server = RoomServer(room, lang=ctx.lang)
        with _stop_signals(signal.SIGINT, signal.SIGTERM) as stopped:  # before the address
            try:
                url = await server.start(address, port)
            except BaseException:
                if room.count == 0:  # nothing to keep: leave no empty round behind
                    room.close()
                raise
            try:
                added = await announce_and_wait(url, stopped)
            finally:
                await server.stop()
        print(t("room.cli.added", ctx.lang, n=added), flush=True)
        return EXIT_OK

    async def announce_and_wait(url: str, stopped: asyncio.Event) -> int:
        """The address, then what the facilitator needs to know; wait; close."""
        print(url, flush=True)
        area = room.area
        say("room.cli.area", symbol=area.symbol, title=area.title.get(ctx.lang),
            n=snapshot.meta.area_ids.index(area_id) + 1, of=len(snapshot.meta.area_ids))
        if reopened is not None:
            say("room.cli.reopened", n=reopened)
        if room.slips:
            say("room.cli.slips", n=room.slips_left(), printed=handle.slip_counts(area_id)[0])
            if printed is not None and url.rsplit("/", 1)[0] != base_url(*printed):
                say("room.cli.slips_elsewhere", printed=base_url(*printed),
                    url=url.rsplit("/", 1)[0])
        for other in left_open:
            if other != area_id:
                say("room.cli.other_open", title=snapshot.deck.area(other).title.get(
                    ctx.lang), n=handle.round_count(other) or 0, id=other)
        if loopback:
            reachable = [a for a in addresses if not is_loopback(a)]
            if reachable:
                say("room.cli.loopback", address=reachable[0])
            else:
                say("room.cli.no_network")
        say("room.cli.how_to_close")
        await stopped.wait()
        return room.close()  # before stopping: a ballot still arriving hears it closed

    return asyncio.run(serve())


def _room_area(snapshot: Snapshot, left_open: list[str]) -> str:
    """The area for `room` without --area: a round left open, else where the facilitator is,
    else the first area."""
    if left_open:
        return left_open[0]
    step = snapshot.step
    if step is not None and step.area_id in snapshot.meta.area_ids:
        return str(step.area_id)
    return str(snapshot.meta.area_ids[0])


@contextlib.contextmanager
def _stop_signals(*signals: int) -> Iterator[asyncio.Event]:
    """An asyncio.Event set by any of `signals` (ctrl+c is SIGINT), handled in the running
    loop rather than as a KeyboardInterrupt in the middle of whatever is running."""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()
    previous: dict[int, Any] = {}
    for number in signals:
        try:
            loop.add_signal_handler(number, stopped.set)
        except (NotImplementedError, RuntimeError):  # Windows: no signals in the loop
            previous[number] = signal.signal(
                number, lambda *_: loop.call_soon_threadsafe(stopped.set))
    try:
        yield stopped
    finally:
        for number in signals:
            if number in previous:
                signal.signal(number, previous[number])
            else:
                loop.remove_signal_handler(number)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
