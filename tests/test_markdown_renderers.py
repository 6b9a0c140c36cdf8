"""The Markdown export rendered by real renderers: markdown-it-py (CommonMark, with its table
and linkify rules on) and pandoc's GFM reader. A hostile comment never becomes a link, an
image or HTML, and what a reader sees is what was typed."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from kit.deck import Deck
from kit.exports import markdown
from kit.report import build_report
from kit.store import Store

HOSTILE = [
    '=HYPERLINK("http://example.invalid","klikkaa")',
    "=HYPERLINK(\"http://x\";\"klikkaa\")",
    "www.example.invalid ja WWW.EXAMPLE.INVALID",
    "https://example.invalid/polku?a=1&b=2#x",
    "\\<https://example.invalid\\>",
    "<https://example.invalid> <info@example.invalid>",
    "![kuva](http://example.invalid/x.png) ![kuva][1]",
    "[1]: http://example.invalid",
    "&amp; &lt;b&gt; &#60;script&#62; &copy; &#x26; &nbsp;",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='http://x'>linkki</a> <!-- piilo --> <br> </p>",
    "[linkki](http://x) *tähti* _alle_ **lihava** ~~yli~~ `koodi` ``kaksi``",
    "yhdistys.fi, info@yhdistys.fi, esim.com ja example.invalid",
    "mailto:info@example.invalid tel:+358401234567 ftp://x.invalid",
    "//localhost/polku ja ///kolme",
    ":smile: :+1: :-) :tada:",
    "a | b | c ja \\| kenoputki",
    "# otsikko ## toinen",
    "1. lista 2) toinen",
    "- lista + plus * tähti",
    "> lainaus",
    "---",
    "===",
    "rivi 1\nrivi 2\n- rivi 3\n# rivi 4\n1. rivi 5\n    rivi 6\n> rivi 7",
    "$x^2$ ja $$y$$",
    "[^1] alaviite ja [^1]: selitys",
    "[ ] tehtävä ja [x] tehty",
    "\\\\ kenoviivat \\ ja lopussa \\",
    "Klo 10:00, 31.1.2027, 192.168.0.1, v. 2026, e.g. ja esim.",
    "x<y>z & a>b, 3 < 4 > 2",
    "aaa__bbb__ccc ja a*b*c ja _a_",
    "emoji 😀 ja arabia مرحبا ja ☃",
    "http://example.invalid) (http://example.invalid)",
    "[[wiki]] {curly} (paren)",
    "-- ja --- ja ... ja (c) ja \"lainaus\" 'yksi'",
]


class _Text(HTMLParser):
    """The visible text of each list item and table cell, and every tag seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.items: list[str] = []
        self.cells: list[list[str]] = []
        self._open: list[str] = []  # li / td / th being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "br" and self._open:
            self._buffer[-1] += "\n"
        if tag in ("li", "td", "th"):
            self._open.append(tag)
            self._buffer.append("")
        if tag == "tr":
            self.cells.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("li", "td", "th") and self._open:
            self._open.pop()
            text = self._buffer.pop()
            (self.items.append(text) if tag == "li" else self.cells[-1].append(text))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._buffer[-1] += data

    _buffer: list[str]

    def feed_all(self, html: str) -> _Text:
        self._buffer = []
        self.feed(html)
        self.close()
        return self


def _visible(text: str) -> str:
    return " ".join(text.split())


def _commonmark(text: str) -> str:
    parser = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "linkify",
                                                                 "strikethrough"])
    assert parser.options["html"]  # raw HTML on, as most renderers have it: escaping must hold
    return parser.render(text)


def _gfm(text: str) -> str:
    result = subprocess.run(["pandoc", "-f", "gfm", "-t", "html"], input=text,
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout


@pytest.fixture
def hostile_md(store: Store, deck: Deck) -> str:
    session = store.create_session(deck, association="Yhdistys | ry <b>", title="*Kevät* #1")
    handle = store.session(session)
    for text in HOSTILE:
        handle.add_comment(text, "idea")
    for text in HOSTILE[:12]:
        handle.add_action(text, "Hallitus | " + text[:10], text[-12:])
    handle.record_rating(1, "os-kuunteleminen", "hyvin", 3)
    return markdown.dumps(build_report(store.snapshot(session)))


@pytest.mark.parametrize("render", [_commonmark, _gfm], ids=["commonmark", "gfm"])
def test_hostile_comments_render_as_typed(hostile_md: str, render, store: Store) -> None:  # type: ignore[no-untyped-def]
    html = render(hostile_md)
    for bad in ("<a", "<img", "<script", "<code", "<del", "<sup", "<span", "<h3>Kevät"):
        assert bad not in html, (bad, html[html.find(bad) - 200: html.find(bad) + 200])
    parsed = _Text().feed_all(html)
    assert set(parsed.tags) <= {"h1", "h2", "h3", "ul", "li", "em", "p", "ol", "table",
                                "thead", "tbody", "tr", "th", "td", "br", "hr", "strong"}, \
        set(parsed.tags)
    comments = [item for item in parsed.items if item.startswith("idea: ")]
    assert [_visible(c.removeprefix("idea: ")) for c in comments] == [
        _visible(text) for text in HOSTILE]
    # The action table: every row four cells, each as typed.
    rows = [row for row in parsed.cells if len(row) and row[0] != "Mitä"]
    actions = [row for row in rows if len(row) == 4]
    assert len(actions) == 12 and all(len(row) == 4 for row in parsed.cells[-13:])
    for row, text in zip(actions, HOSTILE[:12], strict=True):
        assert [_visible(cell) for cell in row[:3]] == [
            _visible(text), _visible("Hallitus | " + text[:10]), _visible(text[-12:])]
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert heading and _visible(_Text().feed_all(f"<li>{heading.group(1)}</li>").items[0]) \
        == "*Kevät* #1 – Yhdistys | ry <b>"


def test_markdown_date_is_written_as_the_app_shows_it(store: Store, deck: Deck) -> None:
    session = store.create_session(deck, date="2026-12-01")
    assert "- **Päivämäärä:** 1.12.2026" in markdown.dumps(build_report(store.snapshot(session)))
    english = markdown.dumps(build_report(store.snapshot(session)), "en")
    assert "1 Dec 2026" in english and "2026-12-01" not in english
