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
- **With slips** (`slips=True`, for a strict vote): no tokens; a ballot needs the code of a
  paper voting slip (`kit.room.slips`) not spent yet in this area, and spends it in the
  transaction that counts the ballot. Only the page that spent a slip hears "already
  counted" when it sends again (it names its ballot with an id of its own, `send`); anyone
  else holding a copy of the slip is refused. A round opened with slips stays so until it
  closes, restarts included.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

from kit.ballots import Ballot, BallotBox
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.deck import Area
    from kit.session import Snapshot

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read off a projector is typed right the first time.
Votes = tuple[Mapping[str, str], Mapping[str, int]]  # one ballot's ratings and dots, for the store

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 4
MAX_TOKENS = 2000  # a room of 40 asks for a few each; a runaway script gets refused

# Voting slips (`kit.room.slips` makes, hashes and prints them): what a round reads of one.
SLIP_LENGTH = 8  # 25 ** 8 codes, 37 bits: hopeless to guess at 20 wrong codes a minute
SLIP_GROUP = 4  # printed and shown as ABCD-EFGH
SEND_MIN, SEND_MAX = 16, 100  # a page's own id of one ballot (`send`), in characters
_SLIP_ALLOWED = frozenset(CODE_ALPHABET)
_HYPHENS = str.maketrans("", "", "-\u2010\u2011\u2012\u2013")


class SlipState(Enum):
    """What a slip code is worth in an area's rounds."""

    GOOD = "good"  # known, for this area, not spent yet
    SPENT = "spent"  # known, its ballot for this area is counted
    OTHER_AREA = "other_area"  # known, but printed for another area
    UNKNOWN = "unknown"  # no such slip in this session (or not a slip code at all)


_SLIP_REFUSALS = {SlipState.UNKNOWN: "room.wrong_slip", SlipState.SPENT: "room.slip_spent",
                  SlipState.OTHER_AREA: "room.slip_other_area"}


def normalise_slip(text: object) -> str | None:
    """A slip code as stored and hashed (8 upper-case characters, no hyphen), from what was
    typed or scanned: any case, spaces and hyphens anywhere; None if it cannot be one."""
    if not isinstance(text, str) or len(text) > 4 * SLIP_LENGTH:
        return None
    code = "".join(text.split()).translate(_HYPHENS).upper()
    if len(code) != SLIP_LENGTH or not _SLIP_ALLOWED.issuperset(code):
        return None
    return code


def format_slip(code: str) -> str:
    """`ABCDEFGH` as printed and shown: `ABCD-EFGH`."""
    return f"{code[:SLIP_GROUP]}-{code[SLIP_GROUP:]}"


def check_send(send: object) -> str:
    """A page's own random id of one ballot: a string of 16 to 100 characters."""
    if not isinstance(send, str) or not SEND_MIN <= len(send) <= SEND_MAX:
        raise KitError("room.bad_request")
    try:
        send.encode("utf-8")
    except UnicodeEncodeError:
        raise KitError("room.bad_request") from None
    return send


class RoundSession(Protocol):
    """What a phone round needs of a session (`kit.store.SessionHandle` is one)."""

    @property
    def snapshot(self) -> Snapshot: ...

    def open_round(self, area_id: str, code: str) -> int: ...

    def round_code(self, area_id: str) -> str | None: ...

    def round_count(self, area_id: str) -> int | None: ...

    def cast_round_ballot(self, area_id: str, ratings: Mapping[str, str],
                          dots: Mapping[str, int]) -> int: ...

    def cast_round_ballots(self, area_id: str, ballots: Sequence[Votes]) -> int: ...

    def close_round(self, area_id: str) -> int: ...


class SlipSession(RoundSession, Protocol):
    """What a round with voting slips needs as well (`kit.store.SessionHandle` is one)."""

    def slip_state(self, area_id: str, code: str) -> Any: ...

    def cast_slip_ballot(self, area_id: str, code: str, send: str,
                         ratings: Mapping[str, str], dots: Mapping[str, int]) -> bool: ...

    def slip_counts(self, area_id: str) -> tuple[int, int]: ...

    def slip_round(self, area_id: str) -> bool: ...

    def set_slip_round(self, area_id: str, on: bool) -> None: ...


class Sent(Enum):
    """What became of a phone's ballot."""

    COUNTED = "counted"  # committed to the round
    ALREADY = "already"  # this token's ballot was counted before: nothing counted now
    BLANK = "blank"  # nothing chosen: nothing counted, the token is still good


class _RoundBox:
    """The session as a `BallotBox` sees it, with casting going into the open round."""

    def __init__(self, session: RoundSession) -> None:
        self._session = session
        # The slip (normalised code, the page's send id) of the ballot being cast, if any;
        # set by `PhoneRound.cast_slip` just for the one call, so the box's rules apply.
        self.slip: tuple[str, str] | None = None
        self.counted = True  # False: the slip's ballot had been counted before

    @property
    def snapshot(self) -> Snapshot:
        return self._session.snapshot

    def cast_ballot(self, area_id: str, ratings: Mapping[str, str],
                    dots: Mapping[str, int]) -> int:
        if self.slip is not None:
            session: Any = self._session
            code, send = self.slip
            self.counted = session.cast_slip_ballot(area_id, code, send, ratings, dots)
            return session.round_count(area_id) or 0
        return self._session.cast_round_ballot(area_id, ratings, dots)

    def withdraw_ballot(self, area_id: str, ratings: Mapping[str, str],
                        dots: Mapping[str, int]) -> int:
        raise KitError("room.no_take_back")  # a phone's ballot is final once sent


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class PhoneRound:
    """One open phone round of one area (opening it is constructing it)."""

    def __init__(self, session: RoundSession, area_id: str, *, code: str | None = None,
                 slips: bool = False) -> None:
        self._session = session
        self._box_session = _RoundBox(session)
        self.box = BallotBox(self._box_session, area_id)  # checks the area is in the session
        self.area_id = area_id
        # A round left open (the laptop restarted) keeps its code: phones carry on.
        left_open = session.round_code(area_id)
        self.code = left_open or code or new_code()
        # ...and a strict round stays strict: slips only, whoever opens it again.
        keeps = getattr(session, "slip_round", None)
        self.slips = bool(slips or (left_open is not None and keeps is not None
                                    and keeps(area_id)))
        if self.slips and self._slips().slip_counts(area_id)[0] == 0:
            raise KitError("room.no_slips")  # nothing opened: print slips first
        self._issued: set[str] = set()
        self._spent: set[str] = set()
        self.present: int | None = None  # people in the room, as the facilitator typed it
        self.closed = False
        if keeps is not None:  # first: a power cut in between leaves no open round lax
            self._slips().set_slip_round(area_id, self.slips)
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
        """A one-time right to send one ballot in this round (not in a round with slips)."""
        self._refuse_if_closed()
        if self.slips:
            raise KitError("room.needs_slip")
        if len(self._issued) >= MAX_TOKENS:
            raise KitError("room.too_many_tokens")
        token = secrets.token_urlsafe(18)
        self._issued.add(token)
        return token

    def prepare(self, token: Any, ratings: Any, dots: Any) -> Ballot | Sent:
        """Check a phone's ballot without counting it: the ballot to `commit`, or what
        became of it already (`ALREADY`, `BLANK`); raises `KitError` for a closed round, an
        unknown token or a ballot the box refuses."""
        self._refuse_if_closed()
        if self.slips:
            raise KitError("room.needs_slip")
        if not isinstance(token, str) or token not in self._issued:
            raise KitError("room.unknown_token")
        if token in self._spent:
            return Sent.ALREADY
        valid = self.box.check(Ballot(ratings, dots))
        return Sent.BLANK if valid.blank else valid

    def commit(self, batch: Sequence[tuple[str, Ballot]]) -> list[Sent]:
        """Count checked ballots (from `prepare`) in one commit, before this returns; a token
        met twice (a phone that sent again before its answer came) counts once."""
        self._refuse_if_closed()
        results: list[Sent] = []
        counted: dict[str, Ballot] = {}
        for token, ballot in batch:
            if token in self._spent or token in counted:
                results.append(Sent.ALREADY)
            else:
                counted[token] = ballot
                results.append(Sent.COUNTED)
        if counted:
            self._session.cast_round_ballots(
                self.area_id, [(dict(b.ratings), dict(b.dots)) for b in counted.values()])
            self._spent.update(counted)
        return results

    def cast(self, token: Any, ratings: Any, dots: Any) -> Sent:
        """Count one phone's ballot, committed before this returns (see `prepare`)."""
        prepared = self.prepare(token, ratings, dots)
        if isinstance(prepared, Sent):
            return prepared
        return self.commit([(token, prepared)])[0]

    # a phone with a voting slip -----------------------------------------------------------

    def slip_state(self, slip: Any) -> SlipState:
        """What a slip code, as typed or scanned, is worth in this round (nothing changes).

        `UNKNOWN` for anything that is not a slip of this session, malformed ones included.
        """
        self._refuse_if_closed()
        if not self.slips:
            raise KitError("room.no_slips_round")
        code = normalise_slip(slip)
        if code is None:
            return SlipState.UNKNOWN
        state: SlipState = self._slips().slip_state(self.area_id, code)
        return state

    def check_slip(self, slip: Any) -> str:
        """The slip's code as printed (`ABCD-EFGH`) if a ballot may be sent with it now;
        else `KitError`: `room.wrong_slip`, `room.slip_other_area`, `room.slip_spent`."""
        state = self.slip_state(slip)
        if state is not SlipState.GOOD:
            raise KitError(_SLIP_REFUSALS[state])
        return format_slip(str(normalise_slip(slip)))

    def cast_slip(self, slip: Any, send: Any, ratings: Any, dots: Any) -> Sent:
        """Count a ballot sent with a voting slip, the slip spent with it in one transaction
        committed before this returns. `send` is the page's own id of this ballot: the same
        `send` again answers `ALREADY`, anyone else's `room.slip_spent`. Raises `KitError`
        (nothing counted, the slip unchanged) for a closed round, a round without slips, a
        slip that is wrong, spent or for another area, or a ballot the box refuses."""
        self._refuse_if_closed()
        if not self.slips:
            raise KitError("room.no_slips_round")
        code = normalise_slip(slip)
        if code is None:
            raise KitError("room.wrong_slip")
        send = check_send(send)
        state = self._slips().slip_state(self.area_id, code)
        if state is SlipState.UNKNOWN or state is SlipState.OTHER_AREA:
            raise KitError(_SLIP_REFUSALS[state])
        holder = self._box_session
        holder.slip, holder.counted = (code, send), True
        try:
            result = self.box.cast(Ballot(ratings, dots))
        finally:
            holder.slip = None
        if result.blank:
            return Sent.BLANK  # nothing counted: the slip is still good
        self.box.begin_next()  # nothing of it is kept for taking back
        return Sent.COUNTED if holder.counted else Sent.ALREADY

    def slips_left(self) -> int:
        """Slips printed for this area that are not spent yet (0 in a round without slips)."""
        return self._slips().slip_counts(self.area_id)[1] if self.slips else 0

    def _slips(self) -> SlipSession:
        return self._session  # type: ignore[return-value]

    # the facilitator ----------------------------------------------------------------------

    def close(self) -> int:
        """End the round: its ballots join the area's totals; how many there were."""
        if self.closed:
            return 0
        self.closed = True
        self.box.close()
        self._issued.clear()
        self._spent.clear()
        held = self._session.close_round(self.area_id)
        if self.slips:
            self._slips().set_slip_round(self.area_id, False)
        return held

    def _refuse_if_closed(self) -> None:
        if self.closed:
            raise KitError("room.round_closed")
