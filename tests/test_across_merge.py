"""Merging parallel rooms: the merged tallies are the sum of the rooms', nothing is lost, the
same session is never counted twice, and the order of the sources does not matter."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit import cli
from kit.across import Source, load_sources
from kit.deck import load_deck, parse_deck
from kit.errors import KitError
from kit.merge import SEPARATOR, merge, plan_merge
from kit.report import Report, build_report
from kit.store import Store
from tests.across_helpers import Room, export, record

DECK = load_deck()
FIRST = [p.id for p in DECK.areas[0].practices]
PRACTICES = FIRST + [p.id for p in DECK.areas[1].practices]
LEVELS = [lv.id for lv in DECK.scale]
WORDS = ["kahvi", "kevät", "jäsenkirje", "talkoot", "hallitus", "<b>", "& co", "ÄÖ"]

text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


@st.composite
def rooms(draw: st.DrawFn) -> Room:
    groups = draw(st.integers(1, 3))
    group = st.integers(1, groups)
    practice = st.sampled_from(PRACTICES)
    return Room(
        place=draw(st.sampled_from(["Sali", "Sali", "Kirjasto", ""])),
        groups=[f"Ryhmä {n}" for n in range(1, groups + 1)],
        hands=draw(st.lists(st.tuples(group, practice, st.sampled_from(LEVELS),
                                      st.integers(1, 15)), max_size=12)),
        dots=draw(st.lists(st.tuples(group, practice, st.integers(1, 6)), max_size=4)),
        comments=draw(st.lists(st.tuples(text, st.none() | practice, st.none() | group),
                               max_size=3)),
        actions=draw(st.lists(st.tuples(text, st.none() | practice), max_size=2)),
        ballots=draw(st.lists(st.tuples(
            st.dictionaries(st.sampled_from(FIRST), st.sampled_from(LEVELS), min_size=1,
                            max_size=3),
            st.dictionaries(st.sampled_from(FIRST), st.just(1), max_size=3)), max_size=3)),
    )


def _results(report: Report) -> dict[str, object]:
    return {r.practice.id: r for a in report.areas for r in a.practices}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rooms(), min_size=2, max_size=3))
def test_merged_tallies_are_the_sums_and_nothing_is_lost(given_rooms: list[Room]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        ids = [record(store, DECK, room) for room in given_rooms]
        sources = load_sources(ids, store)
        merged_id, plan = merge(store, sources, lang="fi")
        merged = build_report(store.snapshot(merged_id))
        reports = [s.report for s in plan.sources]  # in the merge's order, as `rooms`
        rooms_by_id = dict(zip((r.meta.id for r in reports), plan.rooms, strict=True))

        groups = {g.name: g.id for g in merged.meta.groups}
        assert len(groups) == sum(len(r.meta.groups) for r in reports)
        for practice_id, result in _results(merged).items():
            parts = [_results(r)[practice_id] for r in reports]
            for level in LEVELS:
                assert result.total.counts[level] == sum(p.total.counts[level] for p in parts)
                assert result.ballots.counts[level] == sum(
                    p.ballots.counts[level] for p in parts)
            assert result.dots == sum(p.dots for p in parts)
            assert result.ballot_dots == sum(p.ballot_dots for p in parts)
            for report, part in zip(reports, parts, strict=True):
                room = rooms_by_id[report.meta.id]
                for group in report.meta.groups:
                    mine = groups[f"{room}{SEPARATOR}{group.name}"]
                    assert result.groups[mine] == part.groups[group.id]
                    assert result.group_dots[mine] == part.group_dots[group.id]
        for area in merged.areas:
            assert area.ballots == sum(r.area(area.area.id).ballots for r in reports)

        expected = Counter((f"{rooms_by_id[r.meta.id]}: {c.text}", c.practice_id)
                           for r in reports for c in r.comments)
        assert Counter((c.text, c.practice_id) for c in merged.comments) == expected
        expected = Counter((f"{rooms_by_id[r.meta.id]}: {a.what}", a.who, a.practice_id)
                           for r in reports for a in r.actions)
        assert Counter((a.what, a.who, a.practice_id) for a in merged.actions) == expected
        assert len(set(plan.rooms)) == len(plan.rooms)

        # Whatever order the sources come in, the merged session is the same.
        again = plan_merge(list(reversed(sources)), lang="fi", created=plan.meta.created)
        assert again.entries == plan.entries and again.meta == plan.meta
        assert again.ballots == plan.ballots
        store.close()


def _two_rooms(store: Store) -> list[str]:
    p = PRACTICES
    return [
        record(store, DECK, Room("Sali", ["Hallitus", "Jäsenet"],
                                 hands=[(1, p[0], "hyvin", 5), (2, p[0], "kehitettava", 2)],
                                 comments=[("Kahvi ensin", p[0], 1), ("Yleistä", None, None)],
                                 actions=[("Kysely jäsenille", p[1])],
                                 ballots=[({p[0]: "hyvin"}, {p[1]: 2})])),
        record(store, DECK, Room("Kerhohuone", ["Hallitus"],
                                 hands=[(1, p[0], "hyvin", 3), (1, p[2], "osittain", 4)],
                                 comments=[("Talkoot", p[2], None)],
                                 ballots=[({p[0]: "osittain"}, {})])),
    ]


def test_merge_on_the_command_line_prints_the_id_and_keeps_rooms(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(data_dir)
    ids = _two_rooms(store)
    store.close()
    assert cli.main(["merge", *ids, "--title", "Kevätkokous"]) == 0
    out, err = capsys.readouterr()
    merged_id = out.strip()
    assert len(out.splitlines()) == 1 and "Kevätkokous" in err and len(err.splitlines()) == 1
    store = Store(data_dir)
    report = build_report(store.snapshot(merged_id))
    assert report.meta.title == "Kevätkokous"
    assert [g.name for g in report.meta.groups] == [
        "Sali · Hallitus", "Sali · Jäsenet", "Kerhohuone · Hallitus"]
    assert {c.text for c in report.comments} == {"Sali: Kahvi ensin", "Sali: Yleistä",
                                                 "Kerhohuone: Talkoot"}
    assert report.practice(PRACTICES[0]).total.counts["hyvin"] == 5 + 3 + 1
    assert report.area(DECK.areas[0].id).ballots == 2
    # A session like any other: undo takes back its last entry (the last room's last item).
    handle = store.session(merged_id)
    assert handle.undo() is not None
    assert {c.text for c in build_report(handle.snapshot).comments} == {
        "Sali: Kahvi ensin", "Sali: Yleistä"}


def test_a_session_and_its_own_export_or_imported_copy_are_refused(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(data_dir)
    first, second = _two_rooms(store)
    path = export(store, first, tmp_path / "sali.json")
    copy = store.import_session(*_loads(path))
    before = len(store.sessions())
    store.close()
    for args in ([first, str(path)], [str(path), first], [first, first],
                 [str(path), str(path)], [first, copy], [first, second, str(path)]):
        assert cli.main(["merge", *args]) == 2
        out, err = capsys.readouterr()
        assert out == "" and len(err.strip().splitlines()) == 1
        assert "sama istunto" in err
    assert cli.main(["merge", first]) == 2
    assert "vähintään kaksi" in capsys.readouterr().err
    assert len(Store(data_dir).sessions()) == before


def _loads(path: Path) -> tuple[object, ...]:
    from kit.exports import jsonfile

    return jsonfile.loads(path.read_bytes())


def test_different_decks_merge_on_the_practices_they_share(data_dir: Path) -> None:
    store = Store(data_dir)
    data = DECK.to_dict()
    dropped = data["areas"][0]["practices"].pop(1)
    data["areas"][0]["practices"].append({"id": "os-oma", "text": {"fi": "Oma", "en": "Own"}})
    other = parse_deck(data, "test")
    a = record(store, DECK, Room("Sali", hands=[(1, FIRST[0], "hyvin", 4),
                                                (1, FIRST[1], "hyvin", 2)]))
    b = record(store, other, Room("Kirjasto", hands=[(1, FIRST[0], "hyvin", 1),
                                                     (1, "os-oma", "hyvin", 9)]))
    sources = load_sources([a, b], store)
    merged_id, plan = merge(store, sources, lang="fi")
    assert {p.id for p in plan.left_out} == {dropped["id"], "os-oma"}
    report = build_report(store.snapshot(merged_id))
    assert report.practice(FIRST[0]).total.counts["hyvin"] == 5
    with pytest.raises(KeyError):
        report.practice("os-oma")


def test_different_scales_are_refused(data_dir: Path) -> None:
    store = Store(data_dir)
    data = DECK.to_dict()
    data["scale"] = data["scale"][:3]  # no "don't know"
    other = parse_deck(data, "test")
    a = record(store, DECK, Room("Sali"))
    b = record(store, other, Room("Kirjasto"))
    with pytest.raises(KitError) as caught:
        load_sources([a, b], store)
    assert caught.value.key == "across.other_scale"


def test_rooms_without_telling_names_are_lettered(tmp_path: Path) -> None:
    store = Store(tmp_path)
    ids = [record(store, DECK, Room("")), record(store, DECK, Room(""))]
    sources = [Source(i, build_report(store.snapshot(i))) for i in ids]
    plan = plan_merge(sources, lang="en")
    assert plan.rooms == ("Room A", "Room B")
    assert plan.meta.title == "Merged: Room A + Room B"
    sources = [replace(s, report=replace(s.report, meta=replace(s.meta, title=f"T{n}")))
               for n, s in enumerate(sources)]
    assert plan_merge(sources, lang="en").rooms == ("T0", "T1")


def test_a_merged_session_with_one_of_its_own_rooms_is_refused(
        data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(data_dir)
    first, second = _two_rooms(store)
    third = record(store, DECK, Room("Kirjasto"))
    merged, _plan = merge(store, load_sources([first, second], store), lang="fi")
    merged_file = export(store, merged, tmp_path / "yhdistetty.json")
    room_file = export(store, second, tmp_path / "kerho.json")
    again, _plan = merge(store, load_sources([merged, third], store), lang="fi")
    store.close()
    for args in ([merged, first], [str(merged_file), str(room_file)], [again, second],
                 [again, str(merged_file)]):
        assert cli.main(["merge", *args]) == 2
        assert "sama istunto" in capsys.readouterr().err
    out = tmp_path / "alue.md"
    assert cli.main(["region", str(merged_file), str(room_file), "-o", str(out)]) == 2
    assert "sama istunto" in capsys.readouterr().err and not out.exists()
    # The merged session's export imports back, origins and all.
    assert cli.main(["import", str(merged_file)]) == 0
