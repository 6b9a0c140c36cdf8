"""Entry kinds in one place: `kit.entries.KINDS` is the only list of them, each kind has all its
parts, and a kind registered there alone can be recorded, folded, undone, reopened and
exported without any other module knowing about it."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from kit import session as session_module
from kit.deck import Deck
from kit.entries import KINDS
from kit.entries.base import Entry, EntryKind, _keys, _Versions
from kit.errors import KitError
from kit.exports import jsonfile
from kit.session import UNDOABLE, SessionState, _UndoStack
from kit.store import Store
from kit.view import describe

KIT = Path(__file__).resolve().parents[1] / "kit"


# --- a log with every kind in it -------------------------------------------------------------


def _every_kind(store: Store, deck: Deck) -> tuple[str, list[Entry]]:
    """A session whose log holds at least one entry of every kind, in a plausible order."""
    from kit.session import TimerState

    session = store.create_session(deck, association="Kylä ry", date="2027-03-12",
                                   groups=["A", "B"])
    area = deck.areas[0]
    practice = area.practices[0].id
    store.session(session).record_rating(1, practice, deck.scale[0].id, 3)
    store.session(session).record_dots(2, practice, 2)
    comment = store.session(session).add_comment("hyvä", "idea", practice_id=practice, group_id=1)
    store.session(session).edit_comment(comment.id, "parempi", "strength", practice_id=practice,
                       group_id=1)
    store.session(session).remove_comment(comment.id)
    action = store.session(session).add_action("tee", "Hallitus", "kevät", practice)
    store.session(session).edit_action(action.id, "tee se", "Hallitus", "syksy", practice)
    store.session(session).remove_action(action.id)
    store.session(session).undo()
    store.session(session).record_step("area", area.id, 1)
    store.session(session).record_timer(TimerState(area.id, 60_000, True, 1_800_000_000.0))
    store.session(session).record("origins", {"sessions": [  # a merged session's (kit.merge)
        {"id": "20270312-a3b185", "created": "2027-03-12T09:58:01.123Z"}]})
    entries = store.entries(session)
    assert {e.kind for e in entries} == set(KINDS)  # the fixture keeps up with the table
    return session, entries


# --- every kind has its parts ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_has_all_its_parts(name: str) -> None:
    kind = KINDS[name]
    assert isinstance(kind, EntryKind) and kind.name == name
    assert callable(kind.check) and callable(kind.apply) and callable(kind.describe)
    assert isinstance(kind.leaves_views, bool)
    if name in UNDOABLE:
        assert callable(kind.undo) and callable(kind.pack) and callable(kind.unpack)
    else:
        assert kind.undo is None and kind.pack is None and kind.unpack is None


def test_a_kind_is_undoable_with_all_three_parts_or_none() -> None:
    rating = KINDS["rating"]
    with pytest.raises(ValueError):
        EntryKind("half", rating.check, rating.apply, rating.describe, undo=rating.undo)


def test_undoable_is_what_the_table_says() -> None:
    assert {name for name, kind in KINDS.items() if kind.undoable} == UNDOABLE
    assert {"rating", "dots", "comment", "comment_edit", "comment_remove",
                        "action", "action_edit", "action_remove"} == UNDOABLE  # as before the table
    assert not KINDS["undo"].leaves_views  # undo may take a comment or an action back
    assert {n for n, k in KINDS.items() if k.leaves_views} == {"rating", "dots", "step",
                                                              "timer", "origins"}


def _compared_kind_names(path: Path) -> list[tuple[int, str]]:
    """Kind names a module compares with (`kind == "rating"`, `kind in ("a", "b")`) or lists
    in a set or tuple of two or more: the dispatch the table replaces."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        values: list[ast.expr] = []
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                values.extend(side.elts if isinstance(side, ast.Tuple | ast.Set | ast.List)
                              else [side])
        elif isinstance(node, ast.Set | ast.Tuple) and len(node.elts) > 1:
            names = [e for e in node.elts
                     if isinstance(e, ast.Constant) and e.value in KINDS]
            if len(names) > 1:
                values.extend(names)
        found += [(v.lineno, v.value) for v in values
                  if isinstance(v, ast.Constant) and v.value in KINDS]
    return found


@pytest.mark.parametrize("module", ["session.py", "view.py"])
def test_the_table_is_the_only_list_of_kinds(module: str) -> None:
    assert _compared_kind_names(KIT / module) == []
    assert not hasattr(session_module, "_LEAVES_VIEWS")


# --- the undo stack --------------------------------------------------------------------------


def test_every_undoable_kind_round_trips_through_the_undo_stack(store: Store,
                                                                deck: Deck) -> None:
    _, entries = _every_kind(store, deck)
    stack = _UndoStack()
    pushed = []
    for entry in entries:
        kind = KINDS[entry.kind]
        if not kind.undoable:
            continue
        assert kind.pack is not None and kind.unpack is not None
        packed = kind.pack(entry.data)
        assert isinstance(packed, tuple)
        unpacked = kind.unpack(packed)
        assert kind.pack(unpacked) == packed
        # What comes back is the entry's own data, restricted to what undo needs.
        assert {k: entry.data[k] for k in unpacked} == unpacked
        stack.push(entry.id, entry.kind, entry.data)
        pushed.append((entry.id, entry.kind, unpacked))
        last = stack.last()
        assert last is not None and (last.id, last.kind, dict(last.data)) == pushed[-1]
    assert {kind for _, kind, _ in pushed} == UNDOABLE
    for expected in reversed(pushed):
        last = stack.last()
        assert last is not None and (last.id, last.kind, dict(last.data)) == expected
        stack.pop()
    assert stack.last() is None and not stack


def test_votes_come_back_with_all_their_fields() -> None:
    vote = {"group": 2, "practice": "os-1", "level": "hyvin", "delta": -3}
    assert KINDS["rating"].unpack(KINDS["rating"].pack(vote)) == vote  # type: ignore[misc]
    dots = {"group": 2, "practice": "os-1", "delta": 4}
    assert KINDS["dots"].unpack(KINDS["dots"].pack(dots)) == dots  # type: ignore[misc]


@pytest.mark.parametrize("name", sorted(UNDOABLE))
def test_true_and_1_are_not_mixed_up(name: str) -> None:
    kind = KINDS[name]
    assert kind.pack is not None
    sample = {"group": 1, "practice": "os-1", "level": "hyvin", "delta": 1, "target": 1,
              "text": "x", "tag": "idea"}
    packed = kind.pack(sample)
    odd = {k: (True if v == 1 and type(v) is int else v) for k, v in sample.items()}
    stack = _UndoStack()
    for data in (sample, odd, sample, odd):
        stack.push(1, name, data)
        last = stack.last()
        assert last is not None
        expected = kind.unpack(kind.pack(data))  # type: ignore[misc]
        assert [(k, type(v)) for k, v in last.data.items()] == [
            (k, type(v)) for k, v in expected.items()]
    if packed and all(type(p) in (int, str) for p in packed):
        assert stack._items[0] is stack._items[2]  # the very same again: shared


# --- apply, check, describe through the table ------------------------------------------------


def test_every_kind_is_described(store: Store, deck: Deck) -> None:
    session, entries = _every_kind(store, deck)
    snapshot = store.snapshot(session)
    for entry in entries:
        for lang in ("fi", "en"):
            words = describe(snapshot, entry, lang)
            assert isinstance(words, str) and words
            assert words == KINDS[entry.kind].describe(snapshot, entry.data, lang)
    rating = next(e for e in entries if e.kind == "rating")
    assert deck.practice(rating.data["practice"]).card_id in describe(snapshot, rating, "fi")
    assert "+3" in describe(snapshot, rating, "en")
    assert describe(snapshot, Entry(99, "from_a_newer_kit", "", {}), "fi") == "from_a_newer_kit"


def test_a_fresh_fold_equals_the_running_one(store: Store, deck: Deck) -> None:
    session, _ = _every_kind(store, deck)
    running = store.snapshot(session)
    with Store(store.data_dir) as reopened:
        assert reopened.snapshot(session) == running


def test_unknown_kinds_are_refused_and_a_newer_kits_rows_ignored(store: Store,
                                                                  deck: Deck) -> None:
    session = store.create_session(deck, groups=["A"])
    state = store.state(session)
    with pytest.raises(KitError):
        state.check("from_a_newer_kit", {})
    with pytest.raises(KitError):
        state.check("rating", ["not", "a", "mapping"])
    before = state.snapshot()
    state.apply_row(state.last_id + 1, "from_a_newer_kit", {"whatever": 1})
    after = state.snapshot()
    assert after.entry_count == before.entry_count + 1
    assert (after.ratings, after.dots, after.comments, after.can_undo) == (
        before.ratings, before.dots, before.comments, before.can_undo)


# --- a kind added in one place ---------------------------------------------------------------


def _bonus(state: SessionState) -> Counter[str]:
    bonus = state.__dict__.get("bonus")
    if bonus is None:
        bonus = state.__dict__["bonus"] = Counter()
    return bonus


def _check_bonus(state: SessionState, data: Mapping[str, Any]) -> dict[str, Any]:
    _keys("bonus", data, {"practice", "points"})
    practice = state.practice_in_session(data["practice"]).id
    points = data["points"]
    if type(points) is not int or not 0 < points <= 5:
        raise KitError("input.bad_number", value=points)
    return {"practice": practice, "points": points}


def _apply_bonus(state: SessionState, entry_id: int, data: Mapping[str, Any]) -> None:
    _bonus(state)[data["practice"]] += data["points"]


def _undo_bonus(state: SessionState, target: Entry) -> None:
    _bonus(state)[target.data["practice"]] -= target.data["points"]


BONUS = EntryKind(
    "bonus", _check_bonus, _apply_bonus,
    lambda snapshot, data, lang: f"bonus {data['points']:+d}",
    undo=_undo_bonus,
    pack=lambda data: (data["practice"], data["points"]),
    unpack=lambda item: {"practice": item[0], "points": item[1]},
    leaves_views=True,
)


def test_a_kind_registered_in_the_table_alone_is_recorded_applied_and_undone(
        monkeypatch: pytest.MonkeyPatch, store: Store, deck: Deck) -> None:
    session = store.create_session(deck, groups=["A"])
    practice = deck.areas[0].practices[0].id
    store.session(session).record_rating(1, practice, deck.scale[0].id, 2)
    state = store.state(session)  # made before the kind is registered: it must still fold it
    monkeypatch.setitem(KINDS, "bonus", BONUS)

    with pytest.raises(KitError):
        store.session(session).record("bonus", {"practice": practice, "points": 9})
    with pytest.raises(KitError):
        store.session(session).record("bonus", {"practice": "no-such", "points": 1})
    entry = store.session(session).record("bonus", {"practice": practice, "points": 3})
    assert _bonus(state)[practice] == 3
    assert state.last_undoable() == Entry(entry.id, "bonus", "", entry.data)
    assert describe(store.snapshot(session), entry, "fi") == "bonus +3"

    undone = store.session(session).undo()
    assert undone is not None and undone.data == {"target": entry.id}
    assert _bonus(state)[practice] == 0
    last = state.last_undoable()
    assert last is not None and last.kind == "rating"  # the vote before it is next
    store.session(session).undo()
    assert state.snapshot().ratings == {}

    store.session(session).record("bonus", {"practice": practice, "points": 2})
    store.session(session).record("bonus", {"practice": practice, "points": 2})
    assert _bonus(state)[practice] == 4
    # Opening the session again folds the log through the table.
    store._states.clear()
    reopened = store.state(session)
    assert reopened is not state and _bonus(reopened)[practice] == 4
    last = reopened.last_undoable()
    assert last is not None and last.kind == "bonus" and last.data == {"practice": practice,
                                                                       "points": 2}
    # The two equal bonuses share one item on the undo stack, as votes do.
    assert reopened.undoable._items[-1] is reopened.undoable._items[-2]

    # The JSON export writes it like any other entry, and importing it checks and folds it.
    text = jsonfile.dumps(store.snapshot(session), store.entries(session))
    meta, copied_deck, entries, ballots = jsonfile.loads(text)
    copy = store.import_session(meta, copied_deck, entries, ballots)
    assert _bonus(store.state(copy))[practice] == 4
    assert store.session(copy).undo() is not None and _bonus(store.state(copy))[practice] == 2


def test_a_kind_without_undo_is_never_on_the_stack(monkeypatch: pytest.MonkeyPatch,
                                                   store: Store, deck: Deck) -> None:
    session = store.create_session(deck, groups=["A"])
    practice = deck.areas[0].practices[0].id
    monkeypatch.setitem(KINDS, "note", EntryKind(
        "note", _check_bonus, _apply_bonus, lambda s, d, lang: "note"))
    store.session(session).record("note", {"practice": practice, "points": 1})
    state = store.state(session)
    assert _bonus(state)[practice] == 1 and state.last_undoable() is None
    assert store.session(session).undo() is None


def test_versions_live_in_the_shared_module() -> None:
    # kit.session re-exports what moved, so old imports keep working.
    from kit.session import ActionItem, Comment, Step, TimerState, require_text

    assert session_module._Versions is _Versions
    assert all(x.__module__ == "kit.entries.base"
               for x in (ActionItem, Comment, Step, TimerState, require_text))
