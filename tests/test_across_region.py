"""The regional view over 500 associations' exports: its figures equal a plain recount of the
files, and no comment text leaves an association unless asked for."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from kit import cli
from kit.across import export_files
from kit.deck import load_deck
from kit.region import build_region

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.exports import write_exports  # noqa: E402

DECK = load_deck()
KNOWN = [lv.id for lv in DECK.scale if lv.known]
WELL, DEVELOP = DECK.scale[0].id, KNOWN[-1]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("region")
    write_exports(folder / "a", 300)
    write_exports(folder / "b" / "deeper", 200, seed=15)
    # the second batch must be other sessions than the first: ids and times moved on
    for path in sorted((folder / "b").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["session"]["id"] += "b"
        data["session"]["created"] = data["session"]["created"].replace("2027", "2028")
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def recount(folder: Path) -> dict[str, tuple[int, int, int, int, int]]:
    """Per practice: (rated, answers, mostly well, mostly develop, too few), from the files."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for path in sorted(folder.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for entry in data["entries"]:
            if entry["kind"] == "rating":
                counts[entry["data"]["practice"]][entry["data"]["level"]] += entry["data"]["delta"]
        for box in data["ballots"]:
            for rating in box["ratings"]:
                counts[rating["practice"]][rating["level"]] += rating["count"]
        for practice in DECK.practices():
            levels = counts[practice.id]
            known = sum(levels[lv] for lv in KNOWN)
            row = out[practice.id]
            if known >= 3:
                row[0] += 1
                row[1] += known
                row[2] += levels[WELL] * 2 > known
                row[3] += levels[DEVELOP] * 2 > known
            elif known:
                row[4] += 1
    return {k: (v[0], v[1], v[2], v[3], v[4]) for k, v in out.items()}


def test_500_exports_equal_a_recount(exports: Path) -> None:
    region = build_region(export_files([str(exports)]))
    assert region.associations == 500
    expected = recount(exports)
    got = {pid: (r.rated, r.answers, r.well, r.develop, r.few) for pid, r in region.rows.items()}
    assert got == expected
    rows = region.rows.values()
    assert any(r.well for r in rows) and any(r.develop for r in rows)
    assert all(not r.comments for r in region.rows.values())


@pytest.mark.parametrize("fmt", ["md", "csv", "pdf"])
def test_no_comment_text_without_comments(exports: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"alue.{fmt}"
    assert cli.main(["region", str(exports / "a"), "-o", str(out), "--format", fmt]) == 0
    text = _text(out, fmt)
    assert "salainen teksti" not in text and "Toimenpide" not in text
    assert "300" in text
    with_comments = tmp_path / f"kommentit.{fmt}"
    assert cli.main(["region", str(exports / "a"), "-o", str(with_comments), "--comments"]) == 0
    assert "salainen teksti" in _text(with_comments, with_comments.suffix[1:])


def _text(path: Path, fmt: str) -> str:
    if fmt == "pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8")


def test_the_same_export_twice_is_refused(exports: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    one = exports / "a" / "yhdistys-0001.json"
    copy = tmp_path / "kopio.json"
    copy.write_bytes(one.read_bytes())
    out = tmp_path / "alue.md"
    assert cli.main(["region", str(one), str(copy), "-o", str(out)]) == 2
    assert "sama istunto" in capsys.readouterr().err and not out.exists()
