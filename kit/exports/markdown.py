"""The Markdown export: the workshop's results ready to paste into the meeting minutes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kit.i18n import t
from kit.report import MIN_ANSWERS, Report
from kit.session import Comment
from kit.view import format_date, group_name, priority_figure, split_note, strength_figure

# Characters that start Markdown syntax anywhere in a line: emphasis, code, links and images,
# raw HTML and autolinks, entities, headings, tables, strikethrough, footnotes.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$])")
# What makes a bare link in GFM (www., a scheme's "x:", an e-mail's @) or in markdown-it's
# linkify (also a bare domain such as yhdistys.fi, and //host): the one character that makes
# each is escaped, so the text is still what was typed but no renderer sees a link in it.
_LINKISH = re.compile(r"(?i)(?<=www)\.|(?<=[a-z0-9])\.(?=[a-z])|:(?=\S)|@|(?<=/)/")


def escape(text: str) -> str:
    """User text that Markdown prints as typed, the same in CommonMark and GFM: no emphasis,
    links, autolinks, images, raw HTML, entities or broken tables (a line break is <br>)."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = _LINKISH.sub(lambda m: "\\" + m.group(0), text)
    text = re.sub(r"^(\s*)([-+=])", r"\1\\\2", text, flags=re.MULTILINE)
    text = re.sub(r"^(\s*\d+)([.)])(?=\s|$)", r"\1\\\2", text, flags=re.MULTILINE)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def dumps(report: Report, lang: str | None = None, sections: Sequence[str] = ()) -> str:
    lang = lang or report.meta.lang
    meta, deck = report.meta, report.deck
    lines: list[str] = []
    heading = escape(meta.title or deck.short_title(lang))
    if meta.association:
        heading += " – " + escape(meta.association)
    lines += [f"# {heading}", ""]
    facts = [(t("md.date", lang), format_date(meta.date, lang)), (t("md.place", lang), meta.place),
             (t("md.facilitator", lang), meta.facilitator),
             (t("md.groups", lang), ", ".join(g.name for g in meta.groups))]
    lines += [f"- **{label}:** {escape(value)}" for label, value in facts if value]
    lines.append("")

    for title_key, items, figure in (
            ("md.strengths", report.strengths, lambda r: strength_figure(r, deck, lang)),
            ("md.priorities", report.priorities, lambda r: priority_figure(r, lang))):
        lines += [f"## {t(title_key, lang)}", ""]
        if not items:
            lines.append(t("md.none_yet", lang))
        for n, result in enumerate(items, start=1):
            split = f" – {split_note(lang)}" if result.split else ""
            lines.append(f"{n}. {result.practice.card_id} {escape(result.practice.text(lang))}"
                         f" ({figure(result)}){split}")
        lines.append("")
    lines += [t("report.rule", lang, min=MIN_ANSWERS, level=deck.scale[0].label(lang)), ""]

    levels = deck.scale
    for area in report.areas:
        lines += [f"## {area.area.symbol} {escape(area.area.title(lang))}", ""]
        header = [t("md.practice", lang)]
        header += [f"{lv.symbol} {lv.label(lang)}" for lv in levels]
        header += [f"● {t('md.dots', lang)}", t("md.comments", lang)]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for result in area.practices:
            cells = [f"{result.practice.card_id} {escape(result.practice.text(lang))}"]
            cells += [str(result.total.counts[lv.id]) for lv in levels]
            cells += [str(result.dots), str(result.comments)]
            lines.append("| " + " | ".join(cells) + " |")
        if area.ballots:
            lines += ["", t("md.ballots_included", lang, n=area.ballots)]
        lines.append("")
        if area.comments:
            lines += [f"### {t('md.comments', lang)}", ""]
            lines += [_comment_line(report, c, lang) for c in area.comments]
            lines.append("")

    for title, comments in ((t("md.general_comments", lang), report.general_comments),
                            (t("report.removed_comments", lang), report.removed_comments)):
        if comments:
            lines += [f"## {title}", ""]
            lines += [_comment_line(report, c, lang) for c in comments]
            lines.append("")

    lines += [f"## {t('md.actions', lang)}", ""]
    if report.actions:
        lines.append(f"| {t('md.what', lang)} | {t('md.who', lang)} | {t('md.due', lang)} "
                     f"| {t('md.practice', lang)} |")
        lines.append("|---|---|---|---|")
        for action in report.actions:
            practice = (f"{deck.practice(action.practice_id).card_id}"
                        if action.practice_id else "")
            lines.append(f"| {escape(action.what)} | {escape(action.who)} | "
                         f"{escape(action.due)} | {practice} |")
    else:
        lines.append(t("md.no_actions", lang))
    lines.append("")
    lines += sections  # more sections' lines, e.g. `export --compare` (kit.exports.compare_md)
    if deck.credit is not None:
        lines += ["---", "", f"*{escape(deck.credit(lang))}*", ""]
    return "\n".join(lines)


def _comment_line(report: Report, comment: Comment, lang: str) -> str:
    where = []
    if comment.practice_id:
        where.append(report.deck.practice(comment.practice_id).card_id)
    if comment.group_id is not None:
        where.append(escape(group_name(report.meta, comment.group_id, lang)))
    suffix = f" ({', '.join(where)})" if where else ""
    return f"- *{t(f'tag.{comment.tag}', lang)}*{suffix}: {escape(comment.text)}"
