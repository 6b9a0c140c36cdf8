"""The comparison with an earlier workshop in words: the Markdown section and its figures.

`figure` and `mark` are what every renderer of a `kit.compare.Comparison` prints (this
Markdown, the PDF page, the app's screen), so the three say the same. The Markdown export of a
session calls `section` to add the comparison under its results.
"""

from __future__ import annotations

from kit.compare import Change, Comparison
from kit.deck import Level
from kit.exports.markdown import escape
from kit.i18n import t
from kit.report import Report
from kit.view import format_date


def counts(change: Change) -> str:
    """'5/12 → 9/15': both counts with their base."""
    return f"{change.earlier}/{change.earlier_n} → {change.later}/{change.later_n}"


def figure(change: Change, level: Level, lang: str) -> str:
    """'✓ hyvin 5/12 → 9/15': the level, then both counts with their base."""
    return f"{level.symbol} {level.short(lang)} {counts(change)}"


def mark(change: Change, lang: str) -> str:
    """'▲ nousi', '▼ laski' or nothing: only where the rule of `kit.compare` says so."""
    if change.direction > 0:
        return t("compare.up", lang)
    if change.direction < 0:
        return t("compare.down", lang)
    return ""


def cell(change: Change, level: Level, lang: str) -> str:
    words = mark(change, lang)
    return figure(change, level, lang) + (f" **{words}**" if words else "")


def title_of(comparison: Comparison, lang: str) -> str:
    def name(report: Report) -> str:
        meta = report.meta
        return f"{meta.title} ({format_date(meta.date, lang)})" if meta.date else meta.title

    return t("compare.between", lang, earlier=name(comparison.earlier),
             later=name(comparison.later))


def section(comparison: Comparison, lang: str, depth: int = 2) -> list[str]:
    """The comparison as Markdown lines, its heading at `depth` (## by default)."""
    hashes = "#" * depth
    well, develop = comparison.well_level, comparison.develop_level
    lines = [f"{hashes} {t('compare.title', lang)}", "",
             escape(title_of(comparison, lang)), "", t("compare.rule", lang), ""]
    if not comparison.rows:
        lines += [t("compare.none_shared", lang), ""]
    else:
        header = [t("compare.practice", lang), f"{well.symbol} {well.label(lang)}",
                  f"{develop.symbol} {develop.label(lang)}", f"● {t('compare.dots', lang)}"]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for row in comparison.rows:
            cells = [f"{row.practice.card_id} {escape(row.practice.text(lang))}",
                     cell(row.well, well, lang), cell(row.develop, develop, lang),
                     f"{row.dots[0]} → {row.dots[1]}"]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        if not comparison.marked:
            lines += [t("compare.no_change", lang), ""]
    for key, practices in (("compare.only_later", comparison.only_later),
                           ("compare.only_earlier", comparison.only_earlier)):
        if practices:
            lines += [f"{hashes}# {t(key, lang)}", ""]
            lines += [f"- {p.card_id} {escape(p.text(lang))}" for p in practices]
            lines.append("")
    return lines


def dumps(comparison: Comparison, lang: str) -> str:
    """The comparison alone, as a Markdown document."""
    lines = section(comparison, lang, depth=1)
    return "\n".join(lines).rstrip() + "\n"
