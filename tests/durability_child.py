"""Child process for the durability test: records entries and prints each id once committed."""

import sys

from kit.deck import load_deck
from kit.store import Store

data_dir, session, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(data_dir)
deck = load_deck()
practices = [p.id for p in deck.practices()]
levels = [lv.id for lv in deck.scale]
for n in range(count):
    kind = n % 3
    if kind == 0:
        entry = store.session(session).record_rating(1, practices[n % len(practices)],
                                    levels[n % len(levels)], 1 + n % 5)
    elif kind == 1:
        entry = store.session(session).record_dots(1, practices[(n * 7) % len(practices)], 1)
    else:
        entry = store.session(session).add_comment(f"kommentti {n} " + "ä" * (n % 300), "idea")
    print(entry.id, flush=True)  # only after the call returned: the entry is durable
