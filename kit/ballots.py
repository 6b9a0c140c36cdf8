"""The secret ballot box of one area: the rules of a ballot, whoever collects it.

The laptop passed round the room is one way to vote; participants' phones will be another.
Both go through a `BallotBox`, so what may be chosen, how many dots a person has, what a blank
ballot is, when a ballot can be taken back and when the box is closed are decided here once.

The privacy rule: nothing stored tells ballots or their order apart. A ballot is added to the
area's anonymous counters (`cast_ballot` of the session) and is gone; no time, no sequence
number, no id of a ballot or a voter is kept, here or in the store, and a ballot is handed on
in the deck's order of practices, not in the order the person chose.

The one exception is the last ballot, held in memory (never on disk) so that the person who
has just voted can take it back: someone presses the wrong key, or sends before they were
done. It is forgotten as soon as it cannot be taken back any more: when the next voter starts,
when it has been taken back, when the box closes. The window is deliberately that short,
because a ballot that can be matched with the person still standing at the laptop is the
least private thing in the room.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from kit.errors import KitError

if TYPE_CHECKING:
    from kit.deck import Area, Level, Practice
    from kit.session import Snapshot


class BallotSession(Protocol):
    """What a ballot box needs of a session (`kit.store.SessionHandle` is one)."""

    @property
    def snapshot(self) -> Snapshot: ...

    def cast_ballot(self, area_id: str, ratings: Mapping[str, str],
                    dots: Mapping[str, int]) -> int: ...

    def withdraw_ballot(self, area_id: str, ratings: Mapping[str, str],
                        dots: Mapping[str, int]) -> int: ...


def _frozen(value: Any) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):  # e.g. a list from a phone's JSON: one line, no crash
        raise KitError("input.bad_entry", kind="ballot")
    return MappingProxyType(dict(value))


@dataclass(frozen=True)
class Ballot:
    """One person's answers: a level per practice they rated, dots per practice.

    A value, not a record: it carries nothing that says who, when or in which order. Not yet
    checked; `BallotBox.check` says whether it is valid and gives it in the deck's order.
    """

    ratings: Mapping[str, str] = field(default_factory=dict)  # practice id -> level id
    dots: Mapping[str, int] = field(default_factory=dict)  # practice id -> dots

    def __post_init__(self) -> None:
        # Read-only copies: a ballot held for taking back cannot change under the box.
        object.__setattr__(self, "ratings", _frozen(self.ratings))
        object.__setattr__(self, "dots", _frozen(self.dots))

    def __hash__(self) -> int:
        return hash((frozenset(self.ratings.items()), frozenset(self.dots.items())))

    @property
    def blank(self) -> bool:
        """No rating and no dot at all: nothing to count."""
        return not self.ratings and not any(self.dots.values())

    @property
    def dots_used(self) -> int:
        return sum(n for n in self.dots.values() if isinstance(n, int))


@dataclass(frozen=True)
class CastResult:
    """What became of a ballot sent to the box."""

    blank: bool  # True: nothing was chosen, nothing was written, nothing was counted
    total: int  # the area's ballots after this one, all rounds together
    in_round: int  # the ballots of this round after this one


class BallotBox:
    """The secret ballot of one area of one session, for one round of voting.

    Open from construction; `close()` ends the round and `open()` starts a new one. At most
    one ballot, the last one counted, can be taken back, in two steps (`request_take_back`,
    then `confirm_take_back`), and only until `begin_next()`, another cast or `close()`.
    """

    def __init__(self, session: BallotSession, area_id: str) -> None:
        snapshot = session.snapshot
        if not isinstance(area_id, str) or area_id not in snapshot.meta.area_ids:
            raise KitError("session.area_not_in_session", id=area_id)
        self._session = session
        self.area_id = area_id
        self._open = True
        self._in_round = 0
        self._last: Ballot | None = None  # the privacy rule's one exception: see the module
        self._take_back_asked = False

    # what the box is ----------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        return self._session.snapshot

    @property
    def area(self) -> Area:
        return self.snapshot.deck.area(self.area_id)

    @property
    def practices(self) -> tuple[Practice, ...]:
        """What a ballot of this area may rate and give dots to, in the deck's order."""
        return tuple(self.area.practices)

    @property
    def levels(self) -> tuple[Level, ...]:
        """The levels a practice may be given, in the scale's order."""
        return tuple(self.snapshot.deck.scale)

    def practice(self, practice_id: str) -> Practice:
        for practice in self.practices:
            if practice.id == practice_id:
                return practice
        raise KitError("session.no_such_practice", id=practice_id)

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KitError("deck.no_such_level", id=level_id)

    @property
    def dots_per_voter(self) -> int:
        """How many dots one person may spend, read at each use (the set-up may change it)."""
        return self.snapshot.meta.dots

    def dots_left(self, ballot: Ballot) -> int:
        return max(0, self.dots_per_voter - ballot.dots_used)

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def total(self) -> int:
        """The area's ballots in the store, every round and every way of voting together."""
        return self.snapshot.ballot_totals(self.area_id).ballots

    @property
    def in_round(self) -> int:
        """The ballots counted by this box since it was opened (taken back ones not)."""
        return self._in_round

    # building a ballot --------------------------------------------------------------------

    def check(self, ballot: Ballot) -> Ballot:
        """The ballot, valid, in the deck's order and without zero dots; else a KitError.

        Checked here before anything is written, so a phone's bad request and a slip on the
        laptop get the same one-line answer.
        """
        if not isinstance(ballot, Ballot):
            raise KitError("input.bad_entry", kind="ballot")
        order = [p.id for p in self.practices]
        known = set(order)
        levels = {level.id for level in self.levels}
        for practice_id, level_id in ballot.ratings.items():
            if practice_id not in known:
                raise KitError("session.no_such_practice", id=practice_id)
            if not isinstance(level_id, str) or level_id not in levels:
                raise KitError("deck.no_such_level", id=level_id)
        for practice_id, count in ballot.dots.items():
            if practice_id not in known:
                raise KitError("session.no_such_practice", id=practice_id)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise KitError("input.bad_number", value=count)
        if ballot.dots_used > self.dots_per_voter:
            raise KitError("input.too_many_dots", limit=self.dots_per_voter)
        return Ballot(
            {p: ballot.ratings[p] for p in order if p in ballot.ratings},
            {p: ballot.dots[p] for p in order if ballot.dots.get(p)},
        )

    def rate(self, ballot: Ballot, practice_id: str, level_id: str | None) -> Ballot:
        """The ballot with `practice_id` rated `level_id` (None: no answer for it)."""
        ratings = dict(ballot.ratings)
        if level_id is None:
            self.practice(practice_id)
            ratings.pop(practice_id, None)
        else:
            ratings[practice_id] = level_id
        return self.check(Ballot(ratings, ballot.dots))

    def add_dot(self, ballot: Ballot, practice_id: str, step: int) -> Ballot:
        """The ballot with `step` more (or fewer) dots on a practice.

        Taking away from a practice that has none leaves it at none; giving more than the
        person has left is refused (`input.too_many_dots`).
        """
        if isinstance(step, bool) or not isinstance(step, int):
            raise KitError("input.bad_number", value=step)
        self.practice(practice_id)
        dots = dict(ballot.dots)
        dots[practice_id] = max(0, dots.get(practice_id, 0) + step)
        return self.check(Ballot(ballot.ratings, dots))

    # a round of voting --------------------------------------------------------------------

    def open(self) -> None:
        """Start a new round (nothing happens to an open box)."""
        if not self._open:
            self._open, self._in_round = True, 0

    def close(self) -> None:
        """End the round: no more ballots, and the last one can no longer be taken back."""
        self._open = False
        self._forget()

    def begin_next(self) -> None:
        """The next person starts: the last ballot can no longer be taken back."""
        self._forget()

    def cast(self, ballot: Ballot) -> CastResult:
        """Count one person's ballot; a blank one is checked but neither written nor counted."""
        if not self._open:
            raise KitError("ballot.box_closed")
        valid = self.check(ballot)
        self._forget()  # someone else has voted: the one before can no longer take theirs back
        if valid.blank:
            return CastResult(blank=True, total=self.total, in_round=self._in_round)
        total = self._session.cast_ballot(self.area_id, dict(valid.ratings), dict(valid.dots))
        self._in_round += 1
        self._last = valid
        return CastResult(blank=False, total=total, in_round=self._in_round)

    # taking the last ballot back ----------------------------------------------------------

    @property
    def can_take_back(self) -> bool:
        """Whether there is a ballot that may still be taken back."""
        return self._last is not None

    @property
    def take_back_requested(self) -> bool:
        """Whether a take-back waits for its confirmation."""
        return self._take_back_asked

    def request_take_back(self) -> None:
        """The first step: ask to take the last ballot back (nothing changes yet)."""
        if self._last is None:
            raise KitError("input.no_ballot_to_withdraw")
        self._take_back_asked = True

    def cancel_take_back(self) -> None:
        """The ballot stays counted, and can still be taken back until the next voter."""
        self._take_back_asked = False

    def confirm_take_back(self) -> int:
        """The second step: take the last ballot out of the totals; returns the area's total.

        Once only: the ballot is forgotten as soon as it is out of the totals.
        """
        if self._last is None:
            raise KitError("input.no_ballot_to_withdraw")
        if not self._take_back_asked:
            raise KitError("ballot.take_back_unconfirmed")
        last = self._last
        total = self._session.withdraw_ballot(self.area_id, dict(last.ratings), dict(last.dots))
        self._in_round = max(0, self._in_round - 1)
        self._forget()
        return total

    def _forget(self) -> None:
        self._last = None
        self._take_back_asked = False
