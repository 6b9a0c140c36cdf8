"""The CSV export: one long table a spreadsheet can filter and pivot, comments included.

Finnish spreadsheets expect `;` between fields (the comma is the decimal mark), English ones
`,`. The file starts with a UTF-8 byte-order mark so Excel reads the letters right. Any text
cell that a spreadsheet could take for a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from kit.i18n import t
from kit.session import Snapshot, comment_area

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str | int:
    """A cell that opens as text, never as a formula, in Excel and LibreOffice."""
    if isinstance(value, int):
        return value
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def dumps(snapshot: Snapshot, lang: str | None = None) -> str:
    lang = lang or snapshot.meta.lang
    deck = snapshot.deck
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fi" else ",", lineterminator="\r\n")
    columns = ("kind", "area", "practice_id", "practice", "group", "level", "count", "tag",
               "text", "who", "due")
    writer.writerow([t(f"csv.{c}", lang) for c in columns])
    groups = {g.id: g.name for g in snapshot.meta.groups}
    ballot_name = t("csv.ballots", lang)

    def row(*cells: object) -> None:
        writer.writerow([safe_cell(c) for c in cells])

    for area in snapshot.areas:
        area_name = area.title(lang)
        for practice in area.practices:
            text = practice.text(lang)
            for group in snapshot.meta.groups:
                for level in deck.scale:
                    n = snapshot.ratings.get((group.id, practice.id, level.id), 0)
                    if n:
                        row(t("csv.rating", lang), area_name, practice.card_id, text, group.name,
                            level.label(lang), n, "", "", "", "")
            ballot = snapshot.ballot_tally(practice.id)
            for level in deck.scale:
                if ballot.levels[level.id]:
                    row(t("csv.rating", lang), area_name, practice.card_id, text, ballot_name,
                        level.label(lang), ballot.levels[level.id], "", "", "", "")
            for group in snapshot.meta.groups:
                n = snapshot.dots.get((group.id, practice.id), 0)
                if n:
                    row(t("csv.dots", lang), area_name, practice.card_id, text, group.name, "",
                        n, "", "", "", "")
            if ballot.dots:
                row(t("csv.dots", lang), area_name, practice.card_id, text, ballot_name, "",
                    ballot.dots, "", "", "", "")
        row(t("csv.ballot_count", lang), area_name, "", "", ballot_name, "",
            snapshot.ballot_totals(area.id).ballots, "", "", "", "")
    for comment in snapshot.comments:
        area_id = comment_area(deck, comment)
        practice = deck.practice(comment.practice_id) if comment.practice_id else None
        row(t("csv.comment", lang), deck.area(area_id).title(lang) if area_id else "",
            practice.card_id if practice else "", practice.text(lang) if practice else "",
            groups.get(comment.group_id, "") if comment.group_id is not None else "", "", "",
            t(f"tag.{comment.tag}", lang), comment.text, "", "")
    for action in snapshot.actions:
        practice = deck.practice(action.practice_id) if action.practice_id else None
        row(t("csv.action", lang), deck.area(practice.area_id).title(lang) if practice else "",
            practice.card_id if practice else "", practice.text(lang) if practice else "", "",
            "", "", "", action.what, action.who, action.due)
    return "\ufeff" + out.getvalue()
