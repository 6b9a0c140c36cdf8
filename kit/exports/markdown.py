"""The Markdown export: the workshop's results ready to paste into the meeting minutes."""

from __future__ import annotations

import re

from kit.i18n import t
from kit.session import Comment, Snapshot, comment_area

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape(text: str) -> str:
    """User text that Markdown prints as typed (no links, emphasis or broken tables)."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"^(\s*)([-+]|\d+\.)(\s)", r"\1\\\2\3", text, flags=re.MULTILINE)
    return text.replace("\n", "<br>")


def dumps(snapshot: Snapshot, lang: str | None = None) -> str:
    lang = lang or snapshot.meta.lang
    meta, deck = snapshot.meta, snapshot.deck
    lines: list[str] = []
    heading = escape(meta.title or deck.short_title(lang))
    if meta.association:
        heading += " – " + escape(meta.association)
    lines += [f"# {heading}", ""]
    facts = [(t("md.date", lang), meta.date), (t("md.place", lang), meta.place),
             (t("md.facilitator", lang), meta.facilitator),
             (t("md.groups", lang), ", ".join(g.name for g in meta.groups))]
    lines += [f"- **{label}:** {escape(value)}" for label, value in facts if value]
    lines.append("")

    levels = deck.scale
    for area in snapshot.areas:
        lines += [f"## {area.symbol} {escape(area.title(lang))}", ""]
        header = [t("md.practice", lang)]
        header += [f"{lv.symbol} {lv.label(lang)}" for lv in levels]
        header += [f"● {t('md.dots', lang)}", t("md.comments", lang)]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for practice in area.practices:
            tally = snapshot.tally(practice.id)
            cells = [f"{practice.card_id} {escape(practice.text(lang))}"]
            cells += [str(tally.levels[lv.id]) for lv in levels]
            cells += [str(tally.dots), str(tally.comments)]
            lines.append("| " + " | ".join(cells) + " |")
        ballots = snapshot.ballot_totals(area.id).ballots
        if ballots:
            lines += ["", t("md.ballots_included", lang, n=ballots)]
        lines.append("")
        for title_key, items in (("md.strengths", snapshot.strengths(3, area.id)),
                                 ("md.priorities", snapshot.priorities(3, area.id))):
            if items:
                names = "; ".join(escape(i.practice.text(lang)) for i in items)
                lines += [f"**{t(title_key, lang)}:** {names}", ""]
        comments = snapshot.comments_for(area.id)
        if comments:
            lines += [f"### {t('md.comments', lang)}", ""]
            lines += [_comment_line(snapshot, c, lang) for c in comments]
            lines.append("")

    general = [c for c in snapshot.comments if comment_area(deck, c) is None]
    if general:
        lines += [f"## {t('md.general_comments', lang)}", ""]
        lines += [_comment_line(snapshot, c, lang) for c in general]
        lines.append("")

    lines += [f"## {t('md.actions', lang)}", ""]
    if snapshot.actions:
        lines.append(f"| {t('md.what', lang)} | {t('md.who', lang)} | {t('md.due', lang)} "
                     f"| {t('md.practice', lang)} |")
        lines.append("|---|---|---|---|")
        for action in snapshot.actions:
            practice = (f"{deck.practice(action.practice_id).card_id}"
                        if action.practice_id else "")
            lines.append(f"| {escape(action.what)} | {escape(action.who)} | "
                         f"{escape(action.due)} | {practice} |")
    else:
        lines.append(t("md.no_actions", lang))
    lines.append("")
    if deck.credit is not None:
        lines += ["---", "", f"*{escape(deck.credit(lang))}*", ""]
    return "\n".join(lines)


def _comment_line(snapshot: Snapshot, comment: Comment, lang: str) -> str:
    where = []
    if comment.practice_id:
        where.append(snapshot.deck.practice(comment.practice_id).card_id)
    if comment.group_id is not None:
        where.append(escape(snapshot.meta.group(comment.group_id).name))
    suffix = f" ({', '.join(where)})" if where else ""
    return f"- *{t(f'tag.{comment.tag}', lang)}*{suffix}: {escape(comment.text)}"
