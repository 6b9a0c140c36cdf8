"""`tyopaja` and `tyopaja demo` open the app; without a terminal they say so in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kit.store import Store


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def test_no_command_needs_a_terminal(data_dir: Path) -> None:
    result = run()
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tyopaja: sovellus tarvitsee päätteen (terminaalin); komennot: tyopaja --help"]
    result = run("--lang", "en")
    assert "the app needs a terminal" in result.stderr


def test_demo_without_a_terminal_creates_nothing(data_dir: Path) -> None:
    result = run("demo")
    assert result.returncode == 2 and "päätteen" in result.stderr
    assert not data_dir.exists() or Store(data_dir).sessions() == []
    assert run("demo", "--no-ui").returncode == 0  # the scripted way still works


def test_the_app_is_built_lazily() -> None:
    code = ("import sys\nimport kit.cli\n"
            "print('textual' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "False"
