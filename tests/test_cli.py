"""The command line contract (PRODUCT.md §5): outputs, exit codes, languages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kit import cli


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True,
                          input=stdin, timeout=120)


def test_demo_prints_only_the_id_and_sessions_lists_it(data_dir: Path) -> None:
    result = run("demo", "--no-ui")
    assert result.returncode == 0, result.stderr
    session = result.stdout.strip()
    assert result.stdout == session + "\n" and len(session.split()) == 1
    listing = run("sessions")
    assert listing.returncode == 0
    line = listing.stdout.strip()
    assert line.startswith(session)
    assert "2027-03-12" in line and "Esimerkkilän kyläyhdistys ry" in line
    assert "yhteenveto" in line and "merkintää" in line


def test_demo_is_deterministic(data_dir: Path) -> None:
    first = run("demo", "--no-ui").stdout.strip()
    second = run("demo", "--no-ui").stdout.strip()
    a = json.loads(run("export", first, "--format", "json").stdout)
    b = json.loads(run("export", second, "--format", "json").stdout)
    for data in (a, b):
        data["session"].pop("id")
        data["session"].pop("created")
        for entry in data["entries"]:
            entry.pop("at")
    assert a == b
    snap = a
    assert len(snap["session"]["groups"]) == 3
    kinds = {e["kind"] for e in snap["entries"]}
    assert {"rating", "dots", "comment", "action"} <= kinds
    assert sum(e["kind"] == "action" for e in snap["entries"]) == 2
    commented = {e["data"]["area"] for e in snap["entries"] if e["kind"] == "comment"}
    assert commented == {"osallisuus", "yhteistyo", "arvot", "perustoiminta"}


def test_export_to_stdout_and_file(data_dir: Path, tmp_path: Path) -> None:
    session = run("demo", "--no-ui").stdout.strip()
    md = run("export", "latest", "--format", "md")
    assert md.returncode == 0 and md.stdout.startswith("# Hyvät käytänteet -työpaja")
    target = tmp_path / "out.csv"
    result = run("export", session, "--format", "csv", "-o", str(target))
    assert result.returncode == 0 and result.stdout == ""
    assert target.read_text("utf-8-sig").startswith("tyyppi;osa-alue")
    assert str(target) in result.stderr


def test_english_session_speaks_english(data_dir: Path) -> None:
    run("--lang", "en", "demo", "--no-ui")
    md = run("export", "latest", "--format", "md")
    assert "## ◆ Participation" in md.stdout and "Action items" in md.stdout
    missing = run("export", "nope", "--format", "md")
    assert missing.returncode == 2 and "ei löydy" in missing.stderr  # no session: default fi
    err = run("export", "latest", "--format", "md", "-o", "/proc/nope/x.md")
    assert err.returncode == 2 and "cannot write" in err.stderr  # the session is English


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["export", "latest"], ["--format"]),
        (["export", "latest", "--format", "pdf"], ["pdf"]),
        (["nonsense"], ["nonsense"]),
        (["delete"], ["SESSION"]),
        (["demo", "extra"], ["extra"]),
        (["sessions", "--bogus"], ["--bogus"]),
    ],
)
def test_usage_errors_are_one_finnish_line(args: list[str], words: list[str],
                                           data_dir: Path) -> None:
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tyopaja: ") and "ohje: tyopaja --help" in lines[0]
    for word in words:
        assert word in lines[0]


def test_errors_in_english_with_lang(data_dir: Path) -> None:
    result = run("--lang", "en", "export", "latest")
    assert result.returncode == 2 and "help: tyopaja --help" in result.stderr
    result = run("export", "latest", "--format", "md", "--lang", "en")
    assert result.returncode == 2 and "no saved sessions" in result.stderr


def test_delete_asks_unless_yes(data_dir: Path) -> None:
    session = run("demo", "--no-ui").stdout.strip()
    refused = run("delete", session, stdin="")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert session in run("sessions").stdout
    done = run("delete", session, "--yes")
    assert done.returncode == 0 and session in done.stdout
    assert run("sessions").stdout.strip() == "Ei tallennettuja istuntoja."
    again = run("delete", session, "--yes")
    assert again.returncode == 2


def test_unexpected_errors_exit_1_with_a_log(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str],
                                             data_dir: Path) -> None:
    def explode(ctx: object) -> int:
        raise RuntimeError("bug")

    monkeypatch.setattr(cli, "cmd_sessions", explode)
    assert cli.main(["sessions"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("tyopaja: odottamaton virhe") and "Traceback" not in err
    log = Path(err.rsplit(" ", 1)[1])
    assert "RuntimeError: bug" in log.read_text()


def test_data_dir_option_and_environment(tmp_path: Path, data_dir: Path) -> None:
    elsewhere = tmp_path / "usb"
    session = run("--data-dir", str(elsewhere), "demo", "--no-ui").stdout.strip()
    assert (elsewhere / "tyopaja.sqlite3").exists()
    assert session not in run("sessions").stdout  # TYOPAJA_DATA_DIR is another folder
    assert session in run("sessions", "--data-dir", str(elsewhere)).stdout
