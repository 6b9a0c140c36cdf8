"""The regional view as Markdown and as CSV: counts per practice, comments only when asked."""

from __future__ import annotations

import csv
import io

from kit.exports.csvfile import safe_cell
from kit.exports.markdown import escape
from kit.i18n import t
from kit.region import Region, RegionRow
from kit.report import MIN_ANSWERS


def headings(region: Region, lang: str) -> list[str]:
    """The columns' headings (a level's symbol kept with its first word)."""
    well, develop = region.well_level, region.develop_level
    mostly = [f"{level.symbol}\u00a0" + t(key, lang, level=level.label(lang).lower())
              for key, level in (("region.well", well), ("region.develop", develop))]
    return [t("region.practice", lang), t("region.rated", lang), *mostly,
            t("region.divided", lang), t("region.few", lang)]


def figures(row: RegionRow) -> list[str]:
    """'7 (96)', '5/7', '1/7', '1/7', '2': each count with the associations behind it."""
    return [f"{row.rated} ({row.answers})", f"{row.well}/{row.rated}",
            f"{row.develop}/{row.rated}", f"{row.divided}/{row.rated}", str(row.few)]


def title(region: Region, lang: str) -> str:
    return t("region.title", lang, n=region.associations)


def markdown(region: Region, lang: str) -> str:
    lines = [f"# {title(region, lang)}", "", t("region.rule", lang, min=MIN_ANSWERS), ""]
    header = headings(region, lang)
    for area, rows in region.by_area():
        lines += [f"## {area.symbol} {escape(area.title(lang))}", ""]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for row in rows:
            cells = [f"{row.practice.card_id} {escape(row.practice.text(lang))}", *figures(row)]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        if region.with_comments and any(row.comments for row in rows):
            lines += [f"### {t('region.comments', lang)}", ""]
            for row in rows:
                for name, text in row.comments:
                    lines.append(f"- {row.practice.card_id} – {escape(name)}: {escape(text)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def csv_text(region: Region, lang: str) -> str:
    """One row per practice; plain numbers in their own columns, for a spreadsheet (the
    delimiter and the formula guard of the session CSV, `kit.exports.csvfile`)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "fi" else ",", lineterminator="\r\n")
    header = ["area", "card", "practice_id", "practice", "associations_rated", "answers",
              "mostly_well", "mostly_develop", "divided", "too_few_answers"]
    if region.with_comments:
        header.append("comments")
    writer.writerow(header)
    for area, rows in region.by_area():
        for row in rows:
            cells: list[object] = [area.title(lang), row.practice.card_id, row.practice.id,
                                   row.practice.text(lang), row.rated, row.answers, row.well,
                                   row.develop, row.divided, row.few]
            if region.with_comments:
                cells.append("\n".join(f"{name}: {text}" for name, text in row.comments))
            writer.writerow([safe_cell(c) for c in cells])
    return out.getvalue()
