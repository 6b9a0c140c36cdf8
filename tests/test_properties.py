"""Property tests: tallies equal a plain recount, undo restores, export/import round-trips."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.deck import load_deck
from kit.errors import KitError
from kit.exports import jsonfile
from kit.store import Store

DECK = load_deck()
PRACTICES = [p.id for p in DECK.practices()]
LEVELS = [lv.id for lv in DECK.scale]
GROUPS = [1, 2, 3]

rating = st.tuples(st.just("rating"), st.sampled_from(GROUPS), st.sampled_from(PRACTICES),
                   st.sampled_from(LEVELS), st.integers(-3, 12).filter(bool))
dots = st.tuples(st.just("dots"), st.sampled_from(GROUPS), st.sampled_from(PRACTICES),
                 st.integers(-2, 9).filter(bool))
undo = st.tuples(st.just("undo"))
operations = st.lists(st.one_of(rating, dots, undo), max_size=40)

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _store() -> tuple[Store, str, tempfile.TemporaryDirectory[str]]:
    folder = tempfile.TemporaryDirectory()
    store = Store(Path(folder.name))
    session = store.create_session(DECK, groups=["A", "B", "C"])
    return store, session, folder


def _apply(store: Store, session: str, op: tuple[Any, ...]) -> bool:
    """Record one operation; False when the store refused it (e.g. below zero)."""
    try:
        if op[0] == "rating":
            store.session(session).record_rating(*op[1:])
        elif op[0] == "dots":
            store.session(session).record_dots(*op[1:])
        else:
            return store.session(session).undo() is not None
    except KitError:
        return False
    return True


@SETTINGS
@given(operations)
def test_tallies_equal_a_recount(ops: list[tuple[Any, ...]]) -> None:
    store, session, folder = _store()
    with folder, store:
        applied: list[tuple[Any, ...]] = []  # the model: a stack of what counts
        for op in ops:
            if _apply(store, session, op):
                if op[0] == "undo":
                    applied.pop()
                else:
                    applied.append(op)
        ratings: Counter[tuple[int, str, str]] = Counter()
        dot_count: Counter[tuple[int, str]] = Counter()
        for op in applied:
            if op[0] == "rating":
                ratings[(op[1], op[2], op[3])] += op[4]
            else:
                dot_count[(op[1], op[2])] += op[3]
        expected_ratings = {k: v for k, v in ratings.items() if v}
        expected_dots = {k: v for k, v in dot_count.items() if v}
        snap = store.snapshot(session)
        assert dict(snap.ratings) == expected_ratings
        assert dict(snap.dots) == expected_dots
        assert all(v > 0 for v in snap.ratings.values())
        for practice in PRACTICES[:5]:
            total = sum(v for (g, p, lv), v in expected_ratings.items() if p == practice)
            assert snap.tally(practice).answers == total
        with Store(store.data_dir) as fresh:  # replaying the log gives the same
            again = fresh.snapshot(session)
            assert dict(again.ratings) == expected_ratings
            assert dict(again.dots) == expected_dots


@SETTINGS
@given(operations, st.one_of(rating, dots))
def test_undo_restores_the_previous_tallies(ops: list[tuple[Any, ...]],
                                            last: tuple[Any, ...]) -> None:
    store, session, folder = _store()
    with folder, store:
        for op in ops:
            _apply(store, session, op)
        before = store.snapshot(session)
        if _apply(store, session, last):
            assert store.snapshot(session).ratings != before.ratings or (
                store.snapshot(session).dots != before.dots)
            store.session(session).undo()
        after = store.snapshot(session)
        assert (after.ratings, after.dots) == (before.ratings, before.dots)


texts = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60).filter(
    lambda s: s.strip() and not all(not c.isprintable() for c in s))
extra = st.lists(
    st.one_of(
        st.tuples(st.just("comment"), texts, st.sampled_from(["strength", "idea", "concern"]),
                  st.sampled_from([None, *PRACTICES[:6]]), st.sampled_from([None, 1, 2, 3])),
        st.tuples(st.just("action"), texts, texts, texts, st.sampled_from([None, *PRACTICES])),
        st.tuples(st.just("edit")), st.tuples(st.just("remove")),
        st.tuples(st.just("ballot"), st.dictionaries(
            st.sampled_from([p.id for p in DECK.areas[0].practices]), st.sampled_from(LEVELS)),
            st.integers(0, 3)),
        st.tuples(st.just("step"), st.sampled_from(["area", "summary"]),
                  st.sampled_from([a.id for a in DECK.areas])),
    ),
    max_size=15,
)


def _export(store: Store, session: str) -> dict[str, Any]:
    data = json.loads(jsonfile.dumps(store.snapshot(session), store.entries(session)))
    del data["session"]["id"]  # the only thing an import changes
    return data


@SETTINGS
@given(operations, extra)
def test_export_import_export_is_the_same(ops: list[tuple[Any, ...]],
                                          more: list[tuple[Any, ...]]) -> None:
    store, session, folder = _store()
    with folder, store:
        for op in ops:
            _apply(store, session, op)
        first_practice = DECK.areas[0].practices[0].id
        for op in more:
            snap = store.snapshot(session)
            try:
                if op[0] == "comment":
                    store.session(session).add_comment(
                        op[1], op[2], practice_id=op[3], group_id=op[4])
                elif op[0] == "action":
                    store.session(session).add_action(op[1], op[2], op[3], op[4])
                elif op[0] == "edit" and snap.comments:
                    c = snap.comments[-1]
                    store.session(session).edit_comment(c.id, c.text + " (muokattu)", "idea",
                                       practice_id=c.practice_id, group_id=c.group_id)
                elif op[0] == "remove" and snap.actions:
                    store.session(session).remove_action(snap.actions[0].id)
                elif op[0] == "ballot":
                    store.session(session).cast_ballot(DECK.areas[0].id, op[1],
                                      {first_practice: op[2]})
                elif op[0] == "step":
                    store.session(session).record_step(op[1], op[2] if op[1] == "area" else None)
            except KitError:
                pass
        exported = _export(store, session)
        raw = jsonfile.dumps(store.snapshot(session), store.entries(session))
        new_id = store.import_session(*jsonfile.loads(raw))
        assert new_id != session
        assert _export(store, new_id) == exported
        with Store(store.data_dir) as fresh:  # and from disk, not only from memory
            assert _export(fresh, new_id) == exported
            a, b = fresh.snapshot(session), fresh.snapshot(new_id)
            assert (a.ratings, a.dots, a.ballots) == (b.ratings, b.dots, b.ballots)
            assert [c.text for c in a.comments] == [c.text for c in b.comments]
