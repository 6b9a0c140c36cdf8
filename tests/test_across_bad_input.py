"""Bad exports given to merge, compare and region: one line each, exit 2, nothing written."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from kit import cli
from kit.deck import load_deck
from kit.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.exports import fake_export  # noqa: E402

DECK = load_deck()


def _good(n: int) -> dict[str, object]:
    return fake_export(random.Random(n), n, DECK, DECK.to_dict())


def _bad(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.json"
    data = _good(7)
    if kind == "version":
        data["version"] = 2
    elif kind == "scale":  # "osittain" renamed: another scale, otherwise a valid export
        deck = data["deck"]
        deck["scale"][1]["id"] = "puoliksi"  # type: ignore[index]
        for entry in data["entries"]:  # type: ignore[attr-defined]
            if entry["data"].get("level") == "osittain":
                entry["data"]["level"] = "puoliksi"
        for box in data["ballots"]:  # type: ignore[attr-defined]
            for rating in box["ratings"]:
                if rating["level"] == "osittain":
                    rating["level"] = "puoliksi"
    text = json.dumps(data, ensure_ascii=False)
    if kind == "truncated":
        text = text[: len(text) // 2]
    elif kind == "not_export":
        text = json.dumps({"deck": "hyvat-kaytanteet", "rows": [1, 2, 3]})
    path.write_text(text, encoding="utf-8")
    return path


KINDS = ["version", "scale", "truncated", "not_export"]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "hyva.json"
    path.write_text(json.dumps(_good(1), ensure_ascii=False), encoding="utf-8")
    return path


def _refused(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    assert cli.main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("kind", KINDS)
def test_merge_refuses(kind: str, tmp_path: Path, good: Path, data_dir: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    bad = _bad(kind, tmp_path)
    line = _refused(capsys, ["merge", str(good), str(bad)])
    assert bad.name in line or kind == "scale"
    assert Store(data_dir).sessions() == []


@pytest.mark.parametrize("kind", KINDS)
def test_compare_refuses(kind: str, tmp_path: Path, good: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    bad = _bad(kind, tmp_path)
    for args in ([str(bad), str(good)], [str(good), str(bad)]):
        for fmt in ("md", "pdf"):
            out = tmp_path / f"vertailu.{fmt}"
            _refused(capsys, ["compare", *args, "--format", fmt, "-o", str(out)])
            assert not out.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_region_refuses(kind: str, tmp_path: Path, good: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = _bad(kind, tmp_path)
    for fmt in ("md", "pdf", "csv"):
        out = tmp_path / f"alue.{fmt}"
        line = _refused(capsys, ["region", str(good), str(bad), "-o", str(out)])
        assert not out.exists() and not list(tmp_path.glob(".*part"))
        assert bad.name in line


def test_the_lines_say_what_is_wrong(tmp_path: Path, good: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "alue.md"
    words = {"version": "versiota 2 ei tunneta", "scale": "eri arviointiasteikkoa",
             "truncated": "katkennut tai se ei ole JSON",
             "not_export": "ei ole työpajan JSON-vienti"}
    for kind, expected in words.items():
        line = _refused(capsys, ["region", str(good), str(_bad(kind, tmp_path)), "-o", str(out)])
        assert expected in line
    line = _refused(capsys, ["--lang", "en", "region", str(good), str(_bad("scale", tmp_path)),
                             "-o", str(out)])
    assert "another rating scale" in line
    line = _refused(capsys, ["region", str(tmp_path / "ei-ole"), "-o", str(out)])
    assert "ei-ole" in line
