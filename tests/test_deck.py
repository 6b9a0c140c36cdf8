"""The default deck carries the source document word for word; bad decks get one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kit.deck import DeckError, load_deck, parse_deck
from kit.i18n import LANGUAGES

# The source document's texts, copied here by hand from shared/seeds (not read from the deck).
SOURCE: dict[str, list[str]] = {
    "Osallisuus": [
        "Yhteisöllisyys; yhdessä tekeminen, hyvä yhteishenki ja avoimuus",
        "Jäsenten kuunteleminen ja heiltä kysyminen",
        "Osallistumisen mahdollistaminen eri tavoin; pienetkin osallistumisen tavat nähdään "
        "merkityksellisenä",
        "Toimintaan rohkaiseminen",
    ],
    "Yhteistyö": [
        "Verkostoituminen muiden järjestöjen ja yhteistyökumppaneiden kanssa",
        "Eri verkostoihin osallistuminen",
        "Yhteistyö järjestön sisällä, hyvä yhteishenki ja avoin keskustelu",
        "Hyvä ja toimiva yhteistyö kunnan / kaupungin kanssa, vuoropuhelu ja "
        "viestintävaikuttaminen yhteistyön tukena",
    ],
    "Arvot": [
        "Kannustaminen ja innostaminen",
        "Rohkaiseminen",
        "Sitoutuneisuus",
        "Positiivinen ja rakentava palaute",
        "Hyvä yhteishenki",
        "Vastuullisuus",
        "Moninaisuuden arvostaminen",
        "Tasapuolisuus",
        "Yhteisöllisyys",
        "Aktiivinen ote tekemiseen",
        "Kehittämismyönteisyys",
        "Luottamus",
        "Avoimuus",
    ],
    "Perustoiminta": [
        "Vastuullinen ja toimiva hallitustyö",
        "Vuosikello suunnittelu",
        "Asioiden hyvä valmistelu",
        "Järjestön ajantasainen toimintakäsikirja ja säännöt",
        "Järjestön turvallisemman tilan periaatteet",
        "Hyvä tapahtumasuunnittelu",
        "Toimiva ja suunnitelmallinen viestintä eri kanavissa",
        "Mielekäs tekeminen ja jäsenistön kuunteleminen toiminnan suunnittelussa",
        "Avustusten haku ja talouden hyvä hallinta",
        "Selkeä toiminnan vastuualueiden jako ja tehtävien vuorottelu",
        "Jäsenhankinta ja vapaaehtoistyö",
    ],
}
MEMBERSHIP_POINTS = [
    "uusien jäsenten tervetulleeksi toivottaminen ja ”perehdytys”",
    "selkeästi määritellyt vapaaehtoistyön tehtävät",
    "mahdollistetaan myös matalan kynnyksen osallistuminen vapaaehtoistyöhön",
]
TITLE = "Järjestötoiminnan hyvät käytänteet – mikä mahdollistaa toimivan järjestötoiminnan?"
MOTTO = "Yhdessä toimien ja tehden mahdollistetaan avoin ja vireä järjestötoiminta"
CREDIT = (
    "Järjestötoiminnan hyvät käytänteet on kerätty ja havainnoitu Yhteisiä askeleita "
    "osallisuuteen ja kumppanuuteen -hankkeen aikana Kouvolan eri järjestöjen tapaamisista ja "
    "keskusteluissa. Hanke on tehnyt materiaaleista koonnin."
)
BACKGROUND_START = (
    "Yhteisiä askeleita osallisuuteen ja kumppanuuteen -hanke on osallisuutta edistävä hanke, "
    "joka on toteutettu ajalla 1.6.2024–30.11.2026"
)
BACKGROUND_END = (
    "Lähtökohtana on ollut järjestöjen oma asiantuntemus ja arjen kokemukset, joita on "
    "hyödynnetty hankkeen sisällön ja toimintamallien kehittämisessä."
)


def test_default_deck_is_the_source_word_for_word(deck) -> None:  # type: ignore[no-untyped-def]
    assert [a.title.fi for a in deck.areas] == list(SOURCE)
    for area, expected in zip(deck.areas, SOURCE.values(), strict=True):
        assert [p.text.fi for p in area.practices] == expected
    last = deck.areas[-1].practices[-1]
    assert [p.fi for p in last.points] == MEMBERSHIP_POINTS
    assert all(not p.points for p in deck.practices() if p is not last)
    assert deck.title.fi == TITLE
    assert deck.motto is not None and deck.motto.fi == MOTTO
    assert deck.credit is not None and deck.credit.fi == CREDIT
    assert deck.background is not None
    assert deck.background.fi.startswith(BACKGROUND_START)
    assert deck.background.fi.endswith(BACKGROUND_END)


def test_default_deck_texts_are_in_the_seed_file(deck) -> None:  # type: ignore[no-untyped-def]
    """Belt and braces: every Finnish practice text appears in the source as printed."""
    # A verbatim copy of shared/seeds/000_e32a317dd2c02231.txt, kept with the tests.
    source = (Path(__file__).parent / "data" / "lahde-hyvat-kaytanteet.txt").read_text("utf-8")
    for practice in deck.practices():
        assert practice.text.fi in source
        for point in practice.points:
            assert point.fi in source


def test_every_text_has_every_language(deck) -> None:  # type: ignore[no-untyped-def]
    for lang in LANGUAGES:
        assert deck.missing_translations(lang) == []
    for path, text in deck.texts():
        assert text.get("en") != text.fi or path.endswith("short"), path


def test_defaults_and_shape(deck) -> None:  # type: ignore[no-untyped-def]
    assert [a.id for a in deck.areas] == ["osallisuus", "yhteistyo", "arvot", "perustoiminta"]
    assert [len(a.practices) for a in deck.areas] == [4, 4, 13, 11]
    assert (deck.dots, deck.minutes) == (3, 20)
    assert [lv.label.fi for lv in deck.scale] == [
        "Toimii hyvin", "Toimii osittain", "Kaipaa kehittämistä", "En osaa sanoa",
    ]
    assert [lv.known for lv in deck.scale] == [True, True, True, False]
    assert len({a.symbol for a in deck.areas}) == 4
    assert len({a.colour for a in deck.areas}) == 4
    for area in deck.areas:
        assert 2 <= len(area.questions) <= 3
        assert area.intro.fi.count(".") + area.intro.fi.count("?") >= 2
    ids = [p.id for p in deck.practices()] + [a.id for a in deck.areas]
    assert len(ids) == len(set(ids))
    assert deck.practice("os-kuunteleminen").card_id == "OS-2"


def test_round_trip_through_plain_data(deck) -> None:  # type: ignore[no-untyped-def]
    assert parse_deck(deck.to_dict()) == deck


# --- malformed decks -------------------------------------------------------------------------

GOOD = (Path(__file__).parents[1] / "cards" / "hyvat-kaytanteet.toml").read_text("utf-8")


def _break(old: str, new: str, count: int = 1) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, count)


def _drop_practices_of_first_area() -> str:
    start = GOOD.index("[[areas.practices]]")
    end = GOOD.index("[[areas]]", start)
    text = GOOD[:start] + GOOD[end:]
    return text.replace('code = "OS"', 'code = "OS"\npractices = []', 1)


# (name, deck text, words the one-line error must contain, expected line or None)
MALFORMED: list[tuple[str, str, list[str], int | None]] = [
    ("syntax", _break("[defaults]", "[defaults"), ["TOML"], None),
    ("unknown top key", _break("[defaults]", "colour_scheme = 1\n[defaults]"),
     ["colour_scheme"], None),
    ("unknown area key", _break('code = "OS"', 'code = "OS"\nicon = "x"'), ["icon"], None),
    ("typo in practice key", _break("text = {", "txt = {"), ["txt"], None),
    ("duplicate practice id", _break('id = "os-kuunteleminen"', 'id = "os-yhteisollisuus"'),
     ["os-yhteisollisuus"], None),
    ("duplicate area id", _break('id = "yhteistyo"', 'id = "osallisuus"'), ["osallisuus"], None),
    ("missing finnish", _break('text = { fi = "Toimintaan rohkaiseminen", en',
                               'text = { sv = "Uppmuntran", en'), ["fi"], None),
    ("empty area", _drop_practices_of_first_area(), ["areas[0].practices"], None),
    ("bad colour", _break('colour = "#0072B2"', 'colour = "blue"'), ["blue"], None),
    ("short colour", _break('colour = "#0072B2"', 'colour = "#07B"'), ["#07B"], None),
    ("dots as text", _break("dots = 3", 'dots = "three"'), ["defaults.dots"], None),
    ("dots out of range", _break("dots = 3", "dots = 99"), ["99"], None),
    ("minutes missing", _break("minutes = 20\n", ""), ["minutes"], None),
    ("text not a table", _break('title = { fi = "Osallisuus", en = "Participation" }',
                                'title = "Osallisuus"'), ["areas[0].title"], None),
    ("empty text", _break('fi = "Rohkaiseminen"', 'fi = "  "'), ["areas[2].practices[1]"],
     None),
    ("symbol too long", _break('symbol = "◆"', 'symbol = "<>"'), ["<>"], None),
    ("bad id", _break('id = "os-kuunteleminen"', 'id = "Os Kuunteleminen"'),
     ["Os Kuunteleminen"], None),
    ("future format", _break("format = 1", "format = 2"), ["2"], None),
    ("known not bool", _break("known = true", 'known = "yes"', 1), ["scale[0].known"], None),
    ("bad language code", _break('en = "Participation"', 'english = "Participation"'),
     ["english"], None),
    ("not utf-8", GOOD.replace("Osallisuus", "Osallisuus\udcff", 1), [], None),
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name.replace(' ', '-')}.toml"
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    return path


@pytest.mark.parametrize(("name", "text", "words", "line"), MALFORMED,
                         ids=[m[0] for m in MALFORMED])
def test_malformed_deck_gives_exit_2_and_one_line(
    tmp_path: Path, name: str, text: str, words: list[str], line: int | None
) -> None:
    path = _write(tmp_path, name, text)
    result = subprocess.run(
        [sys.executable, "-m", "kit", "deck", "check", str(path)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    message = lines[0]
    assert str(path) in message
    for word in words:
        assert word in message, message


def test_errors_name_the_line(tmp_path: Path) -> None:
    """Not just the path: the line of the offending key, counted in the file as written."""
    text = _break('colour = "#D55E00"', 'colour = "oranssi"')
    expected = text.splitlines().index('colour = "oranssi"') + 1
    with pytest.raises(DeckError) as caught:
        load_deck(_write(tmp_path, "colour", text))
    assert caught.value.line == expected
    assert f":{expected}:" in caught.value.message("fi")
    assert "areas[1].colour" in caught.value.message("fi")

    text = _break('id = "ar-luottamus"', 'id = "ar-avoimuus"')
    lines = text.splitlines()
    first = lines.index('id = "ar-avoimuus"')
    expected = lines.index('id = "ar-avoimuus"', first + 1) + 1  # the second use is the error
    with pytest.raises(DeckError) as caught:
        load_deck(_write(tmp_path, "dup", text))
    assert caught.value.line == expected

    with pytest.raises(DeckError) as caught:
        load_deck(_write(tmp_path, "syntax", _break("[defaults]", "[defaults")))
    assert caught.value.line == GOOD.splitlines().index("[defaults]") + 1


def test_error_in_english_when_asked(tmp_path: Path) -> None:
    path = _write(tmp_path, "colour", _break('colour = "#0072B2"', 'colour = "blue"'))
    result = subprocess.run(
        [sys.executable, "-m", "kit", "--lang", "en", "deck", "check", str(path)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "colour “blue” is not valid" in result.stderr


def test_missing_translation_is_a_warning_not_an_error(tmp_path: Path) -> None:
    text = _break(', en = "Participation"', "")
    result = subprocess.run(
        [sys.executable, "-m", "kit", "deck", "check", str(_write(tmp_path, "fi-only", text))],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "en" in result.stderr and "areas[0].title" in result.stderr
    deck = load_deck(_write(tmp_path, "fi-only2", text))
    assert deck.areas[0].title.get("en") == "Osallisuus"  # falls back to Finnish


def test_default_deck_checks_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kit", "deck", "check",
         str(Path(__file__).parents[1] / "cards" / "hyvat-kaytanteet.toml")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0
    assert result.stderr == ""
    assert "4 osa-aluetta, 32 käytännettä" in result.stdout
