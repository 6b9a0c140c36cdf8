"""The command line as a facilitator meets it (issue 13, items 16, 17 and 19): `latest` is
the session last made, imported or worked on; each command says what it did."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from kit.deck import Deck
from kit.store import Store


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60, check=False)


def test_latest_is_the_session_imported_last(data_dir: Path, tmp_path: Path,
                                             deck: Deck) -> None:
    with Store(data_dir) as store:
        old = store.create_session(deck, date="2026-01-10", title="Vanha")
    exported = tmp_path / "vanha.json"
    assert run("export", old, "--format", "json", "-o", str(exported)).returncode == 0
    time.sleep(0.01)
    demo = run("demo", "--no-ui").stdout.strip()
    time.sleep(0.01)
    imported = run("import", str(exported)).stdout.strip()
    listed = [line.split()[0] for line in run("sessions").stdout.splitlines()]
    assert listed == [imported, demo, old]
    assert Store(data_dir).resolve("latest") == imported
    time.sleep(0.01)
    with Store(data_dir) as store:  # worked on again: first in the list
        store.session(old).record_step("summary")
        assert store.resolve("latest") == old
    assert run("sessions").stdout.split()[0] == old


def test_demo_says_what_it_made_on_stderr(data_dir: Path) -> None:
    done = run("demo", "--no-ui")
    assert done.returncode == 0
    session = done.stdout.strip()
    assert "\n" not in session and session  # stdout: the id alone, for scripts
    assert session in done.stderr and "esimerkki" in done.stderr.lower()


def test_help_says_plain_tyopaja_opens_the_app() -> None:
    assert "Pelkkä tyopaja (ilman komentoa) avaa työpajasovelluksen." in run("--help").stdout
    assert "Plain tyopaja (no command) opens" in run("--help", "--lang", "en").stdout


def test_delete_without_yes_names_the_session(data_dir: Path, deck: Deck) -> None:
    with Store(data_dir) as store:
        session = store.create_session(deck, date="2026-01-10", title="Kevätkokous")
    refused = run("delete", session)
    assert refused.returncode == 2
    assert session in refused.stderr and "Kevätkokous" in refused.stderr
    assert refused.stderr.count("\n") == 1


def test_export_into_a_missing_folder_makes_it(data_dir: Path, tmp_path: Path,
                                               deck: Deck) -> None:
    with Store(data_dir) as store:
        session = store.create_session(deck, date="2026-01-10")
    target = tmp_path / "muistitikku" / "uusi" / "tulokset.csv"
    done = run("export", session, "--format", "csv", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.is_file() and str(target) in done.stderr


def test_deck_without_check_says_how() -> None:
    done = run("deck")
    assert done.returncode == 2
    assert "tyopaja deck check" in done.stderr and "pakollinen argumentti" not in done.stderr
