"""A phone round: one area's secret ballot collected from the participants' own phones.

No aiohttp and no Textual here: the web server (`kit.room.server`) and the facilitator's
screen both drive a `PhoneRound`, and it decides what a ballot may hold (through a
`BallotBox`, the same rules as the laptop's ballot), who may send one and when.

- **Joining**: the room sees an address with a short join code (`K7Q2`). Codes are random,
  from letters and digits that cannot be mistaken for each other when read off a projector.
- **One ballot per phone**: a phone asks for a one-time token and spends it on its ballot.
  The token lives in this object's memory only, never on disk, and nothing records which
  token went with which ballot: the ballot goes to the round's anonymous counters.
- **Sent means saved**: a ballot is committed before `cast` returns, so a phone told "sent"
  finds its ballot after a power cut. The room sees the ballots only when the round closes
  (`close`): they are then added to the area's secret-ballot totals in one transaction.
- **A retry is not a second vote**: sending again with a spent token answers "already
  counted" and counts nothing, so a phone that lost the reply can safely send again.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

from kit.ballots import Ballot, BallotBox
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.deck import Area
    from kit.session import Snapshot

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read off a projector is typed right the first time.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 4
MAX_TOKENS = 2000  # a room of 40 asks for a few each; a runaway script gets refused


class RoundSession(Protocol):
    """What a phone round needs of a session (`kit.store.SessionHandle` is one)."""

    @property
    def snapshot(self) -> Snapshot: ...

    def open_round(self, area_id: str, code: str) -> int: ...

    def round_code(self, area_id: str) -> str | None: ...

    def round_count(self, area_id: str) -> int | None: ...

    def cast_round_ballot(self, area_id: str, ratings: Mapping[str, str],
                          dots: Mapping[str, int]) -> int: ...

    def close_round(self, area_id: str) -> int: ...


class Sent(Enum):
    """What became of a phone's ballot."""

    COUNTED = "counted"  # committed to the round
    ALREADY = "already"  # this token's ballot was counted before: nothing counted now
    BLANK = "blank"  # nothing chosen: nothing counted, the token is still good


class _RoundBox:
    """The session as a `BallotBox` sees it, with casting going into the open round."""

    def __init__(self, session: RoundSession) -> None:
        self._session = session

    @property
    def snapshot(self) -> Snapshot:
        return self._session.snapshot

    def cast_ballot(self, area_id: str, ratings: Mapping[str, str],
                    dots: Mapping[str, int]) -> int:
        return self._session.cast_round_ballot(area_id, ratings, dots)

    def withdraw_ballot(self, area_id: str, ratings: Mapping[str, str],
                        dots: Mapping[str, int]) -> int:
        raise KitError("room.no_take_back")  # a phone's ballot is final once sent


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class PhoneRound:
    """One open phone round of one area (opening it is constructing it)."""

    def __init__(self, session: RoundSession, area_id: str, *, code: str | None = None) -> None:
        self._session = session
        self.box = BallotBox(_RoundBox(session), area_id)  # checks the area is in the session
        self.area_id = area_id
        # A round left open (the laptop restarted) keeps its code: phones carry on.
        self.code = session.round_code(area_id) or code or new_code()
        self._issued: set[str] = set()
        self._spent: set[str] = set()
        self.present: int | None = None  # people in the room, as the facilitator typed it
        self.closed = False
        session.open_round(area_id, self.code)

    # what the room may see ----------------------------------------------------------------

    @property
    def area(self) -> Area:
        return self.box.area

    @property
    def count(self) -> int:
        """Ballots in so far: a count, never what they say."""
        return self._session.round_count(self.area_id) or 0

    def matches(self, code: str) -> bool:
        """Whether `code` is this round's join code (as typed: any case, spaces ignored)."""
        typed = "".join(str(code).split()).upper()
        return secrets.compare_digest(typed.encode(), self.code.encode())

    def set_present(self, people: int | None) -> None:
        if people is not None and (isinstance(people, bool) or not isinstance(people, int)
                                   or not 0 <= people <= 10_000):
            raise KitError("input.bad_number", value=people)
        self.present = people

    # a phone ------------------------------------------------------------------------------

    def issue_token(self) -> str:
        """A one-time right to send one ballot in this round."""
        self._refuse_if_closed()
        if len(self._issued) >= MAX_TOKENS:
            raise KitError("room.too_many_tokens")
        token = secrets.token_urlsafe(18)
        self._issued.add(token)
        return token

    def cast(self, token: Any, ratings: Any, dots: Any) -> Sent:
        """Count a phone's ballot, committed before this returns; raises `KitError` for a
        closed round, an unknown token or a ballot the box refuses (nothing is counted)."""
        self._refuse_if_closed()
        if not isinstance(token, str) or token not in self._issued:
            raise KitError("room.unknown_token")
        if token in self._spent:
            return Sent.ALREADY
        result = self.box.cast(Ballot(ratings, dots))
        if result.blank:
            return Sent.BLANK
        self._spent.add(token)
        self.box.begin_next()  # nothing of it is kept for taking back
        return Sent.COUNTED

    # the facilitator ----------------------------------------------------------------------

    def close(self) -> int:
        """End the round: its ballots join the area's totals; how many there were."""
        if self.closed:
            return 0
        self.closed = True
        self.box.close()
        self._issued.clear()
        self._spent.clear()
        return self._session.close_round(self.area_id)

    def _refuse_if_closed(self) -> None:
        if self.closed:
            raise KitError("room.round_closed")
