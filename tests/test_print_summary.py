"""The summary sheet: two pages at most for the demo, everything printed for a big hostile
session when asked (`comments="all"`), and a QR code that a reader decodes to exactly the digest
(or the link)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from print_helpers import (
    HOSTILE,
    LONG_COMMENT,
    LONG_WORD,
    all_text,
    assert_fonts_embedded_not_standard,
    hostile_session,
    normalise,
    page_count,
    page_texts,
    qr_of_first_page,
    stored,
)

from kit.cli import main
from kit.deck import Deck
from kit.demo import create_demo
from kit.errors import KitError
from kit.exports.digest import format_date, summary_digest
from kit.exports.pdfbase import Printable
from kit.exports.summary import SummaryOptions, build_summary
from kit.i18n import t
from kit.report import build_report
from kit.session import Snapshot
from kit.store import Store


def build(snapshot: Snapshot, **options: object) -> bytes:
    stream = io.BytesIO()
    result = build_summary(build_report(snapshot), stream, invariant=True, **options)  # type: ignore[arg-type]
    assert result.pages == page_count(stream.getvalue())
    return stream.getvalue()


def content_text(data: bytes, snapshot: Snapshot, lang: str) -> str:
    """All pages' text without the repeated head and footer, so text split across pages joins
    up. (The footer holds the motto; the credit line, too long for it at 10 pt, ends the sheet.)"""
    deck, meta = snapshot.deck, snapshot.meta
    assert deck.motto is not None and deck.credit is not None
    footer = normalise(t("print.quote", lang, text=deck.motto(lang)))
    head = " · ".join([meta.association, meta.title, format_date(meta.date, lang)])
    pages = page_texts(data)
    out = []
    for number, raw in enumerate(pages, start=1):
        text = normalise(raw)
        text = text.replace(t("print.page", lang, n=number, of=len(pages)), "", 1)
        assert footer in text, f"page {number} lacks its footer"
        assert head in text, f"page {number} lacks its head"
        out.append(text.replace(footer, "", 1).replace(head, "", 1).strip())
    return " ".join(out)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_demo_fits_on_two_pages_at_most(store: Store, lang: str) -> None:
    snap = store.snapshot(create_demo(store, lang))
    data = build(snap)
    pages = page_count(data)
    assert pages <= 2
    text = all_text(data)
    assert t("print.page", lang, n=1, of=pages) in text
    assert t("print.summary.more_comments", lang, n=2)[2:] not in text  # every comment printed
    meta = snap.meta
    for value in (meta.association, meta.title, meta.place, meta.facilitator,
                  *(g.name for g in meta.groups)):
        assert value in text
    assert ("12.3.2027" if lang == "fi" else "12 March 2027") in text
    for comment in snap.comments:
        assert normalise(comment.text) in text
    for action in snap.actions:
        assert normalise(action.what) in text and action.who in text and action.due in text
    report = build_report(snap)
    for tally in report.strengths + report.priorities:
        assert normalise(tally.practice.text(lang)) in text
    for area in snap.areas:
        assert f"{area.symbol} {area.title(lang)}" in text
        # words and numbers beside each bar
        area_total = report.area(area.id).total
        numbers = " · ".join(f"{lv.short(lang)} {area_total.counts[lv.id]}"
                             for lv in snap.deck.scale)
        assert numbers in text
    assert snap.deck.credit is not None and normalise(snap.deck.credit(lang)) in text


def test_language_follows_the_session_unless_asked(store: Store) -> None:
    snap = store.snapshot(create_demo(store, "en"))
    assert "Ratings by area" in all_text(build(snap))
    assert "Arviot osa-alueittain" in all_text(build(snap, lang="fi"))


def test_qr_round_trip_digest(store: Store, tmp_path: Path) -> None:
    snap = store.snapshot(create_demo(store))
    pdf = tmp_path / "summary.pdf"
    build_summary(build_report(snap), pdf)
    assert qr_of_first_page(pdf, tmp_path) == summary_digest(build_report(snap), "fi")
    assert t("print.summary.qr_digest", "fi") in all_text(pdf.read_bytes())


def test_qr_round_trip_link(store: Store, tmp_path: Path) -> None:
    snap = store.snapshot(create_demo(store))
    pdf = tmp_path / "summary.pdf"
    link = "https://example.org/tyopaja/2027-03-12?ryhmä=1&x=ä"
    build_summary(build_report(snap), pdf, link=link, lang="en")
    assert qr_of_first_page(pdf, tmp_path) == link
    text = all_text(pdf.read_bytes())
    assert t("print.summary.qr_link", "en") in text and link in text


def test_qr_round_trip_of_a_hostile_session(store: Store, deck: Deck, tmp_path: Path) -> None:
    snap = store.snapshot(hostile_session(store, deck))
    pdf = tmp_path / "summary.pdf"
    build_summary(build_report(snap), pdf)
    digest = summary_digest(build_report(snap), "fi")
    assert len(digest.encode()) <= 350
    assert qr_of_first_page(pdf, tmp_path) == digest


def test_hostile_session_prints_everything(store: Store, deck: Deck) -> None:
    snap = store.snapshot(hostile_session(store, deck))
    stream = io.BytesIO()
    result = build_summary(build_report(snap), stream, invariant=True,
                           options=SummaryOptions(comments="all"))
    data = stream.getvalue()
    assert result.pages > 2
    assert_fonts_embedded_not_standard(data)
    text = content_text(data, snap, "fi")

    expected_missing = 0
    for comment in snap.comments:
        if comment.text in (LONG_COMMENT, LONG_WORD):
            continue
        printable = Printable()
        shown = normalise(printable.text(comment.text))  # comments print as `Lines` runs
        expected_missing += printable.missing
        assert shown in text, shown  # right-to-left too: it is set so that it reads back
    # Every emoji of the fixtures is in the fallback symbol font: no placeholder anywhere.
    assert result.missing == expected_missing == 0
    assert "\ufffd" not in text
    assert text.count("#") >= 300
    for n in range(300):
        assert f"#{n:03d}:" in text
    # Markup typed by users prints literally.
    assert "<b>x</b> & <i>y</i> <font size=40>big</font> &amp; </para> <br/>" in text
    assert "Жизнь прекрасна" in text and "Õunad, äädikas, öökull, üllatus" in text
    # The 6,000-character comment: every word, in order, across columns and pages.
    positions = [text.find(f"sana{i:03d} ") for i in range(len(LONG_COMMENT.split()) // 4)]
    assert -1 not in positions and positions == sorted(positions)
    assert LONG_COMMENT.split()[-1] in text
    # The 3,000-letter word wraps (broken between lines) instead of running off the page.
    assert re.sub(r"\s", "", text).count("x" * 3000) == 1
    for action in snap.actions:
        assert normalise(action.what) in text
    assert text.count("Kuka & <i>") == 40
    for i in range(len(HOSTILE)):
        assert stored(HOSTILE[i])  # the fixture itself is intact


def test_every_page_is_numbered_page_of_pages(store: Store, deck: Deck) -> None:
    snap = store.snapshot(hostile_session(store, deck))
    pages = page_texts(build(snap, options=SummaryOptions(comments="all")))
    assert len(pages) > 2
    for number, raw in enumerate(pages, start=1):
        assert t("print.page", "fi", n=number, of=len(pages)) in normalise(raw)


def test_a_session_with_nothing_recorded_still_prints(store: Store, deck: Deck) -> None:
    session = store.create_session(deck, association="Tyhjä ry", date="2027-05-01")
    text = all_text(build(store.snapshot(session)))
    for key in ("print.summary.no_strengths", "print.summary.no_priorities",
                "print.summary.no_actions", "print.summary.no_comments",
                "print.summary.no_ratings"):
        assert t(key, "fi") in text


def test_fonts_are_embedded_and_never_helvetica(store: Store) -> None:
    snap = store.snapshot(create_demo(store))
    assert_fonts_embedded_not_standard(build(snap))
    assert_fonts_embedded_not_standard(build(snap, link="https://example.org/"))


def test_invariant_builds_are_repeatable(store: Store, tmp_path: Path) -> None:
    snap = store.snapshot(create_demo(store))
    assert build(snap) == build(snap)
    build_summary(build_report(snap), tmp_path / "a.pdf", invariant=True)
    assert (tmp_path / "a.pdf").read_bytes() == build(snap)


@pytest.mark.parametrize("link", ["", "two words", "line\nbreak", "https://x.org/" + "a" * 3000])
def test_bad_links_are_kit_errors_and_write_nothing(store: Store, tmp_path: Path,
                                                    link: str) -> None:
    snap = store.snapshot(create_demo(store))
    with pytest.raises(KitError):
        build_summary(build_report(snap), tmp_path / "x.pdf", link=link)
    assert not (tmp_path / "x.pdf").exists()


def test_cli_summary(store: Store, deck: Deck, tmp_path: Path,
                     monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    create_demo(store, "en")
    monkeypatch.chdir(tmp_path)
    assert main(["summary", "latest"]) == 0
    out = capsys.readouterr()
    target = tmp_path / "summary-2027-03-12.pdf"  # the session's language: English
    assert str(target) in out.out and out.err == ""
    assert page_count(target.read_bytes()) <= 2
    assert main(["summary", "latest", "--lang", "fi", "-o", "oma.pdf"]) == 0
    assert "Arviot osa-alueittain" in all_text((tmp_path / "oma.pdf").read_bytes())
    assert main(["summary", "latest", "--link", "bad link"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert main(["summary", "no-such-session"]) == 2


def test_cli_warns_once_about_missing_glyphs(store: Store, deck: Deck, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    session = hostile_session(store, deck)
    # A character no shipped font has (the fixtures' emoji are all in the fallback font).
    store.session(session).add_comment("DNA \U0001f9ec ja \U0001fa90", "idea")
    monkeypatch.chdir(tmp_path)
    assert main(["summary", "latest", "--comments", "all"]) == 0  # the emoji comments too
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    count = int(re.search(r"(\d+) merkkiä", err[0]).group(1))  # type: ignore[union-attr]
    assert count > 0 and "\ufffd" in err[0]
