"""The session store: durable entries, private files, validation before writing, undo."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kit.errors import KitError
from kit.report import build_report
from kit.session import TimerState
from kit.store import DB_NAME, SCHEMA_VERSION, Store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_private_and_wal(store: Store, deck, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck, association="Testiyhdistys ry")
    store.session(session).record_rating(1, "os-kuunteleminen", "hyvin", 2)
    assert _mode(data_dir) == 0o700
    files = [p for p in data_dir.iterdir() if p.name.startswith(DB_NAME)]
    assert {p.name for p in files} >= {DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"}
    for path in files:
        assert _mode(path) == 0o600, path
    db = sqlite3.connect(data_dir / DB_NAME)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_entry_is_committed_when_the_call_returns(store: Store, deck, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck)
    entry = store.session(session).record_dots(1, "ar-luottamus", 3)
    other = sqlite3.connect(data_dir / DB_NAME)  # another connection sees it: it is committed
    row = other.execute("SELECT kind, data FROM entries WHERE id = ?", (entry.id,)).fetchone()
    assert row[0] == "dots" and '"delta":3' in row[1]
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_tallies_groups_ballots_and_comments(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck, groups=["Ryhmä A", "Ryhmä B"])
    store.session(session).record_rating(1, "os-kuunteleminen", "hyvin", 7)
    store.session(session).record_rating(2, "os-kuunteleminen", "hyvin", 2)
    store.session(session).record_rating(2, "os-kuunteleminen", "en-tieda", 4)
    store.session(session).record_rating(2, "os-kuunteleminen", "kehitettava", 1)
    store.session(session).record_dots(1, "os-kuunteleminen", 5)
    store.session(session).cast_ballot("osallisuus", {"os-kuunteleminen": "osittain"},
                      {"os-kuunteleminen": 2, "os-rohkaiseminen": 1})
    store.session(session).add_comment(
        "Hyvä!", "strength", practice_id="os-kuunteleminen", group_id=2)
    snap = store.snapshot(session)
    tally = snap.tally("os-kuunteleminen")
    assert tally.levels == {"hyvin": 9, "osittain": 1, "kehitettava": 1, "en-tieda": 4}
    assert tally.dots == 7 and tally.comments == 1
    assert snap.tally("os-kuunteleminen", 2).levels == {
        "hyvin": 2, "osittain": 0, "kehitettava": 1, "en-tieda": 4}
    assert snap.tally("os-kuunteleminen", 1).comments == 0
    assert snap.ballot_totals("osallisuus").ratings[("os-kuunteleminen", "osittain")] == 1
    assert snap.ballot_totals("osallisuus").ballots == 1
    result = build_report(snap).practice("os-kuunteleminen")
    assert result.ballots.counts["osittain"] == 1 and result.ballot_dots == 2
    # "don't know" is left out of the base: 9 of 11 known answers
    assert (result.top, result.total.known, result.total.answers) == (9, 11, 15)
    assert sum(r.dots for r in build_report(snap).area("osallisuus").practices) == 8


def test_strengths_and_priorities_break_ties_by_deck_order(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck)
    # The same share (3/3) for OS-4 and OS-2: deck order puts OS-2 first. OS-1 has 2/3.
    store.session(session).record_rating(1, "os-rohkaiseminen", "hyvin", 3)
    store.session(session).record_rating(1, "os-kuunteleminen", "hyvin", 3)
    store.session(session).record_rating(1, "os-yhteisollisuus", "hyvin", 2)
    store.session(session).record_rating(1, "os-yhteisollisuus", "osittain", 1)
    store.session(session).record_rating(1, "os-yhteisollisuus", "en-tieda", 5)
    store.session(session).record_dots(1, "os-rohkaiseminen", 2)
    store.session(session).record_dots(1, "os-kuunteleminen", 2)
    store.session(session).record_dots(1, "yt-verkostoituminen", 3)
    report = build_report(store.snapshot(session))
    assert [r.practice.id for r in report.strengths] == [
        "os-kuunteleminen", "os-rohkaiseminen", "os-yhteisollisuus"]
    assert [r.practice.id for r in report.priorities] == [
        "yt-verkostoituminen", "os-kuunteleminen", "os-rohkaiseminen"]


def test_bad_input_is_refused_before_anything_is_written(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck, area_ids=["osallisuus", "arvot"])
    store.session(session).record_rating(1, "os-kuunteleminen", "hyvin", 1)
    before = store.snapshot(session).entry_count
    bad_calls = [
        lambda: store.session(session).record_rating(9, "os-kuunteleminen", "hyvin", 1),
        lambda: store.session(session).record_rating(1, "yt-verkostoituminen", "hyvin", 1),
        lambda: store.session(session).record_rating(1, "os-kuunteleminen", "loistava", 1),
        lambda: store.session(session).record_rating(1, "os-kuunteleminen", "hyvin", 0),
        lambda: store.session(session).record_rating(1, "os-kuunteleminen", "hyvin", -2),
        lambda: store.session(session).record_rating(1, "os-kuunteleminen", "hyvin", 10**6),
        lambda: store.session(session).record_dots(1, "os-kuunteleminen", -1),
        lambda: store.session(session).add_comment("   ", "idea"),
        lambda: store.session(session).add_comment("x" * 10_001, "idea"),
        lambda: store.session(session).add_comment("ok", "rant"),
        lambda: store.session(session).add_comment("ok", "idea", area_id="yhteistyo"),
        lambda: store.session(session).add_action(""),
        lambda: store.session(session).edit_comment(12345, "x", "idea"),
        lambda: store.session(session).remove_action(1),
        lambda: store.session(session).record_step("dance"),
        lambda: store.session(session).update(dots=0),
        lambda: store.session(session).update(date="12.3.2027"),
        lambda: store.session(session).update(area_ids=[]),
        lambda: store.session(session).update(groups=[(None, "A"), (None, "a")]),
    ]
    for call in bad_calls:
        with pytest.raises(KitError) as caught:
            call()
        assert caught.value.message("fi") and caught.value.message("en")
        assert "{" not in caught.value.message("fi")
    assert store.snapshot(session).entry_count == before
    with Store(store.data_dir) as fresh:
        assert fresh.snapshot(session).entry_count == before


def test_comment_text_is_cleaned_and_may_be_long(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck)
    entry = store.session(session).add_comment(
        "  rivi\x00 yksi\r\nrivi\x1b[31m kaksi\t! ", "concern")
    assert entry.data["text"] == "rivi yksi\nrivi[31m kaksi !"
    long = store.session(session).add_comment("å" * 10_000, "idea")
    assert len(long.data["text"]) == 10_000


def test_undo_takes_back_the_last_entry_of_each_kind(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck)
    store.session(session).record_rating(1, "ar-luottamus", "hyvin", 4)
    comment = store.session(session).add_comment("Alku", "idea", practice_id="ar-luottamus")
    store.session(session).edit_comment(
        comment.id, "Muutettu", "strength", practice_id="ar-luottamus")
    action = store.session(session).add_action("Tehdään", "Hallitus", "toukokuu")
    store.session(session).remove_action(action.id)
    store.session(session).record_step("area", "arvot")  # steps are not undone
    assert store.snapshot(session).actions == ()
    store.session(session).undo()  # the removal
    assert [a.what for a in store.snapshot(session).actions] == ["Tehdään"]
    store.session(session).undo()  # the action
    assert store.snapshot(session).actions == ()
    store.session(session).undo()  # the edit
    assert [(c.text, c.tag) for c in store.snapshot(session).comments] == [("Alku", "idea")]
    store.session(session).undo()  # the comment
    assert store.snapshot(session).comments == ()
    store.session(session).undo()  # the rating
    assert store.snapshot(session).ratings == {}
    assert store.session(session).undo() is None
    with Store(store.data_dir) as fresh:  # the same after reading the log again
        snap = fresh.snapshot(session)
        assert (snap.ratings, snap.comments, snap.actions) == ({}, (), ())


def test_groups_can_be_renamed_added_but_not_removed_with_entries(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck, groups=["A", "B"])
    store.session(session).record_dots(2, "os-kuunteleminen", 1)
    meta = store.session(session).update(groups=[(1, "Aa"), (2, "B"), (None, "C")])
    assert [(g.id, g.name) for g in meta.groups] == [(1, "Aa"), (2, "B"), (3, "C")]
    meta = store.session(session).update(groups=[(2, "B"), (3, "C")])  # A had no entries
    assert [g.id for g in meta.groups] == [2, 3]
    with pytest.raises(KitError) as caught:
        store.session(session).update(groups=[(3, "C")])
    assert caught.value.key == "input.group_has_entries"


def test_step_timer_and_session_list(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck, association="Kyläyhdistys", date="2027-01-05")
    store.session(session).record_step("area", "yhteistyo")
    store.session(session).record_timer(TimerState("yhteistyo", 754_000, True, 1_800_000_000.0))
    with Store(store.data_dir) as fresh:
        snap = fresh.snapshot(session)
        assert snap.progress() == ("area", 2, 4)
        assert snap.timers["yhteistyo"] == TimerState("yhteistyo", 754_000, True, 1.8e9)
        (info,) = fresh.sessions()
        assert (info.id, info.date, info.association) == (session, "2027-01-05", "Kyläyhdistys")
        # A step and a timer: where the facilitator is, not entries the room made.
        assert (info.screen, info.area_number, info.area_count, info.entries) == (
            "area", 2, 4, 0)


def test_two_instances_see_each_other_after_refresh(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck)
    with Store(store.data_dir) as other:
        other.snapshot(session)
        store.session(session).record_rating(1, "os-kuunteleminen", "hyvin", 2)
        other.session(session).record_rating(1, "os-kuunteleminen", "hyvin", 3)  # folds ours first
        assert other.snapshot(session).ratings[(1, "os-kuunteleminen", "hyvin")] == 5
        assert store.refresh(session).ratings[(1, "os-kuunteleminen", "hyvin")] == 5


def test_delete_is_for_good(store: Store, deck, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck)
    store.session(session).add_comment("salaisuus-XYZZY", "concern")
    keep = store.create_session(deck)
    store.delete_session(session)
    assert [s.id for s in store.sessions()] == [keep]
    with pytest.raises(KitError):
        store.snapshot(session)
    store.close()
    raw = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())
    assert b"XYZZY" not in raw


def test_schema_is_migrated_and_a_newer_one_refused(data_dir: Path, deck) -> None:  # type: ignore[no-untyped-def]
    data_dir.mkdir(mode=0o700)
    sqlite3.connect(data_dir / DB_NAME).close()  # an empty file: version 0
    with Store(data_dir) as store:
        store.create_session(deck)
    db = sqlite3.connect(data_dir / DB_NAME)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(KitError) as caught:
        Store(data_dir)
    assert caught.value.key == "store.too_new"


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_database_is_kept_aside_and_a_new_one_started(
    data_dir: Path, deck, damage: str  # type: ignore[no-untyped-def]
) -> None:
    with Store(data_dir) as store:
        session = store.create_session(deck)
        for n in range(300):
            store.session(session).add_comment(f"kommentti {n} " + "x" * 200, "idea")
        store._checkpoint()
    path = data_dir / DB_NAME
    raw = path.read_bytes()
    broken = b"\x00garbage\xff" * 5000 if damage == "garbage" else raw[: len(raw) // 2]
    path.write_bytes(broken)
    with Store(data_dir) as store:
        assert store.moved_aside is not None
        assert store.moved_aside.parent == data_dir
        assert store.moved_aside.read_bytes() == broken  # kept as it was, for rescue
        assert store.sessions() == []
        store.create_session(deck)  # the new store works
    with Store(data_dir) as store:  # and is not moved aside again
        assert store.moved_aside is None and len(store.sessions()) == 1
    result = subprocess.run([sys.executable, "-m", "kit", "--data-dir", str(data_dir),
                             "sessions"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == ""
    path.write_bytes(b"not a database at all" * 100)
    result = subprocess.run([sys.executable, "-m", "kit", "--data-dir", str(data_dir),
                             "sessions"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "vioittunut" in result.stderr and ".broken-" in result.stderr
    assert len(list(data_dir.glob(f"{DB_NAME}.broken-*"))) == 2  # never overwritten
