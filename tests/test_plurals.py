"""Plural forms in the translation layer: 0, 1, 2 and 5 in Finnish and English (issue 13,
item 14). Both languages have a singular for exactly 1 and one plural for the rest."""

from __future__ import annotations

import pytest

from kit.i18n import plural_form, t

CASES = {
    # key, params without the count, the count's name: {count: (fi, en)}
    ("print.summary.groups", (("names", "A"),), "n"): {
        0: ("0 ryhmää: A", "0 groups: A"), 1: ("1 ryhmä: A", "1 group: A"),
        2: ("2 ryhmää: A", "2 groups: A"), 5: ("5 ryhmää: A", "5 groups: A")},
    ("print.summary.ballots", (), "n"): {
        0: ("0 salaista äänestyslipuketta", "0 secret ballots"),
        1: ("1 salainen äänestyslipuke", "1 secret ballot"),
        2: ("2 salaista äänestyslipuketta", "2 secret ballots"),
        5: ("5 salaista äänestyslipuketta", "5 secret ballots")},
    ("cli.entries", (), "n"): {
        0: ("0 merkintää", "0 entries"), 1: ("1 merkintä", "1 entry"),
        2: ("2 merkintää", "2 entries"), 5: ("5 merkintää", "5 entries")},
    ("area.all_groups", (), "ballots"): {  # the count is not called n: its only number
        0: ("Kaikki ryhmät + 0 lipuketta (vain katselu)", "All groups + 0 ballots (view only)"),
        1: ("Kaikki ryhmät + 1 lipuke (vain katselu)", "All groups + 1 ballot (view only)"),
        2: ("Kaikki ryhmät + 2 lipuketta (vain katselu)", "All groups + 2 ballots (view only)"),
        5: ("Kaikki ryhmät + 5 lipuketta (vain katselu)", "All groups + 5 ballots (view only)")},
    ("setup.practices", (), "n"): {
        0: ("0 käytännettä", "0 practices"), 1: ("1 käytänne", "1 practice"),
        2: ("2 käytännettä", "2 practices"), 5: ("5 käytännettä", "5 practices")},
}


@pytest.mark.parametrize(("key", "params", "name"), list(CASES), ids=lambda c: str(c))
@pytest.mark.parametrize("count", [0, 1, 2, 5])
def test_plural_forms(key: str, params: tuple[tuple[str, str], ...], name: str,
                      count: int) -> None:
    fi, en = CASES[(key, params, name)][count]
    assert t(key, "fi", **dict(params), **{name: count}) == fi
    assert t(key, "en", **dict(params), **{name: count}) == en


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_rule(lang: str) -> None:
    assert [plural_form(lang, n) for n in (0, 1, 2, 5, 11, 21)] == [
        "other", "one", "other", "other", "other", "other"]



@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_singular_matches_its_plural(lang: str) -> None:
    """A `.one` form has its plural beside it, with the same placeholders and the same words
    around the count, so a change to one cannot leave the other behind. (The digest's
    "+2 muuta" once kept a stale "ja 1 muu".)"""
    import string

    from kit.i18n import catalogue

    messages = catalogue(lang)
    singulars = [key for key in messages if key.endswith(".one")]
    assert singulars
    for key in singulars:
        base = key.removesuffix(".one")
        assert isinstance(messages.get(base), str), f"{key} has no plural {base}"

        def fields(text: str) -> set[str]:
            return {name for _, name, _, _ in string.Formatter().parse(text) if name}

        # The singular may write its count as "1"; every other placeholder stays.
        assert fields(messages[base]) - fields(messages[key]) <= {"n"}, key
        assert fields(messages[key]) <= fields(messages[base]), key
        # What comes before the first placeholder is the same in both.
        head = messages[base].split("{", 1)[0]
        assert messages[key].startswith(head), (key, messages[key], messages[base])
