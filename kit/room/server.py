"""The phone room's web server: one page and a small JSON API, only while a round is open.

It runs inside an event loop that is already running (the workshop app's, or the `room`
command's), on the one address the facilitator chose, and serves everything under the round's
join code (docs/room.md is the contract). Everything it decides about a ballot is
`PhoneRound`'s; here are the web's own rules:

- **Nothing about anyone**: no access log, and aiohttp's own error lines have the address
  taken out and are kept at debug level, so no IP address reaches a log, the terminal or the
  disk. Tokens are in `PhoneRound`'s memory only.
- **Limits before work**: bodies of at most 16 KiB, read within 10 s; a ballot must be a JSON
  object of exactly `token`, `ratings` and `dots` (strings and integers) before it reaches the
  round; wrong join codes are rate-limited for everyone together, since nothing may be keyed
  on an address. Any 4xx answer changes nothing.
- **Ballots that arrive together are committed together**: each request's ballot is checked
  at once, then waits for the next turn of the event loop, which commits every ballot waiting
  in one SQLite transaction (one sync to disk) before any of them is answered. Forty phones at
  once cost the facilitator's screen one commit, not forty in a row; a token met twice in a
  batch counts once.
- **Voting slips** (a round opened with slips): a slip's own address, `/ABCD-EFGH`, goes on to
  the page with the code in it (`/K7Q2/?s=ABCD-EFGH`); ballots carry the slip's code instead
  of a token. A slip code is a secret, unlike the join code on the projector: more than 20
  wrong ones in a minute and no slip is checked at all, right or wrong, for 30 seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import json
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from kit.ballots import Ballot
from kit.errors import KitError
from kit.i18n import LANGUAGES, catalogue, normalise, t
from kit.room.round import (
    CODE_ALPHABET,
    CODE_LENGTH,
    PhoneRound,
    Sent,
    SlipState,
    format_slip,
    normalise_slip,
)

if TYPE_CHECKING:
    from kit.deck import Text

STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULT_PORT = 8765
PORT_TRIES = 10  # after the one asked for: 8765 taken, 8766 ... 8775

MAX_BODY = 16 * 1024
BODY_TIMEOUT = 10.0  # seconds to receive a whole request body
MAX_TOKEN_LENGTH = 100  # ours are 24 characters

WRONG_CODE_LIMIT = 20  # wrong join codes answered 404 within the window...
WRONG_CODE_WINDOW = 60.0
WRONG_CODE_LOCKOUT = 30.0  # ...after which wrong codes answer 429 for this long

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# Set by hand, not guessed: Windows' registry often says text/plain for .js, and with
# nosniff the phone would then refuse to run the page's script.
CONTENT_TYPES = {
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript",
    ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
    ".json": "application/json", ".txt": "text/plain", ".woff2": "font/woff2",
}
_TEXT_TYPES = ("text/", "application/json", "image/svg+xml")
_STATIC_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")

# What a refusal from the round means on the web; other keys are the phone's bad input (400),
# and `store.*` keys are the laptop's trouble (a full disk, say): 503, try again later.
_STATUS = {"room.unknown_token": 409, "room.round_closed": 410, "room.too_many_tokens": 429,
           "room.too_large": 413, "room.incomplete": 408,
           # voting slips
           "room.needs_slip": 403, "room.wrong_slip": 403, "room.slip_spent": 409,
           "room.slip_other_area": 409, "room.no_slips_round": 409,
           "room.too_many_tries": 429}

Summary = Callable[[], bytes | None]


class WrongCodes:
    """Wrong join codes over the last minute, for everyone together (never per address).

    More than `limit` within `window` seconds lock wrong codes out for `lockout` seconds: a
    4-character code cannot be guessed at 20 a minute during a workshop. The right code is
    never locked out. `clock` is replaceable for tests.
    """

    def __init__(self, limit: int = WRONG_CODE_LIMIT, window: float = WRONG_CODE_WINDOW,
                 lockout: float = WRONG_CODE_LOCKOUT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.lockout, self.clock = limit, window, lockout, clock
        self._seen: deque[float] = deque()
        self._locked_until = float("-inf")

    def refuse(self) -> bool:
        """Count one wrong code; True if it must be answered 429."""
        now = self.clock()
        if now < self._locked_until:
            return True
        while self._seen and now - self._seen[0] >= self.window:
            self._seen.popleft()
        self._seen.append(now)
        if len(self._seen) > self.limit:
            self._seen.clear()
            self._locked_until = now + self.lockout
            return True
        return False

    def locked(self) -> bool:
        """Whether wrong codes are locked out right now (nothing is counted by asking)."""
        return self.clock() < self._locked_until


ROUND = web.AppKey("round", PhoneRound)
LANG = web.AppKey("lang", str)
STATIC = web.AppKey("static_dir", Path)
SUMMARY: web.AppKey[Summary | None] = web.AppKey("summary")
WRONG_CODES = web.AppKey("wrong_codes", WrongCodes)
WRONG_SLIPS = web.AppKey("wrong_slips", WrongCodes)  # slip codes: their own count


class Batch:
    """Ballots waiting for the next turn of the event loop, to be committed in one go."""

    def __init__(self, room: PhoneRound) -> None:
        self.room = room
        self._waiting: list[tuple[str, Ballot, asyncio.Future[Sent]]] = []

    def submit(self, token: str, ballot: Ballot) -> asyncio.Future[Sent]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Sent] = loop.create_future()
        if not self._waiting:
            loop.call_soon(self._commit)  # after the requests that are ready now
        self._waiting.append((token, ballot, future))
        return future

    def _commit(self) -> None:
        waiting, self._waiting = self._waiting, []
        try:
            results = self.room.commit([(token, ballot) for token, ballot, _ in waiting])
        except Exception as error:  # a full disk, the round closed meanwhile: all are refused
            for *_, future in waiting:
                if not future.done():
                    future.set_exception(error)
            return
        for (*_, future), sent in zip(waiting, results, strict=True):
            if not future.done():  # a phone that went away meanwhile: its ballot still counts
                future.set_result(sent)


BATCH = web.AppKey("batch", Batch)

routes = web.RouteTableDef()


# --- answers ---------------------------------------------------------------------------------


def _json(data: Any, status: int = 200) -> web.Response:
    # "replace": a string the phone sent may come back in an error message, and one with a
    # lone surrogate (valid JSON, not valid UTF-8) must not turn a 400 into a 500.
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")
    return web.Response(body=body, status=status, content_type="application/json",
                        charset="utf-8")


def _both(key: str, **params: Any) -> dict[str, str]:
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


def _refusal(error: KitError) -> web.Response:
    """The round's (or the store's) refusal as the page reads it: a key and both sentences."""
    status = _STATUS.get(error.key, 503 if error.key.startswith("store.") else 400)
    message = {lang: error.message(lang) for lang in LANGUAGES}
    return _json({"error": error.key.removeprefix("room."), "message": message}, status)


def _html(title_key: str, text_key: str, lang: str, status: int = 200) -> web.Response:
    """A small page in both languages, the session's first (wrong codes, the placeholder)."""
    order = [lang, *(other for other in LANGUAGES if other != lang)]
    parts = "".join(f'<section lang="{code}"><h1>{escape(t(title_key, code))}</h1>'
                    f"<p>{escape(t(text_key, code))}</p></section>" for code in order)
    body = ('<!DOCTYPE html>\n<html lang="' + order[0] + '"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(t(title_key, order[0]))}</title></head><body>{parts}</body></html>\n")
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def _text_both(text: Text) -> dict[str, str]:
    """A deck text in both languages (Finnish where a translation is missing)."""
    return {lang: text.get(lang) for lang in LANGUAGES}


# --- the pages -------------------------------------------------------------------------------


@routes.get("/{code}")
async def join(request: web.Request) -> web.StreamResponse:
    """The address people type, `/K7Q2`, goes on to `/K7Q2/`: the page's own addresses are
    relative (`static/room.css`, `api/round`), and a browser resolves those from the last
    slash, which a page at `/K7Q2` would lose. A slip's code typed into the address
    (`/K7Q2?s=ABCD-EFGH`) goes along."""
    query = f"?{request.query_string}" if request.query_string else ""
    raise web.HTTPFound(f"/{request.app[ROUND].code}/{query}")


@routes.get("/{code}/")
async def page(request: web.Request) -> web.StreamResponse:
    index = request.app[STATIC] / "index.html"
    try:
        body = index.read_bytes()
    except OSError:  # the page is not there yet (a source checkout being worked on)
        return _html("room.placeholder_title", "room.placeholder", request.app[LANG])
    return web.Response(body=body, content_type="text/html", charset="utf-8")


@routes.get("/{code}/static/{name}")
async def static(request: web.Request) -> web.StreamResponse:
    """A file of the page: a plain name of a file right in the static folder, nothing else
    (no `..`, no folders, no absolute paths, no links out of the folder)."""
    name = request.match_info["name"]
    folder = request.app[STATIC]
    if not _STATIC_NAME.fullmatch(name):
        raise web.HTTPNotFound()
    path = folder / name
    try:
        if path.resolve().parent != folder.resolve() or not path.is_file():
            raise web.HTTPNotFound()
        body = path.read_bytes()
    except OSError:
        raise web.HTTPNotFound() from None
    kind = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    charset = "utf-8" if kind.startswith(_TEXT_TYPES) else None
    return web.Response(body=body, content_type=kind, charset=charset)


@routes.get("/{code}/summary.pdf")
async def summary_pdf(request: web.Request) -> web.StreamResponse:
    pdf = _summary(request.app)
    if pdf is None:
        raise web.HTTPNotFound()
    room = request.app[ROUND]
    lang = normalise(room.box.snapshot.meta.lang)
    name = t("print.summary.default_file", lang, date=room.box.snapshot.meta.date)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)  # a header is ASCII; the name is a hint
    return web.Response(body=pdf, content_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{safe}"'})


def _summary(app: web.Application) -> bytes | None:
    offer = app[SUMMARY]
    if offer is None:
        return None
    pdf = offer()
    return pdf if isinstance(pdf, bytes) and pdf else None


# --- the API ---------------------------------------------------------------------------------


@routes.get("/{code}/api/round")
async def round_info(request: web.Request) -> web.StreamResponse:
    return _json(describe(request.app[ROUND], summary=_summary(request.app) is not None))


def describe(room: PhoneRound, *, summary: bool = False) -> dict[str, Any]:
    """What the page shows (docs/room.md), read afresh each time: the set-up may change the
    number of dots while the round is open."""
    snapshot = room.box.snapshot
    area = room.area
    ids = snapshot.meta.area_ids
    return {
        "lang": normalise(snapshot.meta.lang),
        "open": not room.closed,
        "area": {"id": area.id, "symbol": area.symbol, "title": _text_both(area.title),
                 "number": ids.index(area.id) + 1 if area.id in ids else 0, "of": len(ids)},
        "levels": [{"id": level.id, "symbol": level.symbol, "label": _text_both(level.label)}
                   for level in room.box.levels],
        "practices": [{"id": p.id, "card": p.card_id, "text": _text_both(p.text),
                       "points": [_text_both(point) for point in p.points]}
                      for p in room.box.practices],
        "dots": snapshot.meta.dots,
        "slips": room.slips,
        "summary": summary,
        "ui": {lang: page_words(lang) for lang in LANGUAGES},
    }


def page_words(lang: str) -> dict[str, str]:
    """Every word the page shows: the catalogue's `page.*` keys, as they are named there."""
    return {key: text for key, text in catalogue(lang).items()
            if key.startswith("page.") and isinstance(text, str)}


@routes.post("/{code}/api/token")
async def token(request: web.Request) -> web.StreamResponse:
    """A one-time right to send one ballot (the body, if any, is not read)."""
    try:
        return _json({"token": request.app[ROUND].issue_token()})
    except KitError as error:
        return _refusal(error)


@routes.post("/{code}/api/ballot")
async def ballot(request: web.Request) -> web.StreamResponse:
    room = request.app[ROUND]
    if room.closed:
        return _refusal(KitError("room.round_closed"))
    try:
        body = await _read_body(request)
        data = _load_object(body)
        if "slip" in data:  # a ballot with a voting slip instead of a token
            slip, send, ratings, dots = parse_slip_ballot(data)
            return _slip_guarded(request.app, slip, lambda: _sent(
                room, room.cast_slip(slip, send, ratings, dots)))
        token_value, ratings, dots = parse_ballot(data)
        prepared = room.prepare(token_value, ratings, dots)
        sent = (prepared if isinstance(prepared, Sent)
                else await request.app[BATCH].submit(token_value, prepared))  # committed
    except KitError as error:
        response = _refusal(error)
        if error.key == "room.incomplete":
            response.force_close()  # the rest of a stalled body is not waited for
        return response
    return _sent(room, sent)


def _sent(room: PhoneRound, sent: Sent) -> web.Response:
    if sent is Sent.BLANK:
        return _refusal(KitError("input.blank_ballot"))
    return _json({"status": sent.value, "count": room.count})


@routes.post("/{code}/api/slip")
async def slip_check(request: web.Request) -> web.StreamResponse:
    """Whether a slip's code may be used in this round now, before anything is chosen:
    `{"slip": "ABCD-EFGH"}` in, `{"status": "good", "slip": "ABCD-EFGH"}` or a refusal out."""
    room = request.app[ROUND]
    if room.closed:
        return _refusal(KitError("room.round_closed"))
    try:
        body = await _read_body(request)
        data = _load_object(body)
        if set(data) != {"slip"} or not _clean(data["slip"]):
            raise KitError("room.bad_request")
        value = data["slip"]
        return _slip_guarded(request.app, value,
                             lambda: _json({"status": "good", "slip": room.check_slip(value)}))
    except KitError as error:
        response = _refusal(error)
        if error.key == "room.incomplete":
            response.force_close()
        return response


def _slip_guarded(app: web.Application, slip: Any,
                  answer: Callable[[], web.Response]) -> web.Response:
    """`answer()`, or 429 while wrong slip codes are locked out; a wrong code (one that could
    have been a slip: a typo of the wrong length guesses nothing) counts towards the lockout.
    During a lockout no slip is checked, right or wrong, so a guesser learns nothing."""
    wrong = app[WRONG_SLIPS]
    if wrong.locked():
        return _refusal(KitError("room.too_many_tries"))
    try:
        return answer()
    except KitError as error:
        if (error.key == "room.wrong_slip" and normalise_slip(slip) is not None
                and wrong.refuse()):
            return _refusal(KitError("room.too_many_tries"))
        return _refusal(error)


async def _read_body(request: web.Request) -> bytes:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise KitError("room.too_large")
    try:
        async with asyncio.timeout(BODY_TIMEOUT):
            return await request.read()
    except web.HTTPRequestEntityTooLarge:  # a chunked body that grew too large
        raise KitError("room.too_large") from None
    except (TimeoutError, ConnectionError):  # stalled, or the phone left the network
        raise KitError("room.incomplete") from None


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a key twice")  # which one would count is anybody's guess
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON


def _clean(value: Any) -> bool:
    """A string that is text (UTF-8 can carry it: no lone surrogates)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _load_object(body: bytes | dict[str, Any]) -> dict[str, Any]:
    """A request body as a JSON object (strictly: no duplicate keys, no NaN), or
    `room.bad_request`."""
    if isinstance(body, dict):
        return body
    try:
        data = json.loads(body.decode("utf-8"), object_pairs_hook=_unique,
                          parse_constant=_no_constant)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, too deep, too many digits
        raise KitError("room.bad_request") from None
    if not isinstance(data, dict):
        raise KitError("room.bad_request")
    return data


def parse_slip_ballot(body: bytes | dict[str, Any]
                      ) -> tuple[str, str, dict[str, str], dict[str, int]]:
    """A ballot with a voting slip: an object of exactly `slip` (the code as typed or
    scanned), `send` (the page's own id of this ballot), `ratings` and `dots`."""
    data = _load_object(body)
    if set(data) != {"slip", "send", "ratings", "dots"}:
        raise KitError("room.bad_request")
    slip, send = data["slip"], data["send"]
    if not _clean(slip) or not 0 < len(slip) <= MAX_TOKEN_LENGTH:
        raise KitError("room.bad_request")
    if not _clean(send) or not 0 < len(send) <= MAX_TOKEN_LENGTH:
        raise KitError("room.bad_request")
    ratings, dots = _ratings_and_dots(data)
    return slip, send, ratings, dots


def parse_ballot(body: bytes | dict[str, Any]) -> tuple[str, dict[str, str], dict[str, int]]:
    """A ballot request's parts, checked for shape only (what they may say is the round's):
    an object of exactly `token`, `ratings` (strings to strings) and `dots` (strings to
    integers). Anything else is `room.bad_request`."""
    data = _load_object(body)
    if set(data) != {"token", "ratings", "dots"}:
        raise KitError("room.bad_request")
    token_value = data["token"]
    if not _clean(token_value) or not 0 < len(token_value) <= MAX_TOKEN_LENGTH:
        raise KitError("room.bad_request")
    ratings, dots = _ratings_and_dots(data)
    return token_value, ratings, dots


def _ratings_and_dots(data: dict[str, Any]) -> tuple[dict[str, str], dict[str, int]]:
    ratings, dots = data["ratings"], data["dots"]
    if not isinstance(ratings, dict) or not all(
            _clean(k) and _clean(v) for k, v in ratings.items()):
        raise KitError("room.bad_request")
    if not isinstance(dots, dict) or not all(
            _clean(k) and isinstance(v, int) and not isinstance(v, bool)
            for k, v in dots.items()):
        raise KitError("room.bad_request")
    return ratings, dots


# --- limits and headers ----------------------------------------------------------------------


def code_shaped(segment: str) -> bool:
    """Whether a path's first part could be a join code at all (only those are guesses)."""
    typed = "".join(segment.split()).upper()
    return len(typed) == CODE_LENGTH and all(c in CODE_ALPHABET for c in typed)


@web.middleware
async def limits(request: web.Request,
                 handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                 ) -> web.StreamResponse:
    """Wrong codes (404, then 429), oversized bodies (413) and our own bugs (500, logged to
    the crash log with nothing of the request) before and around every handler."""
    app = request.app
    segment = request.path.split("/", 2)[1] if request.path.startswith("/") else ""
    if not app[ROUND].matches(segment):
        if normalise_slip(segment) is not None and request.method in ("GET", "HEAD"):
            return _slip_address(request, segment)
        if code_shaped(segment) and app[WRONG_CODES].refuse():
            return _html("room.busy_title", "room.busy", app[LANG], 429)
        return _html("room.not_found_title", "room.not_found", app[LANG], 404)
    if request.content_length is not None and request.content_length > MAX_BODY:
        response = _refusal(KitError("room.too_large"))
        response.force_close()  # not worth reading 16 KiB past the limit to keep the line
        return response
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        from kit.crash import log_unexpected

        log_unexpected()
        return _json({"error": "server_error", "message": _both("room.server_error")}, 500)


def _slip_address(request: web.Request, segment: str) -> web.StreamResponse:
    """A slip's own address (`/ABCD-EFGH`, what its QR code holds): on to the round's page
    with the code in it, `/K7Q2/?s=ABCD-EFGH`, for a slip this round knows; the same for a
    spent slip or one of another area (the page says so when it asks). An unknown code
    counts as a wrong guess. Only the address itself: `/ABCD-EFGH/anything` is 404."""
    app, room = request.app, request.app[ROUND]
    lang = app[LANG]
    if not room.slips or request.path.rstrip("/") != f"/{segment}":
        return _html("room.slip_not_found_title", "room.slip_not_found", lang, 404)
    code = normalise_slip(segment)
    assert code is not None
    if not room.closed:  # a closed round checks nothing, so it tells nothing
        wrong = app[WRONG_SLIPS]
        if wrong.locked():
            return _html("room.busy_title", "room.busy", lang, 429)
        if room.slip_state(code) is SlipState.UNKNOWN:
            if wrong.refuse():
                return _html("room.busy_title", "room.busy", lang, 429)
            return _html("room.slip_not_found_title", "room.slip_not_found", lang, 404)
    return web.Response(status=302, headers={"Location": f"/{room.code}/?s={format_slip(code)}"})


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """On every response the app prepares, error pages and redirects included. Nothing is
    worth keeping in a phone's cache: the page is small and every round has its own code."""
    response.headers.update(SECURITY_HEADERS)
    response.headers["Cache-Control"] = "no-store"


def make_app(round: PhoneRound, *, lang: str, static_dir: Path = STATIC_DIR,
             summary: Summary | None = None) -> web.Application:
    """The phone room's web app for one round.

    `lang` puts that language first on the server's own small pages (wrong code, placeholder);
    the page itself starts in the session's language (`lang` of `/api/round`). `summary` is
    called on each `/api/round` and `/summary.pdf`: give it something cheap (the sheet built
    once, or None until the facilitator offers it).
    """
    app = web.Application(middlewares=[limits], client_max_size=MAX_BODY)
    app[ROUND] = round
    app[LANG] = normalise(lang)
    app[STATIC] = Path(static_dir)
    app[SUMMARY] = summary
    app[WRONG_CODES] = WrongCodes()
    app[WRONG_SLIPS] = WrongCodes()
    app[BATCH] = Batch(round)
    app.add_routes(routes)
    app.on_response_prepare.append(_security_headers)
    return app


# --- running it ------------------------------------------------------------------------------


class _NoAddresses(logging.Filter):
    """aiohttp's own error lines ("Error handling request from 192.168.8.31") without the
    address, and at debug level: a phone's garbled request is not the facilitator's news."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple("-" if _is_address(arg) else arg for arg in record.args)
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def _is_address(value: object) -> bool:
    if isinstance(value, tuple):
        return True  # a peername (host, port)
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return True


SERVER_LOG = logging.getLogger("kit.room.http")
SERVER_LOG.addFilter(_NoAddresses())


class RoomServer:
    """The phone room served on one address, inside the running event loop."""

    def __init__(self, round: PhoneRound, *, lang: str, static_dir: Path = STATIC_DIR,
                 summary: Summary | None = None) -> None:
        self.round = round
        self.app = make_app(round, lang=lang, static_dir=static_dir, summary=summary)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self.host: str | None = None
        self.port: int | None = None

    @property
    def url(self) -> str | None:
        """The join address, `http://HOST:PORT/CODE`, while running."""
        return self._url

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(self, host: str, port: int = DEFAULT_PORT) -> str:
        """Listen on `host`, on `port` or, if it is taken, one of the next ten (0: any free
        port); returns the join address. Raises `KitError` if none would do."""
        if self._runner is not None:
            raise RuntimeError("the room server is already running")
        if not 0 <= port <= 65535:
            raise KitError("room.bad_port", port=port)
        # lingering_time: how long the rest of a body that was not read (a refused one, a
        # stalled one) is read and dropped before the connection closes; a phone's 16 KiB
        # take milliseconds on a LAN, and a stalled phone must not keep it for long.
        runner = web.AppRunner(self.app, access_log=None, logger=SERVER_LOG,
                               shutdown_timeout=2.0, keepalive_timeout=60.0,
                               lingering_time=2.0, auto_decompress=False)
        await runner.setup()
        try:
            site = await self._listen(runner, host, port)
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.host, self.port = host, site.port
        shown = f"[{host}]" if ":" in host else host
        self._url = f"http://{shown}:{site.port}/{self.round.code}"
        return self._url

    @staticmethod
    async def _listen(runner: web.AppRunner, host: str, port: int) -> web.TCPSite:
        ports = [0] if port == 0 else list(range(port, min(port + PORT_TRIES, 65535) + 1))
        for candidate in ports:
            site = web.TCPSite(runner, host, candidate)
            try:
                await site.start()
            except OSError as exc:
                await site.stop()
                # Taken, or (Windows) in a range the system keeps: the next one may do.
                if exc.errno in (errno.EADDRINUSE, errno.EACCES) and candidate != ports[-1]:
                    continue
                if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                    raise KitError("room.port_taken", first=ports[0], last=ports[-1]) from None
                raise KitError("room.cannot_listen", address=host, port=candidate,
                               detail=exc.strerror or str(exc), errno=exc.errno) from None
            return site
        raise AssertionError("unreachable")  # pragma: no cover

    async def stop(self) -> None:
        """Stop listening and close every connection; the round itself is not touched."""
        runner, self._runner, self._url = self._runner, None, None
        if runner is not None:
            with contextlib.suppress(Exception):
                await runner.cleanup()
