"""The domain stays free of UI and PDF code, and nothing in the kit touches the network except
the room server, which only listens: while a phone round is open, on the one address the
facilitator chose, and never connects anywhere (tests/test_room_listen.py proves that part).
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kit.demo import create_demo
from kit.exports import csvfile, jsonfile, markdown
from kit.report import build_report
from kit.store import Store

DOMAIN = ["kit.deck", "kit.session", "kit.store", "kit.i18n", "kit.errors", "kit.demo",
          "kit.exports", "kit.exports.jsonfile", "kit.exports.csvfile", "kit.exports.markdown"]


def test_domain_imports_without_textual_or_reportlab() -> None:
    code = (
        "import sys\n"
        f"for name in {DOMAIN!r}: __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'reportlab', "
        "'rich', 'qrcode'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_non_ui_commands_do_not_load_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from kit.cli import main\n"
        f"main(['--data-dir', {str(tmp_path)!r}, 'demo', '--no-ui'])\n"
        f"main(['--data-dir', {str(tmp_path)!r}, 'export', 'latest', '--format', 'csv'])\n"
        "print('textual' in sys.modules, 'reportlab' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "False False"


def test_the_network_guard_is_real() -> None:
    with pytest.raises(AssertionError, match="network access attempted"):
        socket.create_connection(("127.0.0.1", 9))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(AssertionError, match="network access attempted"):
            sock.connect(("127.0.0.1", 9))
    finally:
        sock.close()


def test_a_whole_session_runs_with_the_network_cut(store: Store) -> None:
    """Everything the foundation does, under the guard: any connection would fail here (and
    nothing of it listens either: tests/test_room_listen.py)."""
    session = create_demo(store)
    snap = store.snapshot(session)
    assert jsonfile.dumps(snap, store.entries(session))
    assert csvfile.dumps(build_report(snap)) and markdown.dumps(build_report(snap))
    assert store.import_session(*jsonfile.loads(jsonfile.dumps(snap, store.entries(session))))
