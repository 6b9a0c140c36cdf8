"""Comment counts and lists are kept between entries, and still agree with a recount.

A key press must not cost more as the log grows (issue 5: flat latency from 1k to 100k
entries), so a snapshot reuses the comment views until a comment or action item changes.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kit.deck import Deck
from kit.session import Snapshot, _UndoStack
from kit.store import Store


def recount(snapshot: Snapshot, practice_id: str, group_id: int | None) -> int:
    return sum(1 for c in snapshot.comments if c.practice_id == practice_id
               and (group_id is None or c.group_id == group_id))


def test_counts_follow_add_edit_remove_and_undo(store: Store, deck: Deck) -> None:
    session = store.create_session(deck, association="Kylä ry", date="2027-03-12",
                                   groups=["A", "B"])
    first, second = [p.id for p in deck.area("osallisuus").practices][:2]
    store.session(session).add_comment("yksi", "idea", practice_id=first, group_id=1)
    store.session(session).add_comment("kaksi", "concern", practice_id=first, group_id=2)
    store.session(session).add_comment("ilman ryhmää", "strength", practice_id=first)
    gone = store.session(session).add_comment("pois", "idea", practice_id=second, group_id=1)
    store.session(session).remove_comment(gone.id)
    moved = store.session(session).add_comment("siirtyy", "idea", practice_id=second, group_id=2)
    store.session(session).edit_comment(moved.id, "siirtyi", "idea", practice_id=first, group_id=2)
    store.session(session).add_comment("kumotaan", "idea", practice_id=second, group_id=1)
    store.session(session).undo()
    snapshot = store.snapshot(session)
    expected = {(first, None): 4, (first, 1): 1, (first, 2): 2, (second, None): 0,
                (second, 1): 0, (second, 2): 0}
    for (practice, group), count in expected.items():
        assert snapshot.tally(practice, group).comments == count
        assert recount(snapshot, practice, group) == count


def test_a_vote_does_not_rebuild_the_comment_views(store: Store, deck: Deck) -> None:
    session = store.create_session(deck, association="Kylä ry", date="2027-03-12",
                                   groups=["A"])
    practice = deck.area("osallisuus").practices[0].id
    store.session(session).add_comment("hyvä", "idea", practice_id=practice, group_id=1)
    before = store.snapshot(session)
    store.session(session).record_rating(1, practice, "hyvin", 3)
    store.session(session).record_dots(1, practice, 1)
    after = store.snapshot(session)
    assert after.comments is before.comments  # reused, not rebuilt from the log
    assert after.comment_counts is before.comment_counts
    assert after.tally(practice).levels["hyvin"] == 3
    store.session(session).add_comment("toinen", "idea", practice_id=practice, group_id=1)
    changed = store.snapshot(session)
    assert changed.comments is not before.comments
    assert changed.tally(practice).comments == 2


def test_a_snapshot_made_by_hand_counts_its_own_comments(store: Store, deck: Deck) -> None:
    from dataclasses import replace

    session = store.create_session(deck, association="Kylä ry", date="2027-03-12",
                                   groups=["A"])
    practice = deck.area("osallisuus").practices[0].id
    store.session(session).add_comment("hyvä", "idea", practice_id=practice, group_id=1)
    plain = replace(store.snapshot(session), comment_counts=None)
    assert plain.tally(practice).comments == 1
    assert plain.tally(practice, 1).comments == 1


# The undo stack packs votes into machine integers: what comes back must be what went in.

VOTES = st.one_of(
    st.builds(lambda g, p, lv, d: ("rating", {"group": g, "practice": p, "level": lv,
                                              "delta": d}),
              st.one_of(st.integers(0, 20), st.integers(0, 300), st.booleans(),
                        st.just(1.0)),
              st.text(max_size=8),
              st.sampled_from(["hyvin", "osittain", "huonosti", "eos", ""]),
              st.one_of(st.integers(-3, 3), st.integers(-40_000, 40_000))),
    st.builds(lambda g, p, d: ("dots", {"group": g, "practice": p, "delta": d}),
              st.one_of(st.integers(0, 20), st.integers(-5, 300)), st.text(max_size=8),
              st.one_of(st.integers(-3, 3), st.integers(-40_000, 40_000))),
    st.builds(lambda k: (k, {"text": "pitkä teksti", "tag": "idea"}),
              st.sampled_from(["comment", "action"])),
    st.builds(lambda k, t: (k, {"target": t, "text": "muokattu"}),
              st.sampled_from(["comment_edit", "comment_remove", "action_edit",
                               "action_remove"]), st.integers(1, 10**6)),
)


def expected(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind in ("comment", "action"):
        return {}
    if kind in ("rating", "dots"):
        return data
    return {"target": data["target"]}


@given(st.lists(VOTES, max_size=60), st.data())
@settings(max_examples=200, deadline=None)
def test_the_undo_stack_gives_back_what_it_was_given(
        pushes: list[tuple[str, dict[str, Any]]], data: st.DataObject) -> None:
    stack = _UndoStack()
    model: list[tuple[int, str, dict[str, Any]]] = []
    for n, (kind, fields) in enumerate(pushes, start=1):
        stack.push(n * 7, kind, fields)
        model.append((n * 7, kind, expected(kind, fields)))
        if data.draw(st.booleans(), label="pop now"):
            stack.pop()
            model.pop()
        last = stack.last()
        if model:
            assert last is not None
            assert (last.id, last.kind, dict(last.data)) == model[-1]
            assert type(last.data.get("group", 0)) is type(model[-1][2].get("group", 0))
        else:
            assert last is None and not stack
    while model:
        last = stack.last()
        assert last is not None and (last.id, last.kind, dict(last.data)) == model.pop()
        stack.pop()
    assert stack.last() is None


def test_shared_votes_keep_their_types() -> None:
    """True == 1 and 1.0 == 1, so a vote is only shared with one of the very same types."""
    stack = _UndoStack()
    vote = {"group": 1, "practice": "os-1", "level": "hyvin", "delta": 1}
    stack.push(1, "rating", vote)
    for n, odd in enumerate(({**vote, "group": True}, {**vote, "delta": 1.0},
                             {**vote, "delta": True}), start=2):
        stack.push(n, "rating", odd)
        last = stack.last()
        assert last is not None and dict(last.data) == odd
        assert [type(v) for v in last.data.values()] == [type(v) for v in odd.values()]
    stack.push(9, "rating", dict(vote))
    assert stack._items[-1] is stack._items[0]  # the same vote again: shared, not copied
