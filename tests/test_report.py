"""The one report: its rule on small cases, and every output agreeing with it.

Sessions are generated (hypothesis): ratings, dots, ballots, comments on practices, on areas
and on the whole workshop, action items, and areas taken out of the session after they were
commented on. Every comment and action item must reach the PDF, the Markdown, the CSV and the
JSON; strengths and priorities (ids and order) must be the same on the summary screen, in the
PDF, in the Markdown and in the QR digest.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from print_helpers import all_text, normalise

from kit.deck import load_deck
from kit.exports import csvfile, markdown
from kit.exports.digest import summary_digest
from kit.exports.files import data_text
from kit.exports.summary import build_summary
from kit.report import MIN_ANSWERS, Report, build_report
from kit.store import SessionHandle, Store

DECK = load_deck()
AREAS = [a.id for a in DECK.areas]
PRACTICES = [p.id for p in DECK.practices()]
LEVELS = [lv.id for lv in DECK.scale]
CARD = re.compile(r"\b[A-Z]{2}-\d+\b")
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))


def _new(folder: str, groups: int = 2) -> SessionHandle:
    store = Store(Path(folder))
    session_id = store.create_session(DECK, groups=[f"Ryhmä {n + 1}" for n in range(groups)])
    return store.session(session_id)


# --- the rule on small cases -----------------------------------------------------------------


def _rate(handle: SessionHandle, practice: str, level: str, n: int, group: int = 1) -> None:
    handle.record_rating(group, practice, level, n)


def test_one_rating_is_no_strength_and_six_are(tmp_path: Path) -> None:
    handle = _new(str(tmp_path))
    one, six = PRACTICES[0], PRACTICES[1]
    _rate(handle, one, LEVELS[0], 1)
    _rate(handle, six, LEVELS[0], 5)
    _rate(handle, six, LEVELS[1], 1)
    report = build_report(handle.snapshot)
    assert [r.practice.id for r in report.strengths] == [six]
    assert report.practice(one).strength is None
    assert (report.practice(six).top, report.practice(six).total.known) == (5, 6)


def test_dont_know_does_not_count_towards_the_minimum(tmp_path: Path) -> None:
    handle = _new(str(tmp_path))
    practice = PRACTICES[0]
    _rate(handle, practice, LEVELS[0], MIN_ANSWERS - 1)
    _rate(handle, practice, LEVELS[-1], 5)  # "don't know"
    assert build_report(handle.snapshot).strengths == ()
    _rate(handle, practice, LEVELS[0], 1)
    assert [r.practice.id for r in build_report(handle.snapshot).strengths] == [practice]


def test_half_is_not_a_majority(tmp_path: Path) -> None:
    handle = _new(str(tmp_path))
    _rate(handle, PRACTICES[0], LEVELS[0], 3)
    _rate(handle, PRACTICES[0], LEVELS[2], 3)
    assert build_report(handle.snapshot).strengths == ()


def test_a_tie_at_the_cut_shows_every_tied_practice(tmp_path: Path) -> None:
    handle = _new(str(tmp_path))
    for practice in PRACTICES[:5]:
        handle.record_dots(1, practice, 2)
    handle.record_dots(1, PRACTICES[5], 4)
    report = build_report(handle.snapshot)
    ids = [r.practice.id for r in report.priorities]
    assert ids == [PRACTICES[5], *PRACTICES[:5]]  # five tie for second: none dropped
    assert [r.priority for r in report.priorities] == [1, 2, 3, 4, 5, 6]


def test_strengths_rank_by_share_then_by_answers(tmp_path: Path) -> None:
    handle = _new(str(tmp_path))
    small, large, best = PRACTICES[:3]
    _rate(handle, small, LEVELS[0], 3)
    _rate(handle, small, LEVELS[1], 1)  # 3/4
    _rate(handle, large, LEVELS[0], 6)
    _rate(handle, large, LEVELS[1], 2)  # 6/8: the same share, more people
    _rate(handle, best, LEVELS[0], 4)  # 4/4
    report = build_report(handle.snapshot)
    assert [r.practice.id for r in report.strengths] == [best, large, small]


def test_highly_rated_and_much_dotted_is_marked_split_in_both(tmp_path: Path) -> None:
    handle = _new(str(tmp_path))
    practice = PRACTICES[0]
    _rate(handle, practice, LEVELS[0], 6)
    handle.record_dots(1, practice, 5)
    report = build_report(handle.snapshot)
    assert report.strengths[0].practice.id == report.priorities[0].practice.id == practice
    assert report.strengths[0].split and report.priorities[0].split
    md = markdown.dumps(report, "fi")
    assert md.count("mielipiteet jakautuvat") == 2
    # The digest names practices in words (no card ids), each split one marked.
    assert report.strengths[0].practice.text("en")[:20] in summary_digest(report, "en")
    assert summary_digest(report, "en").count("⇄") == 2
    assert "Toimii hyvin 6/6" in md and "(5 pistettä)" in md


def test_counts_are_shown_with_their_base_never_a_bare_percentage(tmp_path: Path) -> None:
    handle = _new(str(tmp_path))
    _rate(handle, PRACTICES[0], LEVELS[0], 5)
    _rate(handle, PRACTICES[0], LEVELS[2], 2)
    handle.record_dots(1, PRACTICES[1], 1)
    report = build_report(handle.snapshot)
    md = markdown.dumps(report, "fi")
    assert "Toimii hyvin 5/7" in md and "(1 piste)" in md and "%" not in md
    assert "Works well 5/7" in markdown.dumps(report, "en")


# --- generated sessions ----------------------------------------------------------------------

# What people type, in the letters the sheet's font has: markup, quotes, formula starts.
TEXT = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzåäöÅÄÖšžЖжЇї0123456789 .,;:!?&<>\"'"
                               "-+=@#*_()[]|€"), min_size=3, max_size=20)


@dataclass
class Made:
    report: Report
    handle: SessionHandle
    comments: list[str]
    actions: list[str]


ops = st.lists(st.one_of(
    st.tuples(st.just("rating"), st.sampled_from([1, 2]), st.sampled_from(PRACTICES),
              st.sampled_from(LEVELS), st.integers(1, 8)),
    st.tuples(st.just("dots"), st.sampled_from([1, 2]), st.sampled_from(PRACTICES),
              st.integers(1, 6)),
    st.tuples(st.just("comment"), st.sampled_from(["practice", "area", "none"]),
              st.sampled_from(PRACTICES), st.sampled_from(["strength", "idea", "concern"])),
    st.tuples(st.just("action"), st.sampled_from([None, *PRACTICES])),
    st.tuples(st.just("ballot"), st.sampled_from(AREAS)),
), min_size=1, max_size=25)


def _make(folder: str, operations: list[tuple[object, ...]], words: list[str],
          removed: list[str]) -> Made:
    handle = _new(folder)
    comments: list[str] = []
    actions: list[str] = []
    for n, op in enumerate(operations):
        word = f"{words[n % len(words)].strip() or 'x'} sana{n:02d}"
        kind = op[0]
        if kind == "rating":
            handle.record_rating(op[1], op[2], op[3], op[4])  # type: ignore[arg-type]
        elif kind == "dots":
            handle.record_dots(op[1], op[2], op[3])  # type: ignore[arg-type]
        elif kind == "comment":
            practice = DECK.practice(str(op[2]))
            where = {"practice": {"practice_id": practice.id},
                     "area": {"area_id": practice.area_id}, "none": {}}[str(op[1])]
            handle.add_comment(word, str(op[3]), **where)
            comments.append(handle.snapshot.comments[-1].text)
        elif kind == "action":
            handle.add_action(word, "Maija", "", op[1])  # type: ignore[arg-type]
            actions.append(handle.snapshot.actions[-1].what)
        else:
            area = DECK.area(str(op[1]))
            handle.cast_ballot(area.id, {p.id: LEVELS[n % len(LEVELS)] for p in area.practices},
                               {area.practices[0].id: 1})
    keep = [a for a in AREAS if a not in removed] or AREAS[:1]
    handle.update(area_ids=keep)
    return Made(build_report(handle.snapshot), handle, comments, actions)


generated = st.tuples(ops, st.lists(TEXT, min_size=1, max_size=5),
                      st.lists(st.sampled_from(AREAS), max_size=2, unique=True))
# A rich case every run: a split practice, ties, ballots, comments on a removed area.
RICH = ([("rating", 1, PRACTICES[0], LEVELS[0], 6), ("dots", 1, PRACTICES[0], 5),
         ("rating", 2, PRACTICES[5], LEVELS[0], 3), ("rating", 2, PRACTICES[5], LEVELS[1], 1),
         ("rating", 1, PRACTICES[9], LEVELS[0], 4), ("rating", 1, PRACTICES[30], LEVELS[0], 4),
         *(("dots", 2, p, 2) for p in PRACTICES[10:14]), ("dots", 1, PRACTICES[20], 3),
         ("comment", "practice", PRACTICES[30], "idea"), ("comment", "area", PRACTICES[0],
                                                            "concern"),
         ("comment", "none", PRACTICES[0], "strength"), ("action", PRACTICES[30]),
         ("action", None), ("ballot", AREAS[1])],
        ["<b>lihava</b> & \"lainaus\"", "=SUMMA(A1)", "Ёлка ja äiti"], [AREAS[3]])


def _pdf(report: Report) -> str:
    import io

    out = io.BytesIO()
    build_summary(report, out, invariant=True)
    return all_text(out.getvalue())


@SLOW
@given(generated)
@example(RICH)
def test_every_comment_and_action_reaches_every_output(case: tuple) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as folder:
        made = _make(folder, *case)
        snapshot = made.handle.snapshot
        pdf = _pdf(made.report)
        md = markdown.dumps(made.report, "fi")
        csv_text = csvfile.dumps(made.report, "fi")
        data = json.loads(data_text(snapshot, made.handle.entries(), "json", "fi"))
        in_json = {e["data"].get("text") or e["data"].get("what") for e in data["entries"]}
        for text in made.comments + made.actions:
            assert normalise(text) in pdf
            assert markdown.escape(text) in md
            assert text.replace('"', '""') in csv_text  # a quote inside a cell is doubled
            assert text in in_json
        listed = (sum(len(a.comments) for a in made.report.areas)
                  + len(made.report.general_comments) + len(made.report.removed_comments))
        assert listed == len(made.report.comments) == len(made.comments)
        made.handle.store.close()


def _between(text: str, start: str, end: str | None) -> list[str]:
    if start not in text:
        return []
    part = text.split(start, 1)[1]
    if end is not None:
        part = part.split(end, 1)[0]
    return CARD.findall(part)


def _digest_items(digest: str, heading: str) -> list[str]:
    """The practices a digest section lists, in order (in words: "- text", a line each)."""
    lines = digest.split("\n")
    if heading not in lines:
        return []
    out = []
    for line in lines[lines.index(heading) + 1:]:
        if not line.startswith("- "):
            break
        out.append(line[2:].removesuffix(" ⇄"))
    return out


def _screen_lists(made: Made) -> tuple[list[str], list[str]]:
    from kit.app import WorkshopApp
    from kit.screens.summary import SummaryScreen

    store = made.handle.store
    made.handle.record_step("summary")

    async def run() -> str:
        app = WorkshopApp(store=store, session_id=made.handle.id, lang="fi")
        async with app.run_test(size=(120, 50)) as pilot:
            for _ in range(50):
                await pilot.pause(0.02)
                if isinstance(app.screen, SummaryScreen):
                    break
            await pilot.pause()
            return str(app.screen.query_one("#results-text").render())

    text = asyncio.run(run())
    rule = text.index("Vahvuus: vähintään")
    return (_between(text[:rule], "VAHVUUDET", "KEHITTÄMISKOHTEET"),
            _between(text[:rule], "KEHITTÄMISKOHTEET", None))


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(generated)
@example(RICH)
def test_strengths_and_priorities_agree_everywhere(case: tuple) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as folder:
        made = _make(folder, *case)
        report = made.report
        strengths = [r.practice.card_id for r in report.strengths]
        priorities = [r.practice.card_id for r in report.priorities]

        md = markdown.dumps(report, "fi")
        assert _between(md, "## Vahvuudet", "## Kehittämiskohteet") == strengths
        assert _between(md, "## Kehittämiskohteet", "Vahvuus: vähintään") == priorities

        digest = summary_digest(report, "fi", max_bytes=4000)  # roomy: nothing shortened
        assert _digest_items(digest, "Vahvuudet:") == [
            r.practice.text("fi") for r in report.strengths]
        assert _digest_items(digest, "Kehittämiskohteet:") == [
            r.practice.text("fi") for r in report.priorities]

        pdf = _pdf(report)
        head = pdf.split("Sovitut toimenpiteet", 1)[0]  # the rule stands under the strengths
        assert _between(head, "Vahvuudet", "Vahvuus: vähintään") == strengths
        assert _between(head, "Kehittämiskohteet", None) == priorities

        assert _screen_lists(made) == (strengths, priorities)
        made.handle.store.close()
