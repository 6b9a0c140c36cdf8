"""The phone round screen: the address, the server's life, the count, closing and leaving.

Most tests inject a fake server (it opens no socket); the real `RoomServer` listens on
127.0.0.1 only, on a port the system picks. The screen is read as text off the screen; the
round's ballots are cast straight through `PhoneRound`, as the web server would.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.pilot import Pilot

from kit.app import WorkshopApp
from kit.demo import create_demo
from kit.errors import KitError
from kit.i18n import catalogue, t
from kit.room import addresses as net
from kit.room.round import PhoneRound
from kit.screens import room as room_screen
from kit.screens.area import AreaScreen
from kit.screens.room import RoomScreen
from kit.store import Store
from kit.widgets.blocks import code_matrix, fit_qr

AREA = "osallisuus"
CODE = "K7Q4"
LAN = "192.168.8.20"
KIT = Path(__file__).resolve().parent.parent / "kit"


class FakeServer:
    """Stands in for `RoomServer`: says where it would listen, opens nothing."""

    made: ClassVar[list[FakeServer]] = []

    def __init__(self, round_: PhoneRound, lang: str,
                 summary: Callable[[], bytes | None] | None = None) -> None:
        self.round = round_
        self.lang = lang
        self.summary = summary
        self.running = False
        self.url: str | None = None
        self.starts: list[tuple[str, int]] = []
        self.fail_with: BaseException | None = None
        FakeServer.made.append(self)

    async def start(self, host: str, port: int = 8765) -> str:
        self.starts.append((host, port))
        if self.fail_with is not None:
            raise self.fail_with
        self.running = True
        self.url = f"http://{host}:{port}/{self.round.code}"
        return self.url

    async def stop(self) -> None:
        self.running = False
        self.url = None


@pytest.fixture(autouse=True)
def fresh_fakes() -> None:
    FakeServer.made = []


def on_network(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    """This machine's addresses, as `local_addresses` would list them."""
    monkeypatch.setattr(net, "local_addresses", lambda: [*addresses, "127.0.0.1"])


def make_app(data_dir: Path, lang: str = "fi") -> tuple[WorkshopApp, str]:
    with Store(data_dir) as store:
        session = create_demo(store, lang)
        store.session(session).record_step("area", AREA)
    app = WorkshopApp(data_dir=data_dir, lang=lang, session_id=session,
                      clock=lambda: 5000.0, wall=lambda: 1_805_000_000.0,
                      today=lambda: dt.date(2027, 3, 12))
    return app, session


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_room(pilot: Pilot[Any], **kwargs: Any) -> RoomScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, AreaScreen)
    kwargs.setdefault("server_factory", FakeServer)
    kwargs.setdefault("code", CODE)
    screen = RoomScreen(AREA, **kwargs)
    pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def screen_text(app: WorkshopApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def shown_in(app: WorkshopApp, selector: str) -> str:
    """The words inside one widget as the screen shows them, wrapped lines joined."""
    widget = app.screen.query_one(selector)
    lines = screen_text(app).splitlines()
    region = widget.content_region
    return " ".join(" ".join(line[region.x:region.right] for line in
                             lines[region.y:region.bottom]).split())


def words(key: str, **params: Any) -> str:
    text = catalogue("fi")[f"{key}.one" if params.get("n") == 1 else key]
    return str(text).format(**params) if params else str(text)


def cast(room: PhoneRound, n: int) -> None:
    practice = room.box.practices[0].id
    level = room.box.levels[0].id
    for _ in range(n):
        room.cast(room.issue_token(), {practice: level}, {})


# --- opening ---------------------------------------------------------------------------------


async def test_opening_starts_the_server_on_the_one_network(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    app, session = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_room(pilot)
        (server,) = FakeServer.made
        assert server.starts == [(LAN, 8765)] and server.running
        assert screen.state == "open" and app.theme == "tyopaja-projector"
        assert app.store.session(session).round_count(AREA) == 0  # the round is open
        text = screen_text(app)
        assert f"http://{LAN}:8765/{CODE}" in text
        assert "OSALLISUUS" in text and words("phone.kind") in text
        for step in words("phone.steps").splitlines():
            assert step in text
        assert words("phone.count", n=0) in text
        assert "█" in screen.query_one("#room-qr").render().plain  # the QR code is drawn


async def test_only_loopback_says_phones_cannot_join(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch)
    app, _ = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_room(pilot)
        (server,) = FakeServer.made
        assert server.starts == [("127.0.0.1", 8765)] and server.running
        assert screen.loopback_only and not screen.query_one("#room-qr").display
        assert " ".join(words("phone.no_network").split()) in shown_in(app, "#room-note")
        # Once the laptop is on the venue's Wi-Fi, r tries again: same round, the network.
        on_network(monkeypatch, LAN)
        await pilot.press("r")
        await settle(pilot)
        assert not server.running and FakeServer.made[-1].starts == [(LAN, 8765)]
        assert FakeServer.made[-1].round is server.round
        assert screen.query_one("#room-qr").display and not screen.loopback_only


async def test_several_networks_ask_once_a_session(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN, "10.0.0.5")
    app, _ = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_room(pilot)
        assert screen.state == "choosing" and FakeServer.made == []
        text = screen_text(app)
        assert LAN in text and "10.0.0.5" in text and "127.0.0.1" not in text
        await pilot.press("down", "enter")
        await settle(pilot)
        assert FakeServer.made[0].starts == [("10.0.0.5", 8765)]
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        screen = await open_room(pilot)  # remembered: not asked again
        assert screen.state == "open" and FakeServer.made[-1].starts == [("10.0.0.5", 8765)]


async def test_a_server_that_cannot_start_is_one_line_and_a_retry(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)

    class Refusing(FakeServer):
        def __init__(self, round_: PhoneRound, lang: str, **kwargs: Any) -> None:
            super().__init__(round_, lang, **kwargs)
            if len(FakeServer.made) == 1:
                self.fail_with = KitError("room.port_taken", first=8765, last=8775)
            elif len(FakeServer.made) == 2:
                self.fail_with = OSError(errno.EACCES, "Permission denied")

    app, _ = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_room(pilot, server_factory=Refusing)
        assert screen.state == "failed"
        line = words("phone.start_failed", reason=words("phone.reason.ports_taken",
                                                        first=8765, last=8775))
        assert line in shown_in(app, "#room-note")
        assert "Traceback" not in screen_text(app)
        await pilot.press("r")
        await settle(pilot)
        assert screen.state == "failed"
        assert words("phone.reason.denied", port=8765) in shown_in(app, "#room-note")
        await pilot.press("r")
        await settle(pilot)
        assert screen.state == "open" and FakeServer.made[-1].running
        assert len({server.round for server in FakeServer.made}) == 1  # one round throughout


# --- while it is open ------------------------------------------------------------------------


async def test_the_count_follows_the_round_and_the_number_present(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    app, _ = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_room(pilot)
        room = screen.round
        assert room is not None
        cast(room, 3)
        await pilot.pause(0.6)  # refreshed four times a second
        assert words("phone.count", n=3) in screen_text(app)
        await pilot.press("2", "0")
        assert words("phone.typing", typed="20") in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert room.present == 20 and screen.state == "open"
        assert words("phone.count_present", n=3, present=20) in screen_text(app)
        assert "/ 20" in screen_text(app)
        cast(room, 1)
        await pilot.press("plus", "plus", "minus")
        await pilot.pause(0.6)
        assert words("phone.count_present", n=4, present=21) in screen_text(app)
        await pilot.press("0", "enter")  # 0: not given
        await pilot.pause()
        assert room.present is None and "/ " not in screen.query_one("#room-count").render().plain
        await pilot.press("5", "escape")  # Esc drops the digits, asks nothing
        assert screen.state == "open" and room.present is None and screen.typed == ""


async def test_nothing_of_the_ballots_is_on_screen(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    app, _ = make_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_room(pilot)
        assert screen.round is not None
        before = screen_text(app)
        cast(screen.round, 2)
        await pilot.pause(0.6)
        after = screen_text(app)
        changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(),
                                          strict=True) if a != b]
        assert len(changed) == 1 and words("phone.count", n=2) in changed[0][1]


# --- closing and leaving ---------------------------------------------------------------------


async def test_enter_twice_closes_the_round_into_the_totals(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    app, session = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        before = app.snapshot().ballot_totals(AREA).ballots
        screen = await open_room(pilot)
        assert screen.round is not None
        cast(screen.round, 2)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.state == "closing" and FakeServer.made[0].running
        assert " ".join(words("phone.confirm_close", n=2).split()) in shown_in(
            app, "#room-message")
        await pilot.press("escape")  # not yet
        assert screen.state == "open"
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert screen.state == "closed" and not FakeServer.made[0].running
        assert words("phone.closed", n=2) in screen_text(app)
        handle = app.store.session(session)
        assert handle.round_count(AREA) is None
        assert app.snapshot().ballot_totals(AREA).ballots == before + 2
        await pilot.press("enter")  # one key back
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        assert app.theme == "tyopaja-dark"


async def test_after_closing_the_summary_sheet_is_offered_on_the_same_address(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    app, _ = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_room(pilot)
        assert screen.round is not None
        cast(screen.round, 1)
        assert FakeServer.made[0].summary is not None and FakeServer.made[0].summary() is None
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert screen.state == "closed" and words("phone.offer_hint") in screen_text(app)
        await pilot.press("o")
        for _ in range(100):  # the sheet is made in a thread
            await settle(pilot)
            if screen.state == "offering":
                break
        assert screen.state == "offering"
        offered = FakeServer.made[-1]
        assert offered is not FakeServer.made[0] and offered.running
        assert offered.starts == [(LAN, 8765)] and offered.url == f"http://{LAN}:8765/{CODE}"
        pdf = offered.summary() if offered.summary else None
        assert pdf is not None and pdf.startswith(b"%PDF")
        assert offered.url in screen_text(app)
        await pilot.press("escape")  # stop sharing: back to the area
        await settle(pilot)
        assert not offered.running and isinstance(app.screen, AreaScreen)


async def test_esc_twice_leaves_the_round_open_and_the_server_stopped(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    app, session = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        before = app.snapshot().ballot_totals(AREA).ballots
        screen = await open_room(pilot, code=None)
        room = screen.round
        assert room is not None
        cast(room, 3)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.state == "leaving" and FakeServer.made[0].running
        assert " ".join(words("phone.confirm_leave").split()) in shown_in(app, "#room-message")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        assert not FakeServer.made[0].running
        handle = app.store.session(session)
        assert handle.round_count(AREA) == 3  # still open, its ballots kept apart
        assert app.snapshot().ballot_totals(AREA).ballots == before
        # Opened again: the same round and code (the room's pages carry on), its ballots kept.
        again = await open_room(pilot, code=None)
        assert again.round is room and FakeServer.made[-1].running
        await pilot.pause(0.6)
        assert words("phone.count", n=3) in screen_text(app)
        assert f"/{room.code}" in screen_text(app)
        # Esc then Enter closes after all.
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert again.state == "closed" and handle.round_count(AREA) is None
        assert app.snapshot().ballot_totals(AREA).ballots == before + 3


async def test_a_round_left_open_by_an_earlier_run_keeps_its_ballots(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    app, session = make_app(data_dir)
    with Store(data_dir) as store:
        earlier = PhoneRound(store.session(session), AREA)
        cast(earlier, 2)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_room(pilot)
        await pilot.pause(0.6)
        assert screen.round is not earlier and screen.round.count == 2  # type: ignore[union-attr]
        assert words("phone.count", n=2) in screen_text(app)


async def test_quitting_stops_the_server(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    app, session = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_room(pilot)
        assert FakeServer.made[0].running
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not FakeServer.made[0].running
    with Store(data_dir) as store:
        assert store.session(session).round_count(AREA) == 0  # left open, as on Esc Esc


async def test_the_palette_offers_closing_and_leaving(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    app, _ = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_room(pilot)
        titles = [title for title, _help, _do in app.palette_commands(screen)]
        assert words("cmd.room_close") in titles and words("cmd.room_leave") in titles
        assert app.check_action("command_palette", ()) is True  # not blocked here
        keys = screen.query_one("#keys").render().plain
        assert words("key.room_close") in keys and words("key.room_present") in keys
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*words("cmd.room_close"))
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.state == "closing"  # it asks, as Enter does


async def test_leaving_while_the_server_starts_leaves_nothing_running(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    on_network(monkeypatch, LAN)
    release = asyncio.Event()

    class Slow(FakeServer):
        async def start(self, host: str, port: int = 8765) -> str:
            url = await super().start(host, port)
            await release.wait()
            return url

    app, _ = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = RoomScreen(AREA, server_factory=Slow, code=CODE)
        app.push_screen(screen)
        await pilot.pause(0.1)
        assert screen.state == "starting"
        await pilot.press("escape")  # asks nothing: no round to leave open yet
        await pilot.pause(0.1)
        release.set()
        await settle(pilot)
        assert isinstance(app.screen, AreaScreen)
        assert not FakeServer.made[0].running


# --- the real server, on loopback -------------------------------------------------------------


async def test_the_real_server_runs_only_while_the_screen_is_up(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kit.room.server import RoomServer

    on_network(monkeypatch)  # loopback only: nothing listens on a network
    app, session = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_room(pilot, server_factory=None, code=None, port=0)
        server = screen.server
        assert isinstance(server, RoomServer) and server.running
        assert screen.round is not None and server.host == "127.0.0.1"
        assert server.url == f"http://127.0.0.1:{server.port}/{screen.round.code}"
        assert server.url in screen_text(app)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not server.running and isinstance(app.screen, AreaScreen)
        assert app.store.session(session).round_count(AREA) == 0
        screen = await open_room(pilot, server_factory=None, code=None, port=0)
        assert screen.server is not None and screen.server.running
        started = screen.server
    assert not started.running  # the app quit with the screen up


# --- sizes and words ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_address_and_the_code_are_whole_at_every_size(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    on_network(monkeypatch, "192.168.100.200")  # as long as an address gets
    app, _ = make_app(data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_room(pilot)
        text = screen_text(app)
        assert "http://192.168.100.200:8765/K7Q4" in text
        lines = text.splitlines()
        code = screen.query_one("#room-code")
        qr = screen.query_one("#room-qr")
        drawn = code.render().plain.splitlines()
        assert drawn[0].strip() and len(drawn) in (4, 7)  # 7 rows of pixels, 1 or 2 a row
        top, left = code.region.y, code.region.x
        for n, row in enumerate(drawn):  # every pixel of the big code is on screen
            assert lines[top + n][left:left + len(row)] == row
        assert qr.region.right <= code.region.x and qr.region.bottom <= size[1]
        assert len(qr.render().plain.splitlines()) <= qr.region.height
        for step in words("phone.steps").splitlines():
            assert step in text
        assert words("phone.count", n=0) in text
        for key in ("escape", "enter"):  # each question whole on screen, beside the code
            await pilot.press(key)
            await pilot.pause()
            asked = "phone.confirm_leave" if key == "escape" else "phone.confirm_close"
            assert " ".join(words(asked, n=0).split()) in shown_in(app, "#room-message")
            assert "http://192.168.100.200:8765/K7Q4" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            if key == "escape":
                await settle(pilot)
                screen = await open_room(pilot)


def test_the_big_font_and_the_qr_fit() -> None:
    from kit.exports.qr import qr_matrix
    from kit.room.round import CODE_ALPHABET
    from kit.widgets.blocks import with_quiet_zone

    matrix = code_matrix(CODE_ALPHABET)
    assert len(matrix) == 7 and len(matrix[0]) == 6 * len(CODE_ALPHABET) - 1
    assert all(any(row[6 * n:6 * n + 5] for row in matrix) for n in range(len(CODE_ALPHABET)))
    qr = with_quiet_zone(qr_matrix("http://192.168.100.200:8765/K7Q4"))
    assert len(fit_qr(qr, 33, 17)) == 17 and len(fit_qr(qr, 33, 17)[0]) == 33
    assert len(fit_qr(qr, 70, 34)[0]) == 66  # twice as large where it fits
    assert len(fit_qr(qr, 30, 15)) == 15  # a thinner quiet zone: the screen is light round it
    assert len(fit_qr(qr, 30, 13)) == 13
    assert len(fit_qr(qr, 20, 10)[0]) <= 20  # quarter blocks, the last resort


def test_every_word_the_screen_names_is_in_both_languages() -> None:
    """test_app_i18n reads keys by prefix; the screen's own `phone.*` keys are checked here."""
    source = (KIT / "screens" / "room.py").read_text("utf-8")
    named = set(re.findall(r"""["']((?:phone|key|cmd|help)\.[a-z_0-9.]+)["']""", source))
    assert "phone.kind" in named and "key.room_close" in named
    for lang in ("fi", "en"):
        app_toml = tomllib.loads((KIT / "locales" / lang / "app.toml").read_text("utf-8"))
        known = set(catalogue(lang))
        assert sorted(named - known) == [], lang
        assert {"key.room", "cmd.room", "cmd.room.help"} <= set(app_toml)  # for area.py


# --- snapshots (SVG, reviewed by eye) ---------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot(snap_compare: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                  size: tuple[int, int]) -> None:
    # Three ballots in, twenty people present; a fixed address and code.
    on_network(monkeypatch, LAN)
    app, _ = make_app(data_dir)

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await open_room(pilot)
        assert screen.round is not None
        cast(screen.round, 3)
        await pilot.press("2", "0", "enter")
        await pilot.pause(0.6)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_a_round_with_slips_is_served_where_the_slips_point(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_network(monkeypatch, LAN)
    monkeypatch.setattr(room_screen, "real_server", FakeServer)  # K opens the real screen
    app, session = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("K")  # no slips printed yet: one line, nothing opened
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RoomScreen) and screen.state == "failed"
        assert t("room.no_slips", "fi") in screen.problem
        assert app.store.session(session).round_count(AREA) is None
        await pilot.press("escape")
        await settle(pilot)
        app.store.session(session).make_slips(5, AREA, LAN, 8800)
        on_network(monkeypatch, "10.0.0.5", LAN)  # two networks: the slips' one, unasked
        await pilot.press("K")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RoomScreen) and screen.state == "open"
        assert screen.round is not None and screen.round.slips
        assert FakeServer.made[-1].starts == [(LAN, 8800)]
