"""Every translation key exists in every language, and every key the app names exists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.i18n import LANGUAGES, catalogue, read_catalogue

KIT = Path(__file__).resolve().parent.parent / "kit"
APP_SOURCES = [KIT / "app.py", KIT / "view.py", KIT / "desktop.py", KIT / "timer.py",
               KIT / "exports" / "files.py", KIT / "cli.py",
               *sorted((KIT / "screens").glob("*.py")), *sorted((KIT / "widgets").glob("*.py"))]
# Literal keys: t("…"), self.t("…"), KitError("…"), and binding descriptions ("key.…").
LITERAL = re.compile(r"""(?:\bt\(\s*|KitError\(\s*|["'])((?:key|help|cmd|app|area|ballot|"""
                     r"""summary|setup|start|export|print|open|comment|action|timer|entry|qr|"""
                     r"""present|dialog|palette|lang|month|cli|progress|tag|group|store|input)"""
                     r"""\.[a-z_0-9.]+)["']""")


def _strings(lang: str) -> dict[str, str]:
    return {k: v for k, v in catalogue(lang).items() if isinstance(v, str)}


def test_every_key_in_every_language() -> None:
    keys = {lang: set(_strings(lang)) for lang in LANGUAGES}
    first = keys[LANGUAGES[0]]
    for lang in LANGUAGES[1:]:
        assert sorted(first - keys[lang]) == [], f"missing in {lang}"
        assert sorted(keys[lang] - first) == [], f"missing in {LANGUAGES[0]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_app_catalogue_has_the_same_keys_in_each_file(lang: str) -> None:
    """app.toml itself is complete per language (not only after merging with core.toml)."""
    files = {code: tomllib.loads((KIT / "locales" / code / "app.toml").read_text("utf-8"))
             for code in LANGUAGES}
    assert set(files[lang]) == set(files["fi"])
    assert all(isinstance(v, str) and v.strip() for v in files[lang].values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang: str) -> None:
    """A translation of the app's texts uses the same {placeholders} as the Finnish text."""
    finnish, other = _strings("fi"), _strings(lang)
    app_keys = tomllib.loads((KIT / "locales" / "fi" / "app.toml").read_text("utf-8"))
    for key, text in finnish.items():
        if key not in app_keys:
            continue
        assert set(re.findall(r"\{(\w+)\}", text)) == set(
            re.findall(r"\{(\w+)\}", other[key])), key


def test_every_key_the_app_names_exists() -> None:
    known = set(_strings("fi"))
    named: set[str] = set()
    for source in APP_SOURCES:
        named |= set(LITERAL.findall(source.read_text("utf-8")))
    # Strings that look like keys but are not: actions, style sheets, key prefixes.
    not_keys = {"app.quit", "input.group"}
    named = {k for k in named if not k.endswith((".", ".tcss")) and k not in not_keys}
    missing = sorted(k for k in named if k not in known and k.split(".")[0] != "level")
    assert missing == []


def test_keys_built_at_run_time_exist() -> None:
    known = set(_strings("fi"))
    from kit.exports.files import DATA_FORMATS, PDF_FORMATS
    from kit.session import STEPS, TAGS

    built = [f"lang.{code}" for code in LANGUAGES]
    built += [f"month.{n}" for n in range(1, 13)]
    built += [f"export.format.{fmt}" for fmt in DATA_FORMATS + PDF_FORMATS]
    built += [f"progress.{step}" for step in STEPS]
    built += [f"tag.{tag}" for tag in TAGS]
    built += [f"entry.{kind}" for kind in ("rating", "dots", "comment", "comment_edit",
                                           "comment_remove", "action", "action_edit",
                                           "action_remove")]
    built += [f"setup.field.{name}" for name in ("association", "title", "date", "place",
                                                  "facilitator", "lang", "groups", "areas",
                                                  "scale", "dots", "minutes")]
    built += [f"setup.hint.{name}" for name in ("association", "title", "date", "place",
                                                 "facilitator", "group", "dots", "minutes")]
    built += [f"action.{name}" for name in ("what", "who", "due")]
    built += [f"action.hint.{name}" for name in ("what", "who", "due")]
    built += [f"summary.tab.{name}" for name in ("results", "comments", "actions")]
    built += [f"help.{name}" for name in ("start", "setup", "area", "comment", "ballot",
                                          "present", "summary", "action", "export", "qr",
                                          "general")]
    assert sorted(k for k in built if k not in known) == []


def test_every_screen_has_a_help_text() -> None:
    import importlib

    known = set(_strings("fi"))
    for source in sorted((KIT / "screens").glob("*.py")):
        if source.stem in ("__init__", "base", "help"):
            continue
        module = importlib.import_module(f"kit.screens.{source.stem}")
        for value in vars(module).values():
            help_key = getattr(value, "HELP", None)
            if isinstance(value, type) and help_key:
                assert help_key in known, (source.stem, help_key)


async def test_the_command_palette_says_no_matches_in_finnish(data_dir: Path) -> None:
    from textual.command import CommandList

    from kit.app import WorkshopApp

    app = WorkshopApp(data_dir=data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"zzqx")
        await pilot.pause(1.2)  # Textual waits a moment before saying nothing matched
        options = app.screen.query_one(CommandList)
        words = [str(options.get_option_at_index(n).prompt.renderable)
                 for n in range(options.option_count)]
        assert words == [catalogue("fi")["palette.no_matches"]]


# The catalogue reader: the shipped files take its fast path, and it reads what tomllib reads.

CATALOGUES = sorted((KIT / "locales").glob("*/*.toml"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_catalogues_are_read_without_tomllib_and_as_tomllib_reads_them(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text("utf-8")
    expected = tomllib.loads(text)

    def refuse(_text: str) -> dict[str, object]:
        raise AssertionError(f"{path.name} fell back to tomllib")

    monkeypatch.setattr(tomllib, "loads", refuse)
    assert read_catalogue(text) == expected


def _quoted(text: str) -> str:
    """A TOML basic string, escaped the way a translator (or an editor) might write it."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")  # an escape the fast path leaves to tomllib
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return f'"{"".join(out)}"'


# Mostly the characters that need care, some of anything else.
TEXT = st.text(st.one_of(st.sampled_from(list('"\\\n\t #=[]\u2028\x01ä')), st.characters()))
LINES = st.one_of(
    st.builds(lambda k, v: f"{_quoted(k)} = {_quoted(v)}", TEXT, TEXT),
    st.sampled_from(["", "# a comment", "[argparse]", "[other]", "bare_key = \"x\"",
                     '"a" = "b"', '"a" = """many\nlines"""', '"x" = "y" # note', "  \t",
                     '"k" = "v" trailing', '"k"="v"', "[argparse] # again", "\r", '"z" = 1']),
)


# Texts without tabs or control characters, which the reader takes itself.
PLAIN = st.text(st.one_of(st.sampled_from(list('"\\\n #=[]\u2028ä')),
                          st.characters(blacklist_categories=("Cc", "Cs"))))


@given(st.dictionaries(PLAIN, PLAIN, max_size=8), st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=200, deadline=None)
def test_plain_files_are_read_without_tomllib_as_tomllib_reads_them(
        messages: dict[str, str], end: str) -> None:
    text = end.join(f"{_quoted(k)} = {_quoted(v)}" for k, v in messages.items()) + end
    assert tomllib.loads(text) == messages
    real = tomllib.loads
    try:
        tomllib.loads = None  # type: ignore[assignment]  # a fall back would fail
        assert read_catalogue(text) == messages
    finally:
        tomllib.loads = real


@given(st.lists(LINES, max_size=12), st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=300, deadline=None)
def test_the_reader_agrees_with_tomllib_on_generated_files(lines: list[str], end: str) -> None:
    text = end.join(lines) + end
    try:
        expected: object = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(tomllib.TOMLDecodeError):
            read_catalogue(text)
    else:
        assert read_catalogue(text) == expected
