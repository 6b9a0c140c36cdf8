"""Data exports: CSV safe in spreadsheets, Markdown for the minutes, broken imports refused."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kit.demo import create_demo
from kit.exports import csvfile, jsonfile, markdown
from kit.report import build_report
from kit.store import DB_NAME, Store

HOSTILE = ["=HYPERLINK(\"http://x\";\"klikkaa\")", "+49 123", "-2+3", "@SUM(A1)",
           "\tTAB", "normaali; teksti, \"lainaus\"\nrivi 2"]


def _rows(text: str, delimiter: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_csv_cells_never_run_as_formulas(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck, groups=["=cmd|' /C calc'!A0", "Ryhmä 2"])
    for text in HOSTILE:
        store.session(session).add_comment(text, "idea", practice_id="os-kuunteleminen", group_id=1)
    store.session(session).add_action("=1+1", "-Hallitus", "@huomenna")
    store.session(session).record_rating(1, "os-kuunteleminen", "hyvin", 3)
    rows = _rows(csvfile.dumps(build_report(store.snapshot(session)), "fi"), ";")
    header, body = rows[0], rows[1:]
    assert header[0] == "tyyppi" and "teksti" in header
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    texts = [row[header.index("teksti")] for row in body if row[0] == "kommentti"]
    assert texts == [
        "'=HYPERLINK(\"http://x\";\"klikkaa\")", "'+49 123", "'-2+3", "'@SUM(A1)",
        "TAB",  # the store already trimmed the pasted tab
        "normaali; teksti, \"lainaus\"\nrivi 2",
    ]
    assert csvfile.safe_cell("\tx") == "'\tx" and csvfile.safe_cell(5) == 5
    rating = next(row for row in body if row[0] == "arvio")
    assert rating[header.index("ryhmä")] == "'=cmd|' /C calc'!A0"
    assert rating[header.index("määrä")] == "3"
    action = next(row for row in body if row[0] == "toimenpide")
    assert action[header.index("teksti")] == "'=1+1"
    assert action[header.index("kuka")] == "'-Hallitus"


def test_csv_has_every_number_of_the_demo(store: Store) -> None:
    session = create_demo(store, "en")
    snap = store.snapshot(session)
    rows = _rows(csvfile.dumps(build_report(snap)), ",")  # English: comma-separated
    header, body = rows[0], rows[1:]
    total = sum(int(r[header.index("count")]) for r in body if r[0] == "rating")
    assert total == sum(snap.tally(p.id).answers for p in snap.practices())
    dots = sum(int(r[header.index("count")]) for r in body if r[0] == "dots")
    assert dots == sum(snap.tally(p.id).dots for p in snap.practices())
    assert sum(r[0] == "comment" for r in body) == len(snap.comments)
    assert sum(r[0] == "action item" for r in body) == 2


def test_markdown_prints_user_text_literally(store: Store, deck) -> None:  # type: ignore[no-untyped-def]
    session = store.create_session(deck, association="Yhdistys | ry")
    store.session(session).add_comment("[linkki](http://x) *tähti* <b>lihava</b>\n- ei lista",
                      "concern", practice_id="os-kuunteleminen")
    text = markdown.dumps(build_report(store.snapshot(session)))
    assert "# Hyvät käytänteet – Yhdistys \\| ry" in text
    assert "\\[linkki\\](http\\:/\\/x) \\*tähti\\* \\<b\\>lihava\\</b\\><br>\\- ei lista" in text
    assert "## ◆ Osallisuus" in text
    assert "Toimenpiteitä ei kirjattu." in text


def test_markdown_of_the_demo(store: Store) -> None:
    session = create_demo(store)
    text = markdown.dumps(build_report(store.snapshot(session)))
    for heading in ("Osallisuus", "Yhteistyö", "Arvot", "Perustoiminta", "Sovitut toimenpiteet"):
        assert heading in text
    assert "Luvuissa mukana 4 salaista äänestyslipuketta." in text
    assert text.count("| ") > 32


# --- imports ---------------------------------------------------------------------------------


def _cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120)


def _state(data_dir: Path) -> list[str]:
    db = sqlite3.connect(data_dir / DB_NAME)
    try:
        return list(db.iterdump())
    finally:
        db.close()


@pytest.fixture
def export(store: Store, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    session = create_demo(store)
    return json.loads(jsonfile.dumps(store.snapshot(session), store.entries(session)))


def _broken(export: dict) -> dict[str, bytes]:  # type: ignore[type-arg]
    good = json.dumps(export).encode()

    def changed(edit) -> bytes:  # type: ignore[no-untyped-def]
        data = json.loads(good)
        edit(data)
        return json.dumps(data).encode()

    return {
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "not json": b"\x89PNG\r\n\x1a\n",
        "a list": b"[]",
        "wrong format": changed(lambda d: d.update(format="other")),
        "wrong version": changed(lambda d: d.update(version=99)),
        "version as text": changed(lambda d: d.update(version="1")),
        "entries not a list": changed(lambda d: d.update(entries={})),
        "delta as text": changed(lambda d: d["entries"][1]["data"].update(delta="5")),
        "group as bool": changed(lambda d: d["entries"][1]["data"].update(group=True)),
        "unknown practice": changed(lambda d: d["entries"][1]["data"].update(practice="x")),
        "unknown kind": changed(lambda d: d["entries"][1].update(kind="hack")),
        "extra key": changed(lambda d: d["session"].update(admin=True)),
        "below zero": changed(lambda d: d["entries"][1]["data"].update(delta=-50)),
        "dangling target": changed(lambda d: d["entries"].append(
            {"id": 9999, "kind": "comment_remove", "at": "x", "data": {"target": 8888}})),
        "negative ballots": changed(lambda d: d["ballots"][0].update(ballots=-1)),
        "ballot for unknown practice": changed(
            lambda d: d["ballots"][0]["dots"].append({"practice": "zz", "count": 1})),
        "more ballot answers than ballots": changed(
            lambda d: d["ballots"][0]["ratings"][0].update(count=999)),
        "bad deck": changed(lambda d: d["deck"]["areas"][0].update(colour="blue")),
        "bad date": changed(lambda d: d["session"].update(date="eilen")),
        "deep nesting": b"[" * 100_000 + b"]" * 100_000,
        "very large": b'{"format": "tyopaja-session", "pad": "' + b"x" * (65 * 2**20) + b'"}',
    }


def test_broken_imports_exit_2_and_leave_the_store_unchanged(  # type: ignore[no-untyped-def]
    export, data_dir: Path, tmp_path: Path
) -> None:
    before = _state(data_dir)
    assert before
    for name, raw in _broken(export).items():
        path = tmp_path / "broken.json"
        path.write_bytes(raw)
        result = _cli("import", str(path), data_dir=data_dir)
        assert result.returncode == 2, (name, result.stderr)
        assert result.stdout == "", name
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, (name, result.stderr)
        assert _state(data_dir) == before, name


def test_a_good_import_gives_a_new_equal_session(export, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "good.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    result = _cli("import", str(path), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    new_id = result.stdout.strip()
    assert new_id and new_id != export["session"]["id"]
    again = _cli("export", new_id, "--format", "json", data_dir=data_dir)
    data = json.loads(again.stdout)
    assert data["session"].pop("id") == new_id
    export["session"].pop("id")
    assert data == export
