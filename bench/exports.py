"""Many associations' JSON exports, made up but valid: for `tyopaja region` in the benchmark
and in the tests.

Each export is what `tyopaja export --format json` writes for a workshop of one to three
groups of 3–9 people who rated every practice of the default deck (a show of hands per
group), gave dots, wrote two comments and an action item; some voted in secret too. Built as
plain data, without a store: writing 500 sessions through SQLite would take minutes.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

from kit.deck import Deck, load_deck

COMMENT = "Yhdistyksen {n} kommentti {k}: salainen teksti"


def fake_export(rng: random.Random, n: int, deck: Deck,
                deck_data: dict[str, Any]) -> dict[str, Any]:
    """The `n`th association's export (a fresh session id and creation time for each)."""
    created = dt.datetime(2027, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=n)
    groups = [{"id": g + 1, "name": f"Ryhmä {g + 1}"} for g in range(rng.randint(1, 3))]
    entries: list[dict[str, Any]] = []

    def add(kind: str, data: dict[str, Any]) -> None:
        entries.append({"id": len(entries) + 1, "kind": kind,
                        "at": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                        "data": data})

    practices = list(deck.practices())
    lean = {p.id: rng.choice((1, 1, 2, 4, 8)) for p in practices}
    for group in groups:
        size = rng.randint(3, 9)
        for practice in practices:
            weights = [rng.randint(1, 6) for _ in deck.scale]
            weights[0] *= lean[practice.id]
            for level, count in zip(deck.scale, _split(rng, size, weights), strict=True):
                if count:
                    add("rating", {"group": group["id"], "practice": practice.id,
                                   "level": level.id, "delta": count})
        for practice in rng.sample(practices, 3):
            add("dots", {"group": group["id"], "practice": practice.id,
                         "delta": rng.randint(1, size)})
    for k in range(2):
        practice = rng.choice(practices)
        add("comment", {"text": COMMENT.format(n=n, k=k), "tag": rng.choice(("idea", "concern")),
                        "practice": practice.id, "area": practice.area_id,
                        "group": groups[0]["id"]})
    add("action", {"what": f"Toimenpide {n}", "who": "hallitus", "due": "kevät",
                   "practice": rng.choice(practices).id})
    ballots = []
    if rng.random() < 0.3:
        area = deck.areas[0]
        count = rng.randint(1, 5)
        ratings = []
        for practice in area.practices:
            for level, c in zip(deck.scale, _split(rng, count, [1] * len(deck.scale)),
                                strict=True):
                if c:
                    ratings.append({"practice": practice.id, "level": level.id, "count": c})
        ballots.append({"area": area.id, "ballots": count,
                        "ratings": sorted(ratings, key=lambda r: (r["practice"], r["level"])),
                        "dots": [{"practice": area.practices[0].id, "count": count}]})
    return {
        "format": "tyopaja-session", "version": 1,
        "session": {
            "id": f"{created:%Y%m%d}-{n:06x}",
            "created": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "lang": "fi", "association": f"Yhdistys {n} ry", "title": "Hyvät käytänteet",
            "date": f"{created:%Y-%m-%d}", "place": "", "facilitator": "",
            "areas": [a.id for a in deck.areas], "dots": 3, "minutes": 20, "groups": groups,
        },
        "deck": deck_data, "entries": entries, "ballots": ballots,
    }


def _split(rng: random.Random, total: int, weights: list[int]) -> list[int]:
    counts = [0] * len(weights)
    for _ in range(total):
        counts[rng.choices(range(len(weights)), weights)[0]] += 1
    return counts


def write_exports(folder: Path, count: int, seed: int = 14) -> list[Path]:
    """`count` export files in `folder` (made if missing); their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    deck = load_deck()
    deck_data = deck.to_dict()
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        path = folder / f"yhdistys-{n:04d}.json"
        path.write_text(json.dumps(fake_export(rng, n, deck, deck_data), ensure_ascii=False),
                        encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":  # python bench/exports.py FOLDER COUNT
    write_exports(Path(sys.argv[1]), int(sys.argv[2]))
