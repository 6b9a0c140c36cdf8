"""The phone page in a real browser (Debian's Chromium) against the real room server.

A phone joins through the round's address, rates, gives dots, checks and sends; the round
counts it once however the network behaves. The page is also checked for what an elderly
participant on an old phone needs: big targets, no sideways scrolling at 320 px with the text
size doubled, their own language, deck texts shown as text and never as markup.

Set TYOPAJA_ROOM_SHOTS to a folder to keep screenshots of the views there.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import tomllib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import NetworkBlocked

import kit.room
from kit.deck import Deck, default_deck_path, load_deck
from kit.i18n import t
from kit.room.round import PhoneRound
from kit.room.server import RoomServer
from kit.store import SessionHandle, Store

CHROMIUM = Path("/usr/bin/chromium")
STATIC = Path(kit.room.__file__).resolve().parent / "static"
LOCALES = Path(kit.room.__file__).resolve().parent.parent / "locales"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = os.environ.get("TYOPAJA_ROOM_SHOTS")

# The real socket functions, taken before any test's network guard replaces them.
_CONNECT = socket.socket.connect
_CONNECT_EX = socket.socket.connect_ex
_CREATE_CONNECTION = socket.create_connection
_GETADDRINFO = socket.getaddrinfo
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _catalogue(lang: str) -> dict[str, str]:
    return tomllib.loads((LOCALES / lang / "room.toml").read_text("utf-8"))


FI, EN = _catalogue("fi"), _catalogue("en")


# ---- what needs no browser ------------------------------------------------------------------


def test_the_catalogues_have_the_same_keys_and_placeholders() -> None:
    assert set(FI) == set(EN)
    for key in FI:
        assert key.startswith("page."), key
        assert FI[key].strip() and EN[key].strip(), key
        assert set(re.findall(r"\{(\w+)\}", FI[key])) == set(
            re.findall(r"\{(\w+)\}", EN[key])), key
        if key.endswith(".one"):
            assert key[: -len(".one")] in FI, key
            assert "{n}" in FI[key] and "{n}" in FI[key[: -len(".one")]], key


def test_every_word_the_page_names_is_in_the_catalogue_and_every_entry_is_used() -> None:
    script = (STATIC / "room.js").read_text("utf-8")
    named = set(re.findall(r"""['"](page\.[a-z_.]+)['"]""", script))
    assert named and named <= set(FI), sorted(named - set(FI))
    unused = {k for k in FI if k not in named and k.removesuffix(".one") not in named}
    assert unused == set()


def test_the_page_is_plain_es5_with_nothing_from_the_net() -> None:
    script = (STATIC / "room.js").read_text("utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    for banned in ("=>", "`", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                   "fetch(", "import ", "export ", "async ", "await ", "Promise", "...",
                   "Object.assign", ".includes(", "Array.from", "Symbol"):
        assert banned not in code, banned
    assert not re.search(r"\b(let|const|class)\s", code)
    if shutil.which("node"):  # Node carries a JavaScript parser: read the script as ES5 only
        check = subprocess.run(
            ["node", "--expose-internals", "-e",
             "const acorn = require('internal/deps/acorn/acorn/dist/acorn');"
             "acorn.parse(require('fs').readFileSync(process.argv[1], 'utf8'),"
             " {ecmaVersion: 5}); console.log('ES5');", str(STATIC / "room.js")],
            capture_output=True, text=True, timeout=60)
        if "Cannot find module" not in check.stderr:
            assert check.returncode == 0 and check.stdout.strip() == "ES5", check.stderr
    page = (STATIC / "index.html").read_text("utf-8")
    assert '<html lang="' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    for name in ("index.html", "room.css", "room.js"):
        text = (STATIC / name).read_text("utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), name
        assert "@import" not in text and "url(" not in text, name


# ---- the server, the browser ----------------------------------------------------------------




@pytest.fixture
def loopback(no_network: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test suite's network guard, lifted for this machine's own loopback address only."""

    def on_loopback(address: Any) -> bool:
        return isinstance(address, tuple) and str(address[0]) in LOOPBACK

    def guard(original):  # type: ignore[no-untyped-def]
        def connect(self: socket.socket, address: Any, *args: Any) -> Any:
            if self.family == socket.AF_UNIX or on_loopback(address):
                return original(self, address, *args)
            raise NetworkBlocked(f"network access attempted: {address!r}")

        return connect

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        if on_loopback(address):
            return _CREATE_CONNECTION(address, *args, **kwargs)
        raise NetworkBlocked(f"network access attempted: {address!r}")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host) in LOOPBACK:
            return _GETADDRINFO(host, *args, **kwargs)
        raise NetworkBlocked(f"network access attempted: {host!r}")

    monkeypatch.setattr(socket.socket, "connect", guard(_CONNECT))
    monkeypatch.setattr(socket.socket, "connect_ex", guard(_CONNECT_EX))
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@dataclass
class Room:
    url: str
    round: PhoneRound
    handle: SessionHandle
    deck: Deck
    summary: dict[str, bytes | None]  # "pdf": what the facilitator offers, None until then


def _hostile_deck(tmp_path: Path) -> Deck:
    """The default deck with markup in an area title and in a practice text."""
    source = default_deck_path().read_text("utf-8")
    source = source.replace('title = { fi = "Osallisuus"',
                            'title = { fi = "Osallisuus <i>y</i>"', 1)
    source = source.replace(
        'fi = "Jäsenten kuunteleminen ja heiltä kysyminen"',
        'fi = "<b>x</b><script>window.pwned=1</script><img src=x onerror=window.pwned=2>"', 1)
    path = tmp_path / "hostile.toml"
    path.write_text(source, "utf-8")
    return load_deck(path)


async def _room(store: Store, deck: Deck, lang: str = "fi") -> AsyncIterator[Room]:
    handle = store.session(store.create_session(deck, lang=lang))
    phone_round = PhoneRound(handle, deck.areas[0].id)
    summary: dict[str, bytes | None] = {"pdf": None}
    server = RoomServer(phone_round, lang=lang, static_dir=STATIC,
                        summary=lambda: summary["pdf"])
    url = await server.start("127.0.0.1", 0)
    try:
        yield Room(url, phone_round, handle, deck, summary)
    finally:
        await server.stop()


@pytest.fixture
async def room(store: Store, deck: Deck, loopback: None) -> AsyncIterator[Room]:
    async for opened in _room(store, deck):
        yield opened


@pytest.fixture
async def hostile_room(store: Store, tmp_path: Path, loopback: None) -> AsyncIterator[Room]:
    async for opened in _room(store, _hostile_deck(tmp_path)):
        yield opened


@pytest.fixture
async def playwright() -> AsyncIterator[Any]:
    # A missing browser fails the test: ./test installs Debian's chromium.
    assert CHROMIUM.exists(), "no /usr/bin/chromium: run ./test (it installs chromium)"
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        yield pw


async def _phone(playwright: Any, profile: Path, width: int = 360, height: int = 640,
                 text_size: int = 16) -> Any:
    """A browser with a fresh profile (nothing stored), sized like a phone, with the browser's
    own text size setting (16 px is Chromium's default)."""
    if text_size != 16:
        (profile / "Default").mkdir(parents=True)
        (profile / "Default" / "Preferences").write_text(json.dumps({"webkit": {"webprefs": {
            "default_font_size": text_size, "default_fixed_font_size": text_size * 13 // 16}}}))
    return await playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=ARGS,
        headless=True, viewport={"width": width, "height": height}, has_touch=True,
        is_mobile=False, device_scale_factor=1)


@pytest.fixture
async def phone(playwright: Any, tmp_path: Path) -> AsyncIterator[Any]:
    context = await _phone(playwright, tmp_path / "phone")
    try:
        page = context.pages[0] if context.pages else await context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # the server's Content-Security-Policy refuses inline scripts and styles: none is used
        page.on("console", lambda message: errors.append(message.text)
                if "Content Security Policy" in message.text else None)
        yield page
        assert errors == []
    finally:
        await context.close()


async def _shot(page: Any, name: str, *, whole: bool = True) -> None:
    """The whole page from the top, or (whole=False) just what the screen shows now."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        if whole:
            await page.evaluate("window.scrollTo(0, 0)")
        await page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=whole)


def _button(page: Any, name: str) -> Any:
    return page.get_by_role("button", name=name, exact=True)


async def _heading(page: Any) -> str:
    return (await page.locator("#view-heading").inner_text()).strip()


async def _expect_heading(page: Any, text: str, timeout: float = 5_000) -> None:
    from playwright.async_api import expect

    await expect(page.locator("#view-heading")).to_have_text(text, timeout=timeout)


async def _stored_answers(page: Any, room: Room) -> str:
    """What the page keeps in localStorage about this round, but for the round's texts."""
    return await page.evaluate(
        "code => Object.keys(localStorage).filter(k => k.indexOf(code) >= 0"
        " && !/[.]round$/.test(k)).map(k => k + '=' + localStorage.getItem(k)).join(' ')",
        "tyopaja.room." + room.round.code)


async def _at(page: Any, number: int) -> None:
    """Wait until the page shows practice `number`."""
    await page.locator(".pos").filter(has_text=re.compile(rf"^{number} / ")).wait_for()


async def _rate_all(page: Any, room: Room, levels: list[str], shoot: bool = False) -> None:
    """From the start view: one level (by its id) per practice, in order."""
    from playwright.async_api import expect

    await _button(page, FI["page.intro.start"]).click()
    practices = room.round.area.practices
    for number, (practice, level_id) in enumerate(zip(practices, levels, strict=True), 1):
        await expect(page.locator(".pos")).to_have_text(f"{number} / {len(practices)}")
        await _expect_heading(page, practice.text.fi)
        if shoot and number == 2:
            await _shot(page, "1-practice")
        label = room.deck.level(level_id).label.fi
        await _button(page, label).click()
    await _expect_heading(page, f"{FI['page.dots.heading']} 3 pistettä")


async def _check_sizes(page: Any) -> None:
    """No sideways scrolling, and every button and link at least 48 px tall."""
    overflow = await page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert overflow[0] <= overflow[1], overflow
    for control in await page.locator("button:visible, a:visible").all():
        box = await control.bounding_box()
        assert box is not None and box["height"] >= 48, (await control.inner_text(), box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= overflow[1] + 0.5, box
        clipped = await control.evaluate("e => e.scrollHeight > e.clientHeight + 1")
        assert not clipped, await control.inner_text()


# ---- a phone votes --------------------------------------------------------------------------


async def test_a_phone_rates_gives_dots_checks_and_sends_once(room: Room, phone: Any) -> None:
    from playwright.async_api import expect

    page = phone
    area = room.round.area
    p = [x.id for x in area.practices]
    await page.goto(room.url)
    await _expect_heading(page, FI["page.intro.heading"])
    assert await page.evaluate("document.documentElement.lang") == "fi"
    await _check_sizes(page)
    await _shot(page, "0-intro")
    await _rate_all(page, room, ["hyvin", "kehitettava", "osittain", "en-tieda"], shoot=True)

    # three dots: two on the second practice, one on the third; a fourth is refused in words
    await expect(page.locator(".counter")).to_contain_text("○ ○ ○")
    second = page.locator(f'[data-f="give-{p[1]}"]')
    await second.click()
    await expect(page.locator(".counter")).to_contain_text("● ○ ○")
    await expect(page.locator(".counter")).to_contain_text("2 jäljellä")
    await second.click()
    await page.locator(f'[data-f="give-{p[2]}"]').click()
    await page.locator(f'[data-f="give-{p[3]}"]').click()
    note = page.locator(f'li:has([data-f="give-{p[3]}"]) .note')
    await expect(note).to_have_text(FI["page.dots.none_left"])
    await _shot(page, "2b-dots-as-seen", whole=False)
    await expect(page.locator(".counter")).to_contain_text("● ● ●")
    await expect(page.locator(".counter")).to_contain_text("0 jäljellä")
    await _check_sizes(page)
    await _shot(page, "2-dots")
    # take one back and give it again: still never more than three
    await page.locator(f'[data-f="take-{p[2]}"]').click()
    await expect(page.locator(".counter")).to_contain_text("1 jäljellä")
    await page.locator(f'[data-f="give-{p[2]}"]').click()

    await _button(page, FI["page.nav.next"]).click()
    await _expect_heading(page, FI["page.review.heading"])
    review = await page.locator(".review").first.inner_text()
    for practice, label in zip(area.practices, ("Toimii hyvin", "Kaipaa kehittämistä",
                                                "Toimii osittain", "En osaa sanoa"), strict=True):
        assert practice.card_id in review and label in review
    await _check_sizes(page)
    await _shot(page, "3-review")

    # the answers are kept as they are chosen: a reload loses nothing
    await page.reload()
    await _expect_heading(page, FI["page.review.heading"])
    assert await page.locator(".review").first.inner_text() == review

    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.thanks"])
    await _check_sizes(page)
    await _shot(page, "4-thanks")
    assert room.round.count == 1
    assert await page.locator("button:has-text('" + FI["page.send"] + "')").count() == 0

    # nothing of the answers is left on the phone: only that it has sent (and the round's
    # texts, kept for showing the thanks again without a network)
    stored = await _stored_answers(page, room)
    for practice_id in p:
        assert practice_id not in stored
    assert "kehitettava" not in stored and '"sent":true' in stored

    # the same page never sends a second ballot: a reload shows the thanks again
    await page.reload()
    await _expect_heading(page, FI["page.thanks"])
    assert await page.locator("button", has_text=FI["page.send"]).count() == 0
    assert room.round.count == 1

    assert room.round.close() == 1
    totals = room.handle.snapshot.ballot_totals(area.id)
    assert totals.ballots == 1
    assert totals.ratings == {(p[0], "hyvin"): 1, (p[1], "kehitettava"): 1,
                              (p[2], "osittain"): 1, (p[3], "en-tieda"): 1}
    assert totals.dots == {p[1]: 2, p[2]: 1}


async def test_sending_without_a_network_retries_until_the_ballot_arrives_once(
        room: Room, phone: Any) -> None:
    from playwright.async_api import expect

    page = phone
    await page.goto(room.url)
    await _rate_all(page, room, ["hyvin", "hyvin", "osittain", "hyvin"])
    await _button(page, FI["page.nav.next"]).click()

    arrived: list[str] = []

    async def no_network(route: Any) -> None:
        await route.abort("internetdisconnected")

    await page.route("**/api/ballot", no_network)
    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.retrying"])
    await expect(page.locator("[role=status]")).to_have_text(FI["page.kept"])
    await _check_sizes(page)
    await _shot(page, "9-retrying")
    assert room.round.count == 0
    # a ballot still waiting to be sent survives a reload, and is sent again on its own
    await page.reload()
    await _expect_heading(page, FI["page.retrying"])
    assert room.round.count == 0

    # the network comes back, but the first reply gets lost on the way: the ballot is counted,
    # the phone does not know it, sends again and is told "already"
    async def lose_reply(route: Any) -> None:
        arrived.append("ballot")
        response = await route.fetch()
        if len(arrived) == 1:
            assert json.loads(await response.text())["status"] == "counted"
            await route.abort("connectionreset")
        else:
            await route.fulfill(response=response)

    await page.unroute("**/api/ballot", no_network)
    await page.route("**/api/ballot", lose_reply)
    await _expect_heading(page, FI["page.thanks"], timeout=20_000)  # a retry every 4 s
    assert len(arrived) == 2
    assert room.round.count == 1
    room.round.close()
    assert room.handle.snapshot.ballot_totals(room.round.area_id).ballots == 1


async def test_going_offline_and_back_resends_when_online_fires(
        room: Room, phone: Any) -> None:
    page = phone
    await page.goto(room.url)
    await _rate_all(page, room, ["osittain", "osittain", "osittain", "osittain"])
    await _button(page, FI["page.nav.next"]).click()
    await page.context.set_offline(True)
    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.retrying"])
    assert room.round.count == 0
    await page.wait_for_timeout(1_000)
    await page.context.set_offline(False)  # the "online" event: sent at once, not in 4 s
    await _expect_heading(page, FI["page.thanks"], timeout=2_500)
    assert room.round.count == 1


async def test_an_unknown_token_is_replaced_and_the_ballot_sent_again(
        room: Room, phone: Any) -> None:
    page = phone
    tokens: list[str] = []

    async def stale_first(route: Any) -> None:
        tokens.append("asked")
        if len(tokens) == 1:  # as if the laptop had restarted since this token was given
            await route.fulfill(status=200, content_type="application/json",
                                body='{"token": "from-before-a-restart"}')
        else:
            await route.continue_()

    await page.route("**/api/token", stale_first)
    await page.goto(room.url)
    await _rate_all(page, room, ["hyvin", "hyvin", "hyvin", "hyvin"])
    await _button(page, FI["page.nav.next"]).click()
    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.thanks"])
    assert len(tokens) == 2 and room.round.count == 1


async def test_a_blank_ballot_is_not_sent(room: Room, phone: Any) -> None:
    page = phone
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if "api/ballot" in r.url else None)
    await page.goto(room.url)
    await _button(page, FI["page.intro.start"]).click()
    for _ in room.round.area.practices:
        await _button(page, FI["page.nav.skip"]).click()
    await _button(page, FI["page.nav.next"]).click()
    await page.locator(".review").first.wait_for()
    assert (await page.locator(".answer.none").count()) == 4 + 1  # four practices, no dots
    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.blank"])
    assert FI["page.blank.more"] in await page.inner_text("body")
    await _check_sizes(page)
    await _shot(page, "10-blank")
    await _button(page, FI["page.blank.back"]).click()
    await _expect_heading(page, room.round.area.practices[0].text.fi)
    assert posted == [] and room.round.count == 0


async def test_a_closed_round_says_so_and_that_the_answers_were_not_counted(
        room: Room, phone: Any) -> None:
    page = phone
    await page.goto(room.url)
    await _rate_all(page, room, ["hyvin", "hyvin", "hyvin", "hyvin"])
    await _button(page, FI["page.nav.next"]).click()
    room.round.close()
    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.closed"])
    assert FI["page.closed.not_counted"] in await page.inner_text("body")
    await _check_sizes(page)
    await _shot(page, "11-closed")
    stored = await _stored_answers(page, room)
    assert room.round.area.practices[0].id not in stored and '"closed":true' in stored


async def test_a_refused_ballot_shows_the_servers_words_in_the_chosen_language(
        room: Room, phone: Any) -> None:
    from playwright.async_api import expect

    page = phone
    p = [x.id for x in room.round.area.practices]
    await page.goto(room.url)
    await _button(page, EN["page.lang.this"]).click()
    await _expect_heading(page, EN["page.intro.heading"])
    await _button(page, EN["page.intro.start"]).click()
    await _button(page, room.deck.level("hyvin").label.get("en")).click()
    for number in range(2, len(p) + 1):
        await _at(page, number)
        await _button(page, EN["page.nav.skip"]).click()
    for practice_id in (p[0], p[0], p[1]):
        await page.locator(f'[data-f="give-{practice_id}"]').click()
    await expect(page.locator(".counter")).to_contain_text("0 left")
    await _button(page, EN["page.nav.next"]).click()
    room.handle.update(dots=1)  # the facilitator changes the set-up while the phone is at it
    await _button(page, EN["page.send"]).click()
    await _expect_heading(page, EN["page.error"])
    assert t("input.too_many_dots", "en", limit=1) in await page.inner_text("body")
    await _check_sizes(page)
    await _shot(page, "12-refused-en")
    assert room.round.count == 0
    # back to checking, with what the round allows now: one dot
    await page.wait_for_timeout(300)
    await _button(page, EN["page.error.back"]).click()
    await _expect_heading(page, EN["page.review.heading"])
    await _button(page, EN["page.send"]).click()
    await _expect_heading(page, EN["page.thanks"])
    assert room.round.count == 1
    room.round.close()
    assert sum(room.handle.snapshot.ballot_totals(room.round.area_id).dots.values()) == 1


async def test_the_summary_is_offered_on_the_thanks_once_the_facilitator_offers_it(
        room: Room, phone: Any) -> None:
    page = phone
    await page.goto(room.url)
    await _rate_all(page, room, ["hyvin", "hyvin", "hyvin", "hyvin"])
    await _button(page, FI["page.nav.next"]).click()
    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.thanks"])
    assert await page.get_by_role("link").count() == 0
    room.round.close()
    room.summary["pdf"] = b"%PDF-1.4 the summary sheet"
    await page.reload()
    await _expect_heading(page, FI["page.thanks"])
    link = page.get_by_role("link", name=FI["page.summary"])
    code = room.round.code
    assert (await link.get_attribute("href")) == f"/{code}/summary.pdf"
    response = await page.request.get(room.url + "/summary.pdf")
    assert response.ok and (await response.body()).startswith(b"%PDF")
    await _check_sizes(page)
    await _shot(page, "5-thanks-summary")


# ---- the page itself ------------------------------------------------------------------------


async def test_deck_texts_are_shown_as_text_never_as_markup(
        hostile_room: Room, phone: Any) -> None:
    page = phone
    await page.goto(hostile_room.url)
    await _button(page, FI["page.intro.start"]).click()
    assert "Osallisuus <i>y</i>" in await page.locator(".area").inner_text()
    await _button(page, "Toimii hyvin").click()
    markup = "<b>x</b><script>window.pwned=1</script><img src=x onerror=window.pwned=2>"
    await _expect_heading(page, markup)
    await page.wait_for_timeout(300)
    assert await page.evaluate("window.pwned === undefined")
    assert await page.locator("#app b, #app script, #app img, #app i").count() == 0


async def test_the_language_switch_changes_every_word_and_stays_chosen(
        room: Room, phone: Any) -> None:
    page = phone
    await page.goto(room.url)
    await _expect_heading(page, FI["page.intro.heading"])
    await _button(page, EN["page.lang.this"]).click()
    await _expect_heading(page, EN["page.intro.heading"])
    assert await page.evaluate("document.documentElement.lang") == "en"
    assert await _button(page, FI["page.lang.this"]).get_attribute("lang") == "fi"
    await _button(page, EN["page.intro.start"]).click()
    practice = room.round.area.practices[0]
    await _expect_heading(page, practice.text.get("en"))
    assert "Participation" in await page.locator(".area").inner_text()
    for level in room.deck.scale:
        await _button(page, level.label.get("en")).wait_for()
    await page.reload()
    await _expect_heading(page, practice.text.get("en"))
    await _button(page, FI["page.lang.this"]).click()
    await _expect_heading(page, practice.text.fi)
    assert await page.evaluate("document.documentElement.lang") == "fi"


async def test_a_browser_without_storage_still_votes(room: Room, phone: Any) -> None:
    page = phone
    await page.add_init_script(
        "Object.defineProperty(window, 'localStorage', "
        "{get: function () { throw new Error('no storage here'); }});")
    await page.goto(room.url)
    await _rate_all(page, room, ["hyvin", "osittain", "hyvin", "osittain"])
    await _button(page, FI["page.nav.next"]).click()
    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.thanks"])
    assert room.round.count == 1


async def test_at_320_px_with_the_text_size_doubled_nothing_scrolls_sideways(
        room: Room, playwright: Any, tmp_path: Path) -> None:
    # the browser's text size setting doubled: its default font size 16 -> 32 px
    context = await _phone(playwright, tmp_path / "phone-320", 320, 568, text_size=32)
    try:
        page = context.pages[0] if context.pages else await context.new_page()
        page.set_default_timeout(15_000)
        await page.goto(room.url)
        await _expect_heading(page, FI["page.intro.heading"])
        sizes = await page.evaluate(
            "[getComputedStyle(document.documentElement).fontSize,"
            " getComputedStyle(document.body).fontSize]")
        assert sizes == ["32px", "40px"], sizes
        await _check_sizes(page)
        await _button(page, FI["page.intro.start"]).click()
        await _check_sizes(page)
        text_size = await page.evaluate(
            "parseFloat(getComputedStyle(document.getElementById('view-heading')).fontSize)")
        assert text_size >= 40  # never smaller than the body text, which is 2 x 20 px
        await _shot(page, "6-practice-320-200pc")
        practices = room.round.area.practices
        for number, _ in enumerate(practices, 1):
            await _at(page, number)
            await _button(page, "Kaipaa kehittämistä").click()
        await page.locator(".dotlist").wait_for()
        await page.locator(f'[data-f="give-{practices[0].id}"]').click()
        await page.locator(f'[data-f="take-{practices[0].id}"]').wait_for()
        await _check_sizes(page)
        await _shot(page, "7-dots-320-200pc")
        await _button(page, FI["page.nav.next"]).click()
        await _expect_heading(page, FI["page.review.heading"])
        await _check_sizes(page)
        await _shot(page, "8-review-320-200pc")
        await _button(page, FI["page.send"]).click()
        await _expect_heading(page, FI["page.thanks"])
        await _check_sizes(page)
    finally:
        await context.close()


async def test_buttons_are_big_apart_and_keyboard_usable(room: Room, phone: Any) -> None:
    page = phone
    await page.goto(room.url)
    await _expect_heading(page, FI["page.intro.heading"])
    # the keyboard alone: Tab to the start button, Enter, Tab to a level, Enter
    for _ in range(5):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.getAttribute('data-f')") == "start":
            break
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    await page.keyboard.press("Enter")
    await _expect_heading(page, room.round.area.practices[0].text.fi)
    await _check_sizes(page)
    boxes = [await b.bounding_box() for b in await page.locator("button.level").all()]
    assert len(boxes) == 4
    for upper, lower in itertools.pairwise(boxes):
        assert lower["y"] - (upper["y"] + upper["height"]) >= 8  # space between the targets
    font = await page.evaluate(
        "[parseFloat(getComputedStyle(document.body).fontSize),"
        " parseFloat(getComputedStyle(document.getElementById('view-heading')).fontSize)]")
    assert font[0] >= 20 and font[1] >= 24
    for _ in range(8):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.getAttribute('data-f')") == "level-hyvin":
            break
    await page.keyboard.press("Enter")
    await _at(page, 2)
    assert await page.evaluate("document.activeElement.id") == "view-heading"


# ---- a round with voting slips --------------------------------------------------------------


@dataclass
class SlipsRoom(Room):
    codes: list[str]  # as make_slips gives them: 8 characters, no hyphen


@pytest.fixture
async def slips_room(store: Store, deck: Deck, loopback: None) -> AsyncIterator[SlipsRoom]:
    handle = store.session(store.create_session(deck, lang="fi"))
    codes = handle.make_slips(3, None, "127.0.0.1", 8765)
    phone_round = PhoneRound(handle, deck.areas[0].id, slips=True)
    summary: dict[str, bytes | None] = {"pdf": None}
    server = RoomServer(phone_round, lang="fi", static_dir=STATIC,
                        summary=lambda: summary["pdf"])
    url = await server.start("127.0.0.1", 0)
    try:
        yield SlipsRoom(url, phone_round, handle, deck, summary, list(codes))
    finally:
        await server.stop()


async def _watched(context: Any) -> tuple[Any, list[str], list[dict[str, Any]]]:
    """The context's page, its script errors, and the bodies it posts to api/*."""
    page = context.pages[0] if context.pages else await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    posts: list[dict[str, Any]] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("request", lambda r: posts.append({"path": r.url.split("/", 4)[-1],
                                               "body": r.post_data})
            if r.method == "POST" else None)
    return page, errors, posts


async def _vote_and_review(page: Any, room: Room) -> None:
    from playwright.async_api import expect

    await _rate_all(page, room, ["hyvin", "kehitettava", "osittain", "en-tieda"])
    p = [x.id for x in room.round.area.practices]
    await page.locator(f'[data-f="give-{p[1]}"]').click()
    await expect(page.locator(".counter")).to_contain_text("2 jäljellä")
    await _button(page, FI["page.nav.next"]).click()
    await _expect_heading(page, FI["page.review.heading"])


def _shown(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


async def test_a_slip_from_the_address_votes_once_and_a_copy_of_it_is_refused(
        slips_room: SlipsRoom, playwright: Any, tmp_path: Path) -> None:
    from playwright.async_api import expect

    room = slips_room
    code = room.codes[0]
    one = await _phone(playwright, tmp_path / "one")
    two = await _phone(playwright, tmp_path / "two")
    try:
        page, errors, posts = await _watched(one)
        copy, copy_errors, copy_posts = await _watched(two)
        # both open the slip's address before either sends: both pass the check
        for each in (page, copy):
            await each.goto(room.url + "/?s=" + _shown(code).lower())
            await _expect_heading(each, FI["page.intro.heading"])
            await expect(each.locator(".slip-line")).to_have_text(
                FI["page.slip.line"].replace("{code}", _shown(code)))
            assert "?s=" not in each.url  # the code leaves the address bar once read
        await _check_sizes(page)
        await _shot(page, "5-slip-intro")
        assert [x["path"] for x in posts] == ["api/slip"]  # no token in a round with slips
        assert json.loads(posts[0]["body"]) == {"slip": _shown(code)}

        await _vote_and_review(page, room)
        await expect(page.locator(".slip-line")).to_contain_text(_shown(code))
        await _button(page, FI["page.send"]).click()
        await _expect_heading(page, FI["page.thanks"])
        assert room.round.count == 1
        body = json.loads(posts[-1]["body"])
        assert posts[-1]["path"] == "api/ballot"
        assert set(body) == {"slip", "send", "ratings", "dots"}
        assert body["slip"] == _shown(code) and len(body["send"]) >= 16
        assert body["dots"] == {room.round.area.practices[1].id: 1}

        # the copy votes too, with the same slip: refused, said so, nothing counted or kept
        await _vote_and_review(copy, room)
        await _button(copy, FI["page.send"]).click()
        await _expect_heading(copy, FI["page.spent"])
        await expect(copy.locator(".note")).to_have_text(FI["page.spent.more"])
        assert room.round.count == 1
        sent = json.loads(copy_posts[-1]["body"])
        assert sent["slip"] == _shown(code) and sent["send"] != body["send"]
        stored = await _stored_answers(copy, room)
        assert "kehitettava" not in stored and _shown(code) not in stored
        await _check_sizes(copy)
        await _shot(copy, "6-slip-spent")
        # a reload still says so; another slip's code may be typed from there
        await copy.reload()
        await _expect_heading(copy, FI["page.spent"])
        await _button(copy, FI["page.spent.other"]).click()
        await _expect_heading(copy, FI["page.slip.label"])

        # the same slip's address once more: the check says it is spent, in words
        await copy.goto(room.url + "/?s=" + _shown(code))
        await _expect_heading(copy, FI["page.slip.label"])
        await expect(copy.locator("#slip-message")).to_contain_text("jo äänestetty")
        assert await copy.locator("#slip-code").input_value() == _shown(code)
        assert room.round.count == 1
        assert errors == [] and copy_errors == []
    finally:
        await one.close()
        await two.close()
    assert room.round.close() == 1
    assert room.handle.snapshot.ballot_totals(room.round.area.id).ballots == 1


async def test_a_typed_slip_code_is_read_in_any_case_with_spaces(
        slips_room: SlipsRoom, phone: Any) -> None:
    from playwright.async_api import expect

    room = slips_room
    page = phone
    code = room.codes[1]
    await page.goto(room.url)
    await _expect_heading(page, FI["page.slip.label"])
    field = page.locator("#slip-code")
    for name, value in (("autocomplete", "off"), ("autocapitalize", "characters"),
                        ("spellcheck", "false"), ("inputmode", "text"), ("type", "text")):
        assert await field.get_attribute(name) == value, name
    assert await page.get_by_label(FI["page.slip.label"]).count() == 1
    await _check_sizes(page)
    box = await field.bounding_box()
    assert box is not None and box["height"] >= 48 and box["width"] >= 250
    await _shot(page, "7-slip-code")

    # too short: said so here, nothing asked of the laptop
    await field.fill("acd")
    await _button(page, FI["page.slip.go"]).click()
    await expect(page.locator("#slip-message")).to_have_text(
        FI["page.slip.length"].replace("{n}", "8"))
    # a wrong code: the laptop's own words, and the field kept for correcting
    await field.fill("")
    await field.press_sequentially("xxxx xxxx")
    await expect(field).to_have_value("XXXX-XXXX")
    await field.press("Enter")
    await expect(page.locator("#slip-message")).to_have_text(
        "Lipukkeen koodia ei tunneta: tarkista koodi.")
    await _shot(page, "8-slip-wrong")
    assert await field.input_value() == "XXXX-XXXX"

    # the right code in lower case with a space: taken as ABCD-EFGH
    typed = code[:4].lower() + " " + code[4:].lower()
    await field.fill("")
    await field.press_sequentially(typed)
    await expect(field).to_have_value(_shown(code))
    await _button(page, FI["page.slip.go"]).click()
    await _expect_heading(page, FI["page.intro.heading"])
    await _vote_and_review(page, room)
    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.thanks"])
    assert room.round.count == 1
    await page.reload()
    await _expect_heading(page, FI["page.thanks"])
    assert room.round.close() == 1


async def test_a_slip_ballot_resent_after_a_lost_reply_keeps_its_slip_and_send(
        slips_room: SlipsRoom, phone: Any) -> None:
    room = slips_room
    page = phone
    code = room.codes[2]
    bodies: list[str] = []
    dropped = {"n": 0}

    async def lose_first_reply(route: Any) -> None:
        bodies.append(route.request.post_data)
        response = await route.fetch()  # the laptop counts it...
        if dropped["n"] == 0:
            dropped["n"] += 1
            await route.abort()  # ...but the phone never hears so
        else:
            await route.fulfill(response=response)

    await page.route("**/api/ballot", lose_first_reply)
    await page.goto(room.url + "/?s=" + code)
    await _expect_heading(page, FI["page.intro.heading"])
    await _vote_and_review(page, room)
    await _button(page, FI["page.send"]).click()
    await _expect_heading(page, FI["page.thanks"], timeout=15_000)
    assert len(bodies) == 2 and json.loads(bodies[0]) == json.loads(bodies[1])
    assert room.round.count == 1
