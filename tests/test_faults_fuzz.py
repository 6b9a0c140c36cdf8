"""Fuzzing: generated deck files and import files never cause a traceback (exit 0 or 2 only)
and never change a session that is already saved.

Both start from the real thing (the shipped deck, a real export) and mutate it: keys dropped,
values replaced by other types, lists emptied or doubled, text cut or sprinkled with junk.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.cli import main
from kit.deck import default_deck_path
from kit.store import Store

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=8,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a nested structure, so a mutation can pick one."""
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            out += _paths(value, (*prefix, n))
    return out


@st.composite
def mutated(draw: st.DrawFn, original: Any) -> Any:
    """`original` with one to four random changes at random places."""
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            continue
        *parents, last = path
        holder = data
        for key in parents:
            holder = holder[key]
        action = draw(st.sampled_from(["drop", "junk", "double", "empty", "stretch"]))
        if action == "drop":
            del holder[last]
        elif action == "junk":
            holder[last] = draw(JUNK)
        elif action == "double" and isinstance(holder, list):
            holder.insert(last, copy.deepcopy(holder[last]))
        elif action == "empty":
            holder[last] = type(holder[last])() if isinstance(holder[last],
                                                              list | dict | str) else 0
        elif action == "stretch" and isinstance(holder[last], str):
            holder[last] = holder[last] * draw(st.integers(2, 2000))
    return data


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}"
                               for k, v in value.items() if v is not None) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string (\\uXXXX escapes are TOML too)
    return str(value)


def to_toml(data: dict[str, Any]) -> str:
    """A small TOML writer: top-level keys, everything nested written inline."""
    return "".join(f"{json.dumps(str(k))} = {_toml_value(v)}\n" for k, v in data.items()
                   if v is not None)


@st.composite
def text_damage(draw: st.DrawFn, text: str) -> str:
    """The file as text, cut short or with junk put in somewhere."""
    cut = draw(st.integers(0, len(text)))
    choice = draw(st.sampled_from(["cut", "insert", "replace"]))
    junk = draw(st.text(max_size=20))
    if choice == "cut":
        return text[:cut]
    if choice == "insert":
        return text[:cut] + junk + text[cut:]
    return text[:cut] + junk + text[cut + len(junk):]


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


DECK_TEXT = default_deck_path().read_text("utf-8")
DECK = tomllib.loads(DECK_TEXT)


def _a_saved_session(data_dir: Path) -> tuple[str, str]:
    """A demo session (entries, comments, ballots) and its JSON export, as the yardstick."""
    code, out, _ = _run("demo", "--no-ui", "--data-dir", str(data_dir))
    assert code == 0
    session = out.strip()
    code, export, _ = _run("export", session, "--format", "json", "--data-dir", str(data_dir))
    assert code == 0
    return session, export


def _unchanged(data_dir: Path, session: str, export: str, sessions: list[Any]) -> None:
    code, again, _ = _run("export", session, "--format", "json", "--data-dir", str(data_dir))
    assert code == 0 and again == export
    with Store(data_dir) as store:
        now = store.sessions()
    assert [s for s in now if s.id in {x.id for x in sessions}] == sessions


@given(deck=st.one_of(mutated(DECK).map(to_toml), text_damage(DECK_TEXT)))
@SETTINGS
def test_generated_decks_never_crash_the_deck_check(deck: str, data_dir: Path,
                                                    tmp_path: Path) -> None:
    if not (data_dir / "tyopaja.sqlite3").exists():
        _a_saved_session(data_dir)
    with Store(data_dir) as store:
        sessions = store.sessions()
    path = tmp_path / "deck.toml"
    path.write_text(deck, "utf-8")
    code, out, err = _run("deck", "check", str(path), "--data-dir", str(data_dir))
    assert code in (0, 2), err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 2
    if code == 2:
        assert err.strip() and not out
    with Store(data_dir) as store:
        assert store.sessions() == sessions


EXPORT_CACHE: dict[str, Any] = {}


@given(data=st.data())
@SETTINGS
def test_generated_imports_never_crash_or_touch_a_saved_session(data: st.DataObject,
                                                                data_dir: Path,
                                                                tmp_path: Path) -> None:
    if str(data_dir) not in EXPORT_CACHE:
        EXPORT_CACHE.clear()
        EXPORT_CACHE[str(data_dir)] = _a_saved_session(data_dir)
    session, export = EXPORT_CACHE[str(data_dir)]
    raw = data.draw(st.one_of(mutated(json.loads(export)).map(json.dumps),
                              text_damage(export)), label="import file")
    with Store(data_dir) as store:
        sessions = store.sessions()
    path = tmp_path / "import.json"
    path.write_text(raw, "utf-8", errors="surrogatepass")
    code, out, err = _run("import", str(path), "--data-dir", str(data_dir))
    assert code in (0, 2), err
    assert "Traceback" not in err
    with Store(data_dir) as store:
        now = store.sessions()
    if code == 2:  # refused: all of it, nothing half-imported
        assert now == sessions and len(err.strip().splitlines()) == 1
    else:  # accepted: exactly one new session, with the id printed
        assert len(now) == len(sessions) + 1 and out.strip() in {s.id for s in now}
    _unchanged(data_dir, session, export, sessions)
