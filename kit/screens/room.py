"""The phone round on the projector: the room scans a QR code and votes from its own phones.

The facilitator opens it from the area screen. The screen picks the laptop's address (asking
when there are several networks, remembering the answer for the session), opens the area's
`PhoneRound` and starts the small web server in the app's own event loop. The wall then shows
the QR code of the join address, the address in words, the join code in big letters, three
steps, the area timer and how many ballots have come in (never what they say).

Keys: digits and Enter (or + and −) set how many people are present; Enter closes the round
(a second Enter confirms), its ballots join the area's secret-ballot totals and one key goes
back. Esc asks first: Enter closes, a second Esc leaves the round open in the store with its
ballots (the server stops: it runs only while this screen is up) and opening the screen again
carries on with the same round, and within the same run of the app with the same code.
"""

from __future__ import annotations

import errno
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from kit.errors import KitError
from kit.screens.base import Command, ProjectorScreen
from kit.screens.timed import TimerKeys
from kit.widgets.blocks import code_matrix, fit_qr, half_blocks, scaled, with_quiet_zone
from kit.widgets.keys import KeyBar
from kit.widgets.rowlist import RowList

if TYPE_CHECKING:
    from kit.room.round import PhoneRound

PORT = 8765
LOOPBACK = "127.0.0.1"
MAX_TYPED = 5  # digits of the number present (PhoneRound takes up to 10,000)
INFO_WIDTH = 44  # the address, the code and the steps beside the QR code, at the least


class RoomServerLike(Protocol):
    """What the screen needs of `kit.room.server.RoomServer` (tests pass a fake one)."""

    @property
    def url(self) -> str | None: ...

    @property
    def running(self) -> bool: ...

    async def start(self, host: str, port: int = PORT) -> str: ...

    async def stop(self) -> None: ...


# (round, language, summary) -> server; `summary` gives the sheet's PDF once it is offered.
ServerFactory = Callable[..., RoomServerLike]


def real_server(round_: PhoneRound, lang: str,
                summary: Callable[[], bytes | None] | None = None) -> RoomServerLike:
    """The phone room's web server for this round (aiohttp, imported only when needed)."""
    from kit.room.server import STATIC_DIR, RoomServer

    return RoomServer(round_, lang=lang, static_dir=STATIC_DIR, summary=summary)


@dataclass
class _Memory:
    """What the app remembers of the phone room between openings of this screen."""

    addresses: dict[str, str] = field(default_factory=dict)  # session id -> chosen address
    # Rounds left open this run: coming back keeps the code, so the room's pages carry on.
    rounds: dict[tuple[str, str], PhoneRound] = field(default_factory=dict)


_MEMORY: weakref.WeakKeyDictionary[Any, _Memory] = weakref.WeakKeyDictionary()


def memory(app: Any) -> _Memory:
    """The phone room's memory of this app object (gone with the app)."""
    found = _MEMORY.get(app)
    if found is None:
        found = _MEMORY[app] = _Memory()
    return found


class _Body(Horizontal):
    """The QR code and the words beside it; tells its screen when its size changes."""

    def on_resize(self, event: events.Resize) -> None:
        screen = self.screen
        if isinstance(screen, RoomScreen):
            screen.draw()


class RoomScreen(TimerKeys, ProjectorScreen):
    """The phone round of one area, on the wall; the facilitator's keys on the laptop."""

    HELP = "help.room"
    # Several bindings share Enter and Esc: `check_action` leaves the one for the state.
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("enter", "pick_address", "key.room_pick"),
        Binding("enter", "save_present", "key.room_save_present"),
        Binding("enter", "close_round", "key.room_close"),
        Binding("enter", "done", "key.room_done"),
        Binding("escape", "clear_present", "key.room_clear"),
        Binding("escape", "cancel_close", "key.room_keep_open"),
        Binding("escape", "leave_open", "key.room_leave_open"),
        Binding("escape", "ask_leave", "key.back"),
        Binding("escape", "done", "key.room_done", show=False),
        *(Binding(str(n), f"digit({n})", "", show=False) for n in range(10)),  # the + key says
        Binding("plus", "present(1)", "key.room_present", key_display="0–9 + −"),
        Binding("minus", "present(-1)", "", show=False),
        Binding("backspace", "erase", "key.erase", show=False),
        Binding("r", "retry", "key.room_retry"),
        Binding("o", "offer_summary", "key.room_offer"),
        Binding("space", "timer", "key.timer", key_display="key.space"),
        Binding("m", "add_time", "key.add_time"),
    ]

    def __init__(self, area_id: str, *, server_factory: ServerFactory | None = None,
                 code: str | None = None, port: int = PORT, slips: bool = False) -> None:
        self.area_id = area_id
        self.slips = slips  # a strict vote: only printed voting slips' codes vote
        self.server_factory = server_factory or real_server
        self.code = code  # None: the round's own random code
        self.port = port
        # choosing -> starting -> open <-> closing / leaving -> closed (-> making -> offering:
        # the summary sheet for the phones); failed
        self.state = "starting"
        self.round: PhoneRound | None = None
        self.server: RoomServerLike | None = None
        self.url: str | None = None
        self.address: str | None = None
        self.loopback_only = False
        self.problem = ""  # why the server did not start, in the user's words
        self.typed = ""  # digits of the number present, before Enter
        self.closed_count = 0
        self.summary_pdf: bytes | None = None  # built when offered after closing
        self._choices: list[str] = []
        self._shown: dict[str, object] = {}
        self._qr_for: str | None = None
        self._qr: list[list[bool]] = []
        self._gone = False  # left, or leaving: a server that finishes starting stops again
        super().__init__()

    # layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="room-head"):
            with Vertical(id="room-heading"):
                yield Static(id="room-title")
                yield Static(Text(self.t("phone.kind")), id="room-kind")
            yield self.timer_display(show_keys=False, id="room-timer")
        with _Body(id="room-body"):
            with Vertical(id="room-left"):
                yield Static(id="room-qr")
                yield Static(id="room-note")
            with Vertical(id="room-info"):
                yield Static(id="room-address")
                yield Static(id="room-code")
                yield Static(Text(self.t("phone.steps")), id="room-steps")
                yield Static(id="room-count")
                yield Static(id="room-message")
            with Vertical(id="room-choose"):
                yield Static(Text(self.t("phone.choose")), id="room-choose-title")
                yield RowList(id="room-addresses")
            yield Static(id="room-closed")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        area = self.kit.snapshot().deck.area(self.area_id)
        self.query_one("#room-title", Static).update(
            Text(f"{area.symbol}  {area.title(self.lang).upper()}", style="bold"))
        self.set_interval(0.25, self.refresh_count)
        self.show()
        self.begin()

    # opening: the address, the round, the server ----------------------------------------------

    def begin(self) -> None:
        """Pick the address (asking if there are several networks), then start."""
        from kit.room import addresses as net

        self.state = "starting"
        found = list(net.local_addresses())
        outside = [a for a in found if not net.is_loopback(a)]
        printed = self._slip_address()
        if printed is not None and printed[0] in found:  # where the slips' QR codes point
            self.port = printed[1]
            self.use_address(found, printed[0])
            return
        remembered = memory(self.kit).addresses.get(self.kit.session_id or "")
        wanted = remembered if remembered in outside else None  # the network may be gone
        if len(outside) > 1 and wanted is None:
            self._choices = found
            self.query_one("#room-addresses", RowList).set_rows(
                [(a, Text(a)) for a in outside])
            self.state = "choosing"
            self.show()
            self.query_one("#room-addresses", RowList).focus()
            return
        self.use_address(found, wanted)

    def use_address(self, found: list[str], wanted: str | None) -> None:
        from kit.room import addresses as net

        try:
            address, self.loopback_only = net.choose_address(found, wanted)
        except KitError as error:
            self._failed(error.message(self.lang))
            return
        self.address = LOOPBACK if self.loopback_only else address
        self.state = "starting"
        self.show()
        self.run_worker(self.start_server(), group="room", exclusive=True)

    async def start_server(self) -> None:
        """Open (or carry on with) the round and serve it on the chosen address."""
        from kit.room.round import PhoneRound

        assert self.address is not None
        try:
            if self.round is None:
                self.round = self._remembered_round() or PhoneRound(
                    self.kit.session, self.area_id, code=self.code, slips=self.slips)
                memory(self.kit).rounds[self._key()] = self.round
            if self.server is None:
                self.server = self.server_factory(self.round, self.lang,
                                                  summary=self._summary)
            self.url = await self.server.start(self.address, self.port)
        except KitError as error:
            if error.key == "room.port_taken":  # its own words name a command-line option
                self._failed(self.t("phone.start_failed", reason=self.t(
                    "phone.reason.ports_taken", **error.params)))
            else:
                self._failed(error.message(self.lang))
        except OSError as error:
            self._failed(self.t("phone.start_failed", reason=self._reason(error)))
        except Exception as error:  # a bug, not the room's: a log, one line, and go on
            from kit.crash import log_unexpected

            self._failed(self.t("phone.start_failed", reason=self.t(
                "phone.reason.bug", log=log_unexpected(error))))
        else:
            if self._gone:  # left while it was starting: it must not stay up unseen
                await self.stop_server()
                return
            self.problem = ""
            self.state = "open"
            self.show()

    def _slip_address(self) -> tuple[str, int] | None:
        """Where the printed slips' QR codes point, for a round with slips (asked for, or left
        open with them: a strict vote stays strict); None otherwise."""
        handle = self.kit.session
        left_open = handle.round_count(self.area_id) is not None
        if not (self.slips or (left_open and handle.slip_round(self.area_id))):
            return None
        return handle.slip_address()

    def _remembered_round(self) -> PhoneRound | None:
        kept = memory(self.kit).rounds.get(self._key())
        if kept is None or kept.closed or self.kit.session.round_count(self.area_id) is None:
            return None  # closed since (another window, or the laptop's own ballot)
        return kept

    def _key(self) -> tuple[str, str]:
        return (self.kit.session_id or "", self.area_id)

    def _reason(self, error: OSError) -> str:
        if error.errno == errno.EADDRINUSE:
            return self.t("phone.reason.in_use", port=self.port)
        if error.errno in (errno.EACCES, errno.EPERM):
            return self.t("phone.reason.denied", port=self.port)
        if error.errno == errno.EADDRNOTAVAIL:
            return self.t("phone.reason.no_address", address=self.address or "")
        return error.strerror or str(error)

    def _failed(self, line: str) -> None:
        self.problem = line
        self.state = "failed"
        self.show()

    async def stop_server(self) -> None:
        server = self.server
        if server is not None and server.running:
            await server.stop()

    async def on_unmount(self) -> None:
        # Leaving by any way (the app quitting, the session closed): nothing serves any more.
        self._gone = True
        await self.stop_server()

    # drawing ----------------------------------------------------------------------------------

    def show(self) -> None:
        """Draw the state; the count follows on its own (`refresh_count`)."""
        state = self.state
        serving = state in ("open", "closing", "leaving", "offering")
        info = state in ("starting", "open", "closing", "leaving", "failed", "making", "offering")
        self._display("#room-choose", state == "choosing")
        self._display("#room-closed", state == "closed")
        self._display("#room-info", info)
        qr = serving and not self.loopback_only
        note = state == "failed" or (serving and self.loopback_only)
        self._display("#room-left", qr or note)
        self._display("#room-qr", qr)
        self._display("#room-note", note)
        self._display("#room-address", serving)
        self._display("#room-code", serving)
        self._display("#room-steps", serving and state != "offering")
        if state == "failed":
            self._update("#room-note", Text(self.problem + "\n\n" + self.t("phone.retry")))
        elif self.loopback_only:
            self._update("#room-note", Text(self.t("phone.no_network")))
        if state == "closed":
            self._update("#room-closed", Text(
                self.t("phone.closed", n=self.closed_count) + "\n\n" + self.t("phone.closed_keys")
                + "\n" + self.t("phone.offer_hint")))
        if serving and self.url:
            self._update("#room-address", Text(self.url, style="bold"))
        messages = {"starting": "phone.starting", "closing": "phone.confirm_close",
                    "leaving": "phone.confirm_leave", "offering": "phone.offering",
                    "making": "phone.making_summary"}
        if state in messages:
            count = self.round.count if self.round is not None else 0
            message = Text(self.t(messages[state], n=count), style="bold")
        elif self.typed:
            message = Text(self.t("phone.typing", typed=self.typed), style="bold")
        else:
            message = Text("")
        self._update("#room-message", message)
        self.set_class(state in ("closing", "leaving"), "-asking")
        self.refresh_count()
        self.draw()
        self.refresh_bindings()

    def draw(self) -> None:
        """The QR code and the join code as large as the window lets them be."""
        if self.url is None or self.state not in ("open", "closing", "leaving", "offering"):
            return
        if self._qr_for != self.url:
            from kit.exports.qr import qr_matrix

            self._qr_for, self._qr = self.url, with_quiet_zone(qr_matrix(self.url))
        body = self.query_one("#room-body").size
        width, height = body.width or self.size.width, body.height or self.size.height
        if not self.loopback_only:
            lines = fit_qr(self._qr, max(1, width - INFO_WIDTH - 2), max(1, height))
            self._update("#room-qr", Text("\n".join(lines), no_wrap=True))
            left = len(lines[0]) + 2
        else:
            left = 38  # the note and its margin
        code = self.round.code if self.round is not None else ""
        big = code_matrix(code)
        factor = 2 if width - left >= 2 * len(big[0]) + 2 and height >= 20 else 1
        self._update("#room-code", Text("\n".join(half_blocks(scaled(big, factor))),
                                        no_wrap=True))

    def refresh_count(self) -> None:
        """Ballots in so far (a number only), four times a second."""
        if self.round is None or self.state in ("choosing", "closed", "making", "offering"):
            self._display("#room-count", False)
            return
        count = self.round.count
        present = self.round.present
        if present is None:
            words = self.t("phone.count", n=count)
        else:
            words = self.t("phone.count_present", n=count, present=present)
        self._display("#room-count", True)
        self._update("#room-count", Text(words, style="bold"))

    def _update(self, selector: str, content: Text) -> None:
        # Four times a second: touch a widget only when its words change.
        if self._shown.get(selector) != content.plain:
            self._shown[selector] = content.plain
            self.query_one(selector, Static).update(content)

    def _display(self, selector: str, shown: bool) -> None:
        widget = self.query_one(selector)
        if widget.display != shown:
            widget.display = shown

    # keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.state
        live = state in ("open", "failed")  # a round to set, close or leave
        if action == "pick_address":
            return state == "choosing"
        if action in ("save_present", "clear_present", "erase"):
            return live and bool(self.typed)
        if action == "close_round":
            return (live and not self.typed) or state in ("closing", "leaving")
        if action == "ask_leave":
            return (live and not self.typed) or state in ("choosing", "starting")
        if action in ("digit", "present"):
            return state == "open"
        if action == "cancel_close":
            return state == "closing"
        if action == "leave_open":
            return state == "leaving"
        if action == "done":
            return state in ("closed", "offering")
        if action == "offer_summary":
            return state == "closed"
        if action == "retry":
            return state == "failed" or (state == "open" and self.loopback_only)
        return True

    @on(RowList.Picked)
    def picked(self) -> None:
        self.action_pick_address()

    def action_pick_address(self) -> None:
        chosen = self.query_one("#room-addresses", RowList).chosen
        if chosen is None:
            return
        memory(self.kit).addresses[self.kit.session_id or ""] = chosen
        self.use_address(self._choices, chosen)

    def action_digit(self, n: int) -> None:
        if len(self.typed) < MAX_TYPED:
            self.typed = (self.typed + str(n)).lstrip("0") or "0"
        self.show()

    def action_erase(self) -> None:
        self.typed = self.typed[:-1]
        self.show()

    def action_clear_present(self) -> None:
        self.typed = ""
        self.show()

    def action_save_present(self) -> None:
        typed, self.typed = self.typed, ""
        self._set_present(int(typed))

    def action_present(self, step: int) -> None:
        if self.round is not None:
            self._set_present((self.round.present or 0) + step)

    def _set_present(self, people: int) -> None:
        """The number present; 0 (or below) means not given."""
        if self.round is None:
            return
        try:
            self.round.set_present(people if people > 0 else None)
        except KitError as error:
            self.fail(error)
        self.show()

    async def action_close_round(self) -> None:
        """Ask first; on the second Enter, close: the ballots join the area's totals."""
        if self.state in ("open", "failed"):
            self.state = "closing"
            self.show()
            return
        if self.round is None:  # nothing was opened (the round could not be made)
            await self.stop_server()
            self.kit.back()
            return
        try:
            self.closed_count = self.round.close()
        except KitError as error:
            # The round object is spent; the store still holds the ballots: start again.
            memory(self.kit).rounds.pop(self._key(), None)
            await self.stop_server()
            self.round = self.server = None
            self._failed(error.message(self.lang))
            return
        memory(self.kit).rounds.pop(self._key(), None)
        await self.stop_server()
        self.state = "closed"
        self.show()

    def action_cancel_close(self) -> None:
        self.state = "failed" if self.problem else "open"
        self.show()

    async def action_ask_leave(self) -> None:
        if self.state in ("choosing", "starting") or self.round is None:
            await self.leave()
            return
        self.state = "leaving"
        self.show()

    async def action_leave_open(self) -> None:
        """Back to the area; the round stays open in the store with its ballots."""
        await self.leave()

    async def action_done(self) -> None:
        await self.leave()

    def _summary(self) -> bytes | None:
        """The summary sheet for the phones, once the facilitator has offered it."""
        return self.summary_pdf

    async def action_offer_summary(self) -> None:
        """After closing: serve the summary sheet on the same address and code, so people
        can save it on their phones ("Lataa yhteenveto"), until the facilitator leaves."""
        from kit.report import build_report

        self.state = "making"
        self.show()
        report = build_report(self.kit.snapshot())  # here: the store is this thread's
        self.run_worker(lambda: self._made(report), thread=True, group="room-summary")

    def _made(self, report: Any) -> None:
        import io

        from kit.exports.summary import build_summary

        out = io.BytesIO()
        build_summary(report, out, lang=self.lang)
        self.summary_pdf = out.getvalue()
        self.app.call_from_thread(self.run_worker, self._serve_summary(), group="room")

    async def _serve_summary(self) -> None:
        assert self.round is not None and self.address is not None
        self.server = self.server_factory(self.round, self.lang, summary=self._summary)
        try:
            self.url = await self.server.start(self.address, self.port)
        except (KitError, OSError) as error:
            reason = error.message(self.lang) if isinstance(error, KitError) else str(error)
            self._failed(self.t("phone.start_failed", reason=reason))
            return
        if self._gone:
            await self.stop_server()
            return
        self.state = "offering"
        self.show()

    async def leave(self) -> None:
        self._gone = True
        await self.stop_server()
        self.kit.back()

    async def action_retry(self) -> None:
        """Start again: the address looked up anew (a network may have come), same round."""
        await self.stop_server()
        self.server = None
        self.url = None
        self.problem = ""
        self.begin()

    def palette(self) -> list[Command]:
        commands: list[Command] = []
        if self.state in ("open", "failed"):
            commands.append((self.t("cmd.room_close"), self.t("cmd.room_close.help"),
                             lambda: self.run_action("close_round")))
        if self.check_action("retry", ()):
            commands.append((self.t("cmd.room_retry"), self.t("cmd.room_retry.help"),
                             lambda: self.run_action("retry")))
        if self.state == "closed":
            commands.append((self.t("key.room_done"), self.t("cmd.room_done.help"),
                             lambda: self.run_action("done")))
        else:
            commands.append((self.t("cmd.room_leave"), self.t("cmd.room_leave.help"),
                             lambda: self.run_action("ask_leave")))
        commands += [
            (self.t("cmd.timer"), self.t("cmd.timer.help"), self.action_timer),
            (self.t("cmd.add_time"), self.t("cmd.add_time.help"), self.action_add_time),
        ]
        return commands
