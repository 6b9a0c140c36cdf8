"""The commands across workshops: `merge`, `compare` and `region` (see docs/across.md).

`kit.cli.build_parser` registers them with `add_commands`. Everything is read and built in
memory before a file is written or a session made, so bad input (another format version,
another scale, a truncated file, a file that is not an export) is one line, exit 2, and
nothing written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.i18n import t

if TYPE_CHECKING:
    from kit.cli import Context
    from kit.compare import Comparison

Command = Callable[[str, Callable[..., int]], argparse.ArgumentParser]


@dataclass(frozen=True)
class Writers:
    """`kit.cli`'s ways of writing a result (stdout or a file; a PDF put in place whole),
    handed in so that this module does not import `kit.cli` back."""

    text: Callable[[Context, str, str | None], None]
    pdf: Callable[[Context, str | None, str, Callable[[Any], Any]], int]


def add_commands(command: Command, lang: str, writers: Writers) -> None:
    """The three commands, added to the `tyopaja` parser by `command(name, handler)`."""
    merge = command("merge", cmd_merge)
    merge.add_argument("sources", nargs="+", metavar="SESSION|FILE",
                       help=t("merge.cli.sources", lang))
    merge.add_argument("--title", metavar="T", help=t("merge.cli.title", lang))

    compare = command("compare", partial(cmd_compare, writers=writers))
    compare.add_argument("earlier", metavar="EARLIER", help=t("compare.cli.earlier", lang))
    compare.add_argument("later", metavar="LATER", help=t("compare.cli.later", lang))
    compare.add_argument("--format", choices=("md", "pdf"), default="md",
                         help=t("compare.cli.format", lang))
    compare.add_argument("-o", "--output", metavar="FILE", help=t("compare.cli.output", lang))

    region = command("region", partial(cmd_region, writers=writers))
    region.add_argument("sources", nargs="+", metavar="FILE|FOLDER",
                        help=t("region.cli.sources", lang))
    region.add_argument("-o", "--output", metavar="FILE", required=True,
                        help=t("region.cli.output", lang))
    region.add_argument("--format", choices=("md", "pdf", "csv"), default=None,
                        help=t("region.cli.format", lang))
    region.add_argument("--comments", action="store_true", help=t("region.cli.comments", lang))


def add_compare_option(parser: argparse.ArgumentParser, lang: str) -> None:
    """`--compare EARLIER` for `summary` and `export`."""
    parser.add_argument("--compare", metavar="EARLIER", default=None,
                        help=t("compare.cli.compare", lang))


class _Sessions:
    """The store, opened only if a source turns out to be a session rather than a file."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def resolve(self, name: str) -> str:
        return str(self.ctx.store().resolve(name))

    def snapshot(self, session_id: str) -> Any:
        return self.ctx.store().snapshot(session_id)

    def entries(self, session_id: str) -> Any:
        return self.ctx.store().entries(session_id)


def _language(ctx: Context, meta_lang: str) -> None:
    from kit.i18n import normalise

    if ctx.explicit_lang is None:
        ctx.lang = normalise(meta_lang)


def cmd_merge(ctx: Context) -> int:
    from kit.across import load_sources
    from kit.errors import KitError
    from kit.merge import merge

    if len(ctx.args.sources) < 2:
        raise KitError("merge.too_few")
    sources = load_sources(ctx.args.sources, _Sessions(ctx))
    session_id, plan = merge(ctx.store(), sources, lang=ctx.lang, title=ctx.args.title)
    print(session_id)
    comments = sum(1 for e in plan.entries if e.kind == "comment")
    actions = sum(1 for e in plan.entries if e.kind == "action")
    print(t("merge.done", ctx.lang, n=len(sources), title=plan.meta.title,
            rooms=", ".join(plan.rooms), groups=len(plan.meta.groups), comments=comments,
            actions=actions), file=sys.stderr)
    if plan.left_out:
        print(t("merge.left_out", ctx.lang, n=len(plan.left_out),
                list=", ".join(p.card_id for p in plan.left_out)), file=sys.stderr)
    return 0


def comparison_of(ctx: Context, earlier: str, later: Any) -> Comparison:
    """`earlier` (a name) against `later` (a name or a Report already built)."""
    from kit.across import load_source
    from kit.compare import compare

    sessions = _Sessions(ctx)
    before = load_source(earlier, sessions).report
    after = load_source(later, sessions).report if isinstance(later, str) else later
    return compare(before, after)


def cmd_compare(ctx: Context, writers: Writers) -> int:
    comparison = comparison_of(ctx, ctx.args.earlier, ctx.args.later)
    _language(ctx, comparison.later.meta.lang)
    if ctx.args.format == "md":
        from kit.exports.compare_md import dumps

        writers.text(ctx, dumps(comparison, ctx.lang), ctx.args.output)
        return 0
    from kit.exports.compare_pdf import build_compare

    name = t("compare.default_file", ctx.lang, date=comparison.later.meta.date)
    return writers.pdf(ctx, ctx.args.output, name,
                      lambda target: build_compare(comparison, target, lang=ctx.lang))


def cmd_region(ctx: Context, writers: Writers) -> int:
    from kit.across import export_files
    from kit.region import build_region

    output = ctx.args.output
    fmt = ctx.args.format or {".pdf": "pdf", ".csv": "csv"}.get(Path(output).suffix.lower(),
                                                                "md")
    region = build_region(export_files(ctx.args.sources), comments=ctx.args.comments)
    practices = len(region.rows)
    if fmt == "pdf":
        from kit.exports.region_pdf import build_region_pdf

        code = writers.pdf(ctx, output, output,
                          lambda target: build_region_pdf(region, target, lang=ctx.lang))
    else:
        from kit.exports.region_text import csv_text, markdown

        text = csv_text(region, ctx.lang) if fmt == "csv" else markdown(region, ctx.lang)
        writers.text(ctx, text, output)
        code = 0
    print(t("region.wrote", ctx.lang, n=region.associations, practices=practices),
          file=sys.stderr)
    return code
