"""Strict import: every documented field checked, each refusal one line in the user's language
naming the file and where in it; nothing written; the same file twice refused without --again."""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kit import cli
from kit.demo import create_demo
from kit.exports import jsonfile
from kit.store import DB_NAME, Store

NAME = "rikki vienti ä.json"

# What json and the codecs say in English (their messages, word by word), and other Python
# words a leaked exception would bring: none may appear in a message.
PYTHON_WORDS = {
    # json.decoder
    "expecting", "property", "enclosed", "double", "quotes", "delimiter", "unterminated",
    "string", "starting", "invalid", "control", "character", "escape", "extra", "illegal",
    "trailing", "comma", "before", "end", "object", "array", "line", "column", "char", "value",
    "uxxxx",
    # codecs: "'utf-8' codec can't decode byte 0x93 in position 0: invalid start byte",
    # "invalid continuation byte", "unexpected end of data"
    "codec", "can't", "decode", "encode", "byte", "position", "start", "continuation",
    "unexpected", "in", "of", "the",
    # a leaked exception
    "traceback", "error", "nonetype", "attribute", "subscriptable", "keyerror", "typeerror",
    "valueerror", "exception", "recursion", "maximum", "depth", "exceeded",
}


def _words(message: str, name: str) -> set[str]:
    """The message's own words: without the file name, the values quoted from the file and
    the paths inside it (their keys are the format's, not Python's)."""
    text = message.replace(name, " ")
    text = re.sub(r'"[^"]*"?|”[^”]*”', " ", text)
    text = re.sub(r"\b(kohdassa|kohdasta|kohta|kenttä)\s+\S+", " ", text)
    text = re.sub(r"\S*[.\[]\S*", " ", text)  # a.b, x[0].y
    return {w.lower() for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text)}


@functools.cache
def _good() -> str:
    """The demo's export (made once per test run)."""
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder)) as store:
        session = create_demo(store)
        return jsonfile.dumps(store.snapshot(session), store.entries(session))


@pytest.fixture
def good() -> dict[str, Any]:
    return dict(json.loads(_good()))


def _import(folder: Path, path: Path, capsys: pytest.CaptureFixture[str], *extra: str,
            lang: str = "fi") -> tuple[int, str, str]:
    with contextlib.chdir(path.parent):  # the file as a user names it, from its own folder
        rc = cli.main(["--data-dir", str(folder), "--lang", lang, "import", *extra, path.name])
    out, err = capsys.readouterr()
    return rc, out, err


def _dump(folder: Path) -> list[str]:
    db = sqlite3.connect(folder / DB_NAME)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def _check_refusal(rc: int, out: str, err: str, name: str) -> str:
    assert rc == 2, err
    assert out == ""
    assert err.endswith("\n") and len(err.splitlines()) == 1, repr(err)
    line = err.rstrip("\n")
    assert "\r" not in line and name in line, line
    assert not _words(line, name) & PYTHON_WORDS, line
    return line


def _changed(good: dict[str, Any], edit: Any) -> bytes:
    data = copy.deepcopy(good)
    edit(data)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _entry_of(good: dict[str, Any], kind: str) -> int:
    return next(n for n, e in enumerate(good["entries"]) if e["kind"] == kind)


def test_each_broken_field_is_refused_naming_file_and_path(
    good: dict[str, Any], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rating = _entry_of(good, "rating")
    comment = _entry_of(good, "comment")

    def forward_target(d: dict[str, Any]) -> None:
        d["entries"].insert(0, {"id": 1, "kind": "comment_remove", "at": good["entries"][0]["at"],
                                "data": {"target": 5}})
        for n, e in enumerate(d["entries"], start=1):
            e["id"] = n

    cases: dict[str, tuple[bytes, str]] = {
        "created garbage": (_changed(good, lambda d: d["session"].update(created="garbage")),
                            "session.created"),
        "created date only": (_changed(good, lambda d: d["session"].update(created="2027-03-12")),
                              "session.created"),
        "at not a time": (_changed(good, lambda d: d["entries"][1].update(at="not a time")),
                          "entries[1].at"),
        "at month 13": (_changed(good, lambda d: d["entries"][1].update(
            at="2027-13-01T10:00:00.000Z")), "entries[1].at"),
        "id out of order": (_changed(good, lambda d: d["entries"][3].update(id=7)),
                            "entries[3].id"),
        "id twice": (_changed(good, lambda d: d["entries"][3].update(id=3)), "entries[3].id"),
        "unknown group": (_changed(good, lambda d: d["entries"][rating]["data"].update(
            group=77)), f"entries[{rating}].data"),
        "unknown practice": (_changed(good, lambda d: d["entries"][comment]["data"].update(
            practice="ei-ole")), f"entries[{comment}].data"),
        "target ahead": (_changed(good, forward_target), "entries[0].data.target"),
        "group id twice": (_changed(good, lambda d: d["session"]["groups"][1].update(id=1)),
                           "session.groups[1].id"),
        "missing field": (_changed(good, lambda d: d["session"].pop("title")), "title"),
        "ballot level": (_changed(good, lambda d: d["ballots"][0]["ratings"][0].update(
            level="huono")), "ballots[0].ratings[0].level"),
        "ballot area": (_changed(good, lambda d: d["ballots"][0].update(area="ei-ole")),
                        "ballots[0].area"),
    }
    path = tmp_path / NAME
    before = _dump(_fresh(data_dir))
    for case, (raw, where) in cases.items():
        path.write_bytes(raw)
        line = _check_refusal(*_import(data_dir, path, capsys), NAME)
        assert where in line, (case, line)
        assert _dump(data_dir) == before, case


def _fresh(folder: Path) -> Path:
    with Store(folder) as store:
        create_demo(store)
    return folder


@pytest.mark.parametrize(("raw", "words"), [
    (b"%PDF-1.7\n%\x93\x8c\x8b\x9e\n1 0 obj\n", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "tekstitiedosto"),
    (b"PK\x03\x04\x14\x00\x06\x00", "tekstitiedosto"),
    ('{"format": "tyopaja-session", "title": "Ryhmä"}'.encode("latin-1"), "rivillä 1"),
    ('{\n\n "a": "ä"}'.encode("utf-16"), "UTF-8"),
    (b'{\n  "format": "tyopaja-session",\n  version: 1\n}', "rivillä 3, sarakkeessa 3"),
    (b'{"format": "tyopaja-session",}', "pilkku"),
    (b'{"format": "tyopaja-session" "version": 1}', "pilkku"),
    (b'{"format": "tyopaja-session', "lainausmerkki"),
    (b"", "tyhjä"),
    (b"  \n", "tyhjä"),
    (b"[" * 100_000, "sisäkkäin"),
    (b"{} x", "lopussa"),
], ids=["pdf", "png", "zip", "latin-1", "utf-16", "bare name", "trailing comma",
        "no comma", "open quote", "empty", "blank", "deep", "extra"])
def test_not_json_files_say_so_in_finnish(raw: bytes, words: str, data_dir: Path,
                                          tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / NAME
    path.write_bytes(raw)
    line = _check_refusal(*_import(data_dir, path, capsys), NAME)
    assert words in line, line
    assert not (data_dir / DB_NAME).exists() or _dump(data_dir)  # nothing half-written


def test_english_refusals_are_english(good: dict[str, Any], data_dir: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    good["entries"][1]["at"] = "eilen"
    path.write_text(json.dumps(good), encoding="utf-8")  # one line: no line number to give
    rc, _out, err = _import(data_dir, path, capsys, lang="en")
    assert rc == 2
    assert err == ('tyopaja: cannot import broken.json: entries[1].at should be a time like '
                   '2027-03-12T10:05:00.000Z, not "eilen"\n')


def test_the_same_file_twice_is_refused_unless_again(
    good: dict[str, Any], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "vienti.json"
    path.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    rc, first, err = _import(data_dir, path, capsys)
    assert rc == 0 and "vienti.json" in err and first.strip() in err
    first = first.strip()
    before = _dump(data_dir)
    rc, out, err = _import(data_dir, path, capsys)
    assert rc == 2 and out == ""
    assert err == (f"tyopaja: tiedosto vienti.json on jo tuotu istunnoksi {first}; jos haluat "
                   "siitä toisen kopion, anna: tyopaja import --again vienti.json\n")
    assert _dump(data_dir) == before
    # The same content laid out otherwise, or exported again from the imported copy, is the
    # same file; one more entry makes it another.
    path.write_text(json.dumps(good, indent=4), encoding="utf-8")
    assert _import(data_dir, path, capsys)[0] == 2
    assert cli.main(["--data-dir", str(data_dir), "export", first, "--format", "json",
                     "-o", str(tmp_path / "again.json")]) == 0
    capsys.readouterr()
    assert _import(data_dir, tmp_path / "again.json", capsys)[0] == 2
    rc, second, _err = _import(data_dir, path, capsys, "--again")
    assert rc == 0 and second.strip() != first
    more = copy.deepcopy(good)
    last = more["entries"][-1]
    more["entries"].append({"id": last["id"] + 1, "kind": "step", "at": last["at"],
                            "data": {"screen": "summary", "area": None}})
    path.write_text(json.dumps(more), encoding="utf-8")
    assert _import(data_dir, path, capsys)[0] == 0
    # A deleted copy no longer counts.
    for session in (first, second.strip()):
        assert cli.main(["--data-dir", str(data_dir), "delete", session, "--yes"]) == 0
    path.write_text(json.dumps(good), encoding="utf-8")
    capsys.readouterr()
    assert _import(data_dir, path, capsys)[0] == 0


# --- a generated corpus of broken files ------------------------------------------------------

_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 2**40), st.floats(),
                    st.text(max_size=12), st.lists(st.integers(), max_size=2),
                    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for n, value in enumerate(data[:3]):  # the first few items of each list
            out += _paths(value, (*prefix, n))
    return out


@st.composite
def _broken_files(draw: st.DrawFn, good: dict[str, Any]) -> bytes:
    text = json.dumps(good, ensure_ascii=False, indent=2)
    raw = text.encode()
    how = draw(st.sampled_from(["edit", "drop", "truncate", "bytes", "encoding", "junk"]))
    if how in ("edit", "drop"):
        data = copy.deepcopy(good)
        section = draw(st.sampled_from(["format", "version", "session", "deck", "entries",
                                        "ballots"]))
        path = draw(st.sampled_from([(section,), *_paths(data[section], (section,))]))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        if how == "drop":
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(_VALUES)
        return json.dumps(data, ensure_ascii=False).encode()
    if how == "truncate":
        return raw[: draw(st.integers(0, len(raw) - 2))]
    if how == "bytes":
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    if how == "encoding":
        return text.encode(draw(st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252"])),
                           errors="replace")
    return draw(st.one_of(st.binary(max_size=64), st.text(max_size=64).map(str.encode)))


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # a file is long
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_broken_files_get_one_finnish_line(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject,
    capsys: pytest.CaptureFixture[str]
) -> None:
    raw = data.draw(_broken_files(json.loads(_good())))
    folder = tmp_path_factory.mktemp("corpus")
    path = folder / NAME
    path.write_bytes(raw)
    rc, out, err = _import(folder / "data", path, capsys)
    event("accepted" if rc == 0 else err.split(": ")[2][:14])
    if rc == 0:  # an edit that happens to be valid (another comment text, a null practice)
        assert out.strip() and len(err.splitlines()) == 1
        return
    _check_refusal(rc, out, err, NAME)
    assert not (folder / "data" / DB_NAME).exists() or not any(
        "INSERT INTO \"sessions\"" in row for row in _dump(folder / "data"))


def test_the_line_of_a_bad_value_is_named_in_an_indented_file(
    good: dict[str, Any], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _changed(good, lambda d: d["entries"][3].update(at="eilen"))  # indent=2
    path = tmp_path / NAME
    path.write_bytes(raw)
    line = _check_refusal(*_import(data_dir, path, capsys), NAME)
    number = next(n for n, text in enumerate(raw.decode().splitlines(), start=1)
                  if '"at": "eilen"' in text)
    assert f"(rivi {number}):" in line and "entries[3].at" in line
    assert jsonfile.line_of(raw, "session.groups[1].name") == next(
        n for n, text in enumerate(raw.decode().splitlines(), start=1)
        if f'"name": "{good["session"]["groups"][1]["name"]}"' in text)
    assert jsonfile.line_of(json.dumps(good), "entries[3].at") is None  # one long line
    assert jsonfile.line_of(raw, "entries[99999].at") is None
