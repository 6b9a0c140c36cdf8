"""The summary sheet as a handout: type older eyes read, measured from the PDF; a selection of
comments that says how many more there are; every page headed; Letter paper."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from measure_helpers import MM, grey_contrast, marks, pages, text_on_fills
from print_helpers import all_text, hostile_session, normalise, page_count, page_texts

from kit.cli import main
from kit.deck import Deck
from kit.demo import create_demo
from kit.exports import styles
from kit.exports.digest import format_date
from kit.exports.summary import SummaryOptions, build_summary
from kit.i18n import t
from kit.report import build_report
from kit.session import Snapshot
from kit.store import Store


def build(snapshot: Snapshot, **options: object) -> tuple[bytes, int]:
    stream = io.BytesIO()
    result = build_summary(build_report(snapshot), stream, invariant=True,
                           options=SummaryOptions(**options))  # type: ignore[arg-type]
    assert result.pages == page_count(stream.getvalue())
    return stream.getvalue(), result.details["comments"]


def sizes(data: bytes) -> Counter[float]:
    return Counter(round(float(c["size"]), 1) for page in pages(data) for c in page.chars
                   if c["text"].strip())


@pytest.fixture(scope="module")
def large_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, str]:
    from bench.large import make_large

    store = Store(tmp_path_factory.mktemp("large"))
    return store, make_large(store)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_body_is_12_pt_and_nothing_under_10(store: Store, lang: str) -> None:
    data, _ = build(store.snapshot(create_demo(store, lang)))
    counted = sizes(data)
    body, _ = counted.most_common(1)[0]
    assert body >= 12 and min(counted) >= 10, counted


def test_large_sets_16_pt(store: Store) -> None:
    data, _ = build(store.snapshot(create_demo(store)), large=True)
    counted = sizes(data)
    assert counted.most_common(1)[0][0] >= 16 and min(counted) >= 10, counted


def test_every_page_is_headed_with_who_what_when_and_page_of(store: Store,
                                                             deck: Deck) -> None:
    snap = store.snapshot(hostile_session(store, deck))
    data, _ = build(snap, comments="all")
    texts = page_texts(data)
    assert len(texts) > 2
    head = " · ".join([snap.meta.association, snap.meta.title, format_date(snap.meta.date, "fi")])
    for number, raw in enumerate(texts, start=1):
        first = normalise(raw.splitlines()[0] if raw else "")
        text = normalise(raw)
        assert head in text and t("print.page", "fi", n=number, of=len(texts)) in text, first


def test_the_large_session_is_a_handout_by_default(large_store: tuple[Store, str]) -> None:
    store, session = large_store
    snap = store.snapshot(session)
    data, shown = build(snap)
    count = page_count(data)
    assert count <= 3  # 40 action items take the second page; comments fill up the third
    assert 0 < shown < len(snap.comments)
    text = all_text(data)
    assert t("print.summary.more_comments", "fi", n=len(snap.comments) - shown) in text
    counted = sizes(data)
    assert min(counted) >= 10 and counted.most_common(1)[0][0] >= 12
    # every area is heard in the selection
    for area in snap.deck.areas:
        assert f"{area.symbol} {area.title('fi')}" in normalise(page_texts(data)[-1])


def test_comments_all_none_and_a_number(store: Store) -> None:
    snap = store.snapshot(create_demo(store))
    _, every = build(snap, comments="all")
    assert every == len(snap.comments)
    data, none = build(snap, comments="none")
    assert none == 0
    assert t("print.summary.more_comments", "fi", n=len(snap.comments)) in all_text(data)
    data, three = build(snap, comments=3)
    assert three == 3
    text = all_text(data)
    assert t("print.summary.more_comments", "fi", n=len(snap.comments) - 3) in text
    assert sum(normalise(c.text) in text for c in snap.comments) == 3


def test_bars_and_bands_read_in_grey(store: Store, deck: Deck) -> None:
    data, _ = build(store.snapshot(create_demo(store)))
    checked = 0
    for page in pages(data):
        for char, ink, fill in text_on_fills(page):
            assert grey_contrast(ink, fill) >= 4.5, char
            checked += 1
    assert checked >= 8  # the demo's bars carry their labels


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_mark_on_the_page(store: Store, deck: Deck, paper: str) -> None:
    data, _ = build(store.snapshot(hostile_session(store, deck)), paper=paper, comments=40)
    edge = 5 * MM
    for page in pages(data):
        assert abs(page.width - styles.PAPERS[paper][0]) < 1
        for kind, x0, top, x1, bottom in marks(page):
            assert x0 >= edge and top >= edge, (kind, x0, top)
            assert x1 <= page.width - edge and bottom <= page.height - edge, (kind, x1, bottom)


def test_cli_options(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    create_demo(store)
    monkeypatch.chdir(tmp_path)
    assert main(["summary", "latest", "--paper", "letter", "--large", "--comments", "2",
                 "-o", "a.pdf"]) == 0
    data = (tmp_path / "a.pdf").read_bytes()
    first = next(pages(data))
    assert abs(first.width - 612) < 1
    assert main(["summary", "latest", "--comments", "lots"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lots" in err and "Traceback" not in err
