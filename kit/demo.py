"""A realistic, repeatable sample session: for trying the kit, for screenshots and for tests.

Everything is drawn from a fixed seed, so two demo sessions differ only in their ids.
"""

from __future__ import annotations

import random

from kit.deck import Deck, load_deck
from kit.i18n import t
from kit.store import Store

SEED = 2027
DEMO_DATE = "2027-03-12"  # the sample's date, also how the app finds the sample made before
GROUP_SIZES = (5, 6, 7)

# (area, practice index or None for the area, tag, group index or None, fi, en)
COMMENTS: tuple[tuple[str, int | None, str, int | None, str, str], ...] = (
    ("osallisuus", 0, "strength", 0,
     "Kahvitteluhetket ennen kokousta tuovat uudetkin mukaan.",
     "Coffee before the meeting brings new people in too."),
    ("osallisuus", 2, "idea", 1,
     "Kysely myös paperilla niille, jotka eivät käytä nettiä.",
     "A survey on paper as well, for those who do not use the internet."),
    ("osallisuus", None, "concern", 2,
     "Samat ihmiset tekevät kaiken, hiljaiset jäävät sivuun.",
     "The same people do everything; the quiet ones are left aside."),
    ("yhteistyo", 3, "concern", 0,
     "Kaupungin yhteyshenkilö vaihtuu usein, tieto katoaa.",
     "The city's contact person changes often and information gets lost."),
    ("yhteistyo", 0, "idea", 2,
     "Yhteinen tapahtuma naapuriyhdistyksen kanssa keväällä.",
     "A joint event with the neighbouring association in the spring."),
    ("arvot", 4, "strength", 1,
     "Meillä on lämmin ja välittävä ilmapiiri.",
     "We have a warm and caring atmosphere."),
    ("arvot", 6, "idea", 0,
     "Esitteet myös selkokielellä ja ruotsiksi.",
     "Leaflets in plain language and in Swedish too."),
    ("arvot", None, "concern", 2,
     "Palautetta annetaan vähän, kiitos unohtuu.",
     "Little feedback is given; thanks are forgotten."),
    ("perustoiminta", 1, "idea", 1,
     "Vuosikello seinälle kerhohuoneeseen.",
     "Put the annual calendar on the wall of the club room."),
    ("perustoiminta", 10, "concern", 0,
     "Uusia vapaaehtoisia on vaikea löytää.",
     "Few new volunteers."),
    ("perustoiminta", 6, "strength", 2,
     "Jäsenkirje menee perille, myös postitse.",
     "The members' letter gets through, by post too."),
)

# (what fi, what en, who, due fi, due en, area, practice index)
ACTIONS: tuple[tuple[str, str, str, str, str, str, int], ...] = (
    ("Tehdään vuosikello ja jaetaan se jäsenkirjeessä",
     "Make an annual calendar and send it out with the members' letter",
     "board", "31.1.2027", "31 Jan 2027", "perustoiminta", 1),
    ("Sovitaan tapaaminen kaupungin järjestöyhteyshenkilön kanssa",
     "Arrange a meeting with the city's contact person for associations",
     "chair", "helmikuu 2027", "February 2027", "yhteistyo", 3),
)


def create_demo(store: Store, lang: str = "fi", deck: Deck | None = None) -> str:
    """Create the sample session and return its id."""
    deck = deck or load_deck()
    rng = random.Random(SEED)
    session_id = store.create_session(
        deck,
        lang=lang,
        association=t("demo.association", lang),
        title=t("demo.title", lang),
        date=DEMO_DATE,
        place=t("demo.place", lang),
        facilitator=t("demo.facilitator", lang),
        groups=[t("group.default_name", lang, n=n + 1) for n in range(len(GROUP_SIZES))],
    )
    handle = store.session(session_id)
    meta = handle.snapshot.meta
    # How well each practice works in this association: the groups mostly agree on it, so a
    # few practices come out as clear strengths, as they do in a real room.
    lean = {p.id: rng.choice((1, 1, 2, 2, 3, 6, 9)) for p in deck.practices()}
    for area in deck.areas:
        handle.record_step("area", area.id)
        for group, size in zip(meta.groups, GROUP_SIZES, strict=True):
            for practice in area.practices:
                # A show of hands: everyone in the group answers once per practice.
                weights = [rng.randint(1, 6) for _ in deck.scale]
                weights[0] *= lean[practice.id]
                weights[-1] = rng.randint(0, 2)
                left = size
                for i, level in enumerate(deck.scale):
                    share = left if i == len(deck.scale) - 1 else round(
                        size * weights[i] / sum(weights))
                    share = min(share, left)
                    if share:
                        handle.record_rating(group.id, practice.id, level.id, share)
                        left -= share
            dots = size * meta.dots
            picks = rng.sample(area.practices, k=min(3, len(area.practices)))
            for n, practice in enumerate(picks):
                share = dots if n == len(picks) - 1 else rng.randint(1, dots // 2)
                dots -= share
                if share:
                    handle.record_dots(group.id, practice.id, share)
    for area_id, index, tag, group_index, fi, en in COMMENTS:
        area = deck.area(area_id)
        handle.add_comment(
            fi if lang == "fi" else en,
            tag,
            practice_id=area.practices[index].id if index is not None else None,
            area_id=area_id,
            group_id=meta.groups[group_index].id if group_index is not None else None,
        )
    for what_fi, what_en, who, due_fi, due_en, area_id, index in ACTIONS:
        handle.add_action(
            what_fi if lang == "fi" else what_en,
            t(f"demo.who_{who}", lang),
            due_fi if lang == "fi" else due_en,
            deck.area(area_id).practices[index].id,
        )
    # Four people of the first area's room voted in secret on the laptop.
    first = deck.area(meta.area_ids[0])
    for _ in range(4):
        ratings = {p.id: rng.choice(deck.scale[:3]).id for p in first.practices}
        dots: dict[str, int] = {}
        for _dot in range(meta.dots):
            pick = rng.choice(first.practices).id
            dots[pick] = dots.get(pick, 0) + 1
        handle.cast_ballot(first.id, ratings, dots)
    handle.record_step("summary")
    return session_id
