"""A large, deterministic session for benchmarks and fault tests.

Built through `Store.import_session`, so every entry passes the same checks as one typed in,
in one transaction (seconds rather than minutes of single durable commits).
"""

from __future__ import annotations

import random
from collections import Counter

from kit.deck import Deck, load_deck
from kit.session import BallotTotals, Entry, Group, SessionMeta
from kit.store import Store, now_iso


def make_large(
    store: Store,
    *,
    entries: int = 20_000,
    comments: int = 2_000,
    groups: int = 10,
    ballots: int = 40,
    actions: int = 40,
    seed: int = 1,
    deck: Deck | None = None,
) -> str:
    """Create the large session and return its id."""
    deck = deck or load_deck()
    rng = random.Random(seed)
    meta = SessionMeta(
        id="large", created=now_iso(), lang="fi", association="Suuri yhdistys ry",
        title="Suuri työpaja", date="2027-03-12", place="Kaupungintalo", facilitator="Vetäjä",
        area_ids=tuple(a.id for a in deck.areas), dots=deck.dots, minutes=deck.minutes,
        groups=tuple(Group(n + 1, f"Ryhmä {n + 1}") for n in range(groups)),
    )
    practices = [p.id for p in deck.practices()]
    levels = [lv.id for lv in deck.scale]
    log: list[Entry] = []
    tags = ("strength", "idea", "concern")
    comment_every = max(1, (entries - actions) // max(comments, 1))
    n_comments = 0
    for n in range(entries - actions):
        entry_id = len(log) + 1
        if n_comments < comments and n % comment_every == 0:
            n_comments += 1
            practice = rng.choice(practices)
            data = {"text": f"Kommentti {n_comments}: " + "hyvä ajatus " * rng.randint(1, 12),
                    "tag": rng.choice(tags), "practice": practice,
                    "area": deck.practice(practice).area_id,
                    "group": rng.randint(1, groups)}
            log.append(Entry(entry_id, "comment", now_iso(), data))
        elif n % 7 == 6:
            data = {"group": rng.randint(1, groups), "practice": rng.choice(practices),
                    "delta": rng.randint(1, 3)}
            log.append(Entry(entry_id, "dots", now_iso(), data))
        else:
            key = (rng.randint(1, groups), rng.choice(practices), rng.choice(levels))
            data = {"group": key[0], "practice": key[1], "level": key[2],
                    "delta": rng.randint(1, 4)}
            log.append(Entry(entry_id, "rating", now_iso(), data))
    for n in range(actions):
        data = {"what": f"Toimenpide {n + 1}", "who": "Hallitus", "due": "kevät 2027",
                "practice": rng.choice(practices)}
        log.append(Entry(len(log) + 1, "action", now_iso(), data))
    totals: dict[str, BallotTotals] = {}
    for area in deck.areas:
        ratings: Counter[tuple[str, str]] = Counter()
        dots: Counter[str] = Counter()
        for _ in range(ballots):
            for practice in area.practices:
                ratings[(practice.id, rng.choice(levels))] += 1
            for _dot in range(deck.dots):
                dots[rng.choice(area.practices).id] += 1
        totals[area.id] = BallotTotals(ballots, dict(ratings), dict(dots))
    return store.import_session(meta, deck, log, totals)
