"""The CSV export: one long table a spreadsheet can filter and pivot, comments included.

Finnish spreadsheets expect `;` between fields (the comma is the decimal mark), English ones
`,`. The file starts with a UTF-8 byte-order mark so Excel reads the letters right. Any text
cell that a spreadsheet could take for a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from kit.i18n import t
from kit.report import Report
from kit.session import comment_area
from kit.view import group_name

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str | int:
    """A cell that opens as text, never as a formula, in Excel and LibreOffice."""
    if isinstance(value, int):
        return value
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def dumps(report: Report, lang: str | None = None) -> str:
    lang = lang or report.meta.lang
    deck = report.deck
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fi" else ",", lineterminator="\r\n")
    columns = ("kind", "area", "practice_id", "practice", "group", "level", "count", "tag",
               "text", "who", "due")
    writer.writerow([t(f"csv.{c}", lang) for c in columns])
    groups = report.meta.groups
    ballot_name = t("csv.ballots", lang)

    def row(*cells: object) -> None:
        writer.writerow([safe_cell(c) for c in cells])

    for area in report.areas:
        area_name = area.area.title(lang)
        for result in area.practices:
            card, text = result.practice.card_id, result.practice.text(lang)
            for who, counts in (*((g.name, result.groups[g.id].counts) for g in groups),
                                (ballot_name, result.ballots.counts)):
                for level in deck.scale:
                    if counts[level.id]:
                        row(t("csv.rating", lang), area_name, card, text, who,
                            level.label(lang), counts[level.id], "", "", "", "")
            for who, n in (*((g.name, result.group_dots[g.id]) for g in groups),
                           (ballot_name, result.ballot_dots)):
                if n:
                    row(t("csv.dots", lang), area_name, card, text, who, "", n, "", "", "", "")
        row(t("csv.ballot_count", lang), area_name, "", "", ballot_name, "", area.ballots,
            "", "", "", "")
    for comment in report.comments:
        area_id = comment_area(deck, comment)
        practice = deck.practice(comment.practice_id) if comment.practice_id else None
        row(t("csv.comment", lang), deck.area(area_id).title(lang) if area_id else "",
            practice.card_id if practice else "", practice.text(lang) if practice else "",
            "" if comment.group_id is None else group_name(report.meta, comment.group_id, lang),
            "", "", t(f"tag.{comment.tag}", lang), comment.text, "", "")
    for action in report.actions:
        practice = deck.practice(action.practice_id) if action.practice_id else None
        row(t("csv.action", lang), deck.area(practice.area_id).title(lang) if practice else "",
            practice.card_id if practice else "", practice.text(lang) if practice else "", "",
            "", "", "", action.what, action.who, action.due)
    return "\ufeff" + out.getvalue()
