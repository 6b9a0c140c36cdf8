"""The ./test script, run against fake system tools.

PATH points only at a folder of shims (dpkg-query, apt-get, sudo, id, python3) that record their
arguments, so missing packages, a user without root, sudo wanting a password and a machine
without apt-get are simulated without touching the real system. The script is copied into a
temporary folder, so the fake .venv it makes lands there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "test"
PACKAGES = [
    "poppler-utils", "zbar-tools", "fonts-dejavu-core", "fusefat", "dosfstools", "chromium",
    "tmux", "cups", "printer-driver-cups-pdf", "python3-venv", "pandoc",
]
BASH = shutil.which("bash")
ENV = shutil.which("env")

pytestmark = pytest.mark.skipif(not (BASH and ENV), reason="needs bash and env")

# Every shim writes one line: its name, then each argument in brackets.
RECORD = '{ printf "%s" "${0##*/}"; printf " [%s]" "$@"; echo; } >> "$FAKE_LOG"\n'

SHIMS = {
    "dpkg-query": (
        'pkg="${@: -1}"\n'
        'if [ -f "$FAKE_STATUS/$pkg" ]; then cat "$FAKE_STATUS/$pkg"; exit 0; fi\n'
        'echo "dpkg-query: no packages found matching $pkg" >&2; exit 1\n'
    ),
    "apt-get": 'exit "${FAKE_APT_RC:-0}"\n',
    "sudo": (
        'if [ "$1" = -n ]; then [ "${FAKE_SUDO_NOPASS:-}" = 1 ] || exit 1; shift; fi\n'
        'exec "$@"\n'
    ),
    "id": '[ "$1" = -u ] && echo "${FAKE_UID:-0}"\n',
    "python3": (
        'if [ "$1" = -c ]; then echo "${FAKE_PY:-3 11}"; exit 0; fi\n'
        'if [ "$1 $2 $3" = "-m venv .venv" ]; then\n'
        '  mkdir -p .venv/bin\n'
        '  for tool in pip python; do\n'
        '    { echo "#!$FAKE_BASH"; echo \'printf "%s" "venv-${0##*/}" >> "$FAKE_LOG"; '
        'printf " [%s]" "$@" >> "$FAKE_LOG"; echo >> "$FAKE_LOG"\'; } > .venv/bin/$tool\n'
        '    chmod +x .venv/bin/$tool\n'
        '  done\n'
        'fi\n'
    ),
}


class Machine:
    """A temporary checkout with the script, a shim folder and the shims' log."""

    def __init__(self, root: Path, *, apt: bool = True) -> None:
        self.repo = root / "repo"
        self.bin = root / "bin"
        self.status = root / "status"
        self.log = root / "log"
        for folder in (self.repo, self.bin, self.status):
            folder.mkdir()
        shutil.copy(SCRIPT, self.repo / "test")
        # What the script itself needs besides the shims: its interpreter, env (under sudo)
        # and a few coreutils, nothing that could install anything.
        for tool in ("bash", "env", "true", "cat", "mkdir", "chmod", "rm"):
            (self.bin / tool).symlink_to(shutil.which(tool))
        for name, body in SHIMS.items():
            if not apt and name in ("dpkg-query", "apt-get"):
                continue
            shim = self.bin / name
            shim.write_text(f"#!{BASH}\n{RECORD}{body}")
            shim.chmod(0o755)
        self.installed(*PACKAGES)

    def installed(self, *names: str, status: str = "install ok installed") -> None:
        for name in names:
            (self.status / name).write_text(status)

    def missing(self, *names: str) -> None:
        for name in names:
            (self.status / name).unlink()

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        self.log.write_text("")
        environ = {
            "PATH": str(self.bin), "HOME": str(self.repo), "FAKE_LOG": str(self.log),
            "FAKE_STATUS": str(self.status), "FAKE_BASH": BASH, **env,
        }
        return subprocess.run(
            [str(self.repo / "test"), *args], cwd=self.repo.parent, env=environ,
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        )

    def calls(self, name: str | None = None) -> list[str]:
        lines = self.log.read_text().splitlines()
        return [line for line in lines if name is None or line.split(" ", 1)[0] == name]


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def test_everything_present_installs_nothing_and_passes_the_arguments_on(machine: Machine):
    result = machine.run("-k", "room and not slow", "-x")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert machine.calls("apt-get") == [] and machine.calls("sudo") == []
    assert len(machine.calls("dpkg-query")) == len(PACKAGES)
    assert machine.calls("dpkg-query")[0] == "dpkg-query [-W] [-f=${Status}] [poppler-utils]"
    assert machine.calls("python3")[-1] == "python3 [-m] [venv] [.venv]"
    assert machine.calls("venv-pip") == ["venv-pip [install] [-q] [.[test]]"]
    assert machine.calls("venv-python") == [
        "venv-python [-m] [pytest] [-q] [-k] [room and not slow] [-x]"
    ]


def test_only_the_missing_packages_are_installed_after_one_update(machine: Machine):
    machine.missing("zbar-tools", "cups")
    machine.installed("tmux", status="deinstall ok config-files")  # removed, config kept
    result = machine.run()
    assert result.returncode == 0, result.stderr
    assert machine.calls("apt-get") == [
        "apt-get [update] [-qq]",
        "apt-get [install] [-y] [-qq] [zbar-tools] [tmux] [cups]",
    ]
    assert machine.calls("sudo") == []  # root
    assert result.stdout.splitlines() == [
        "zbar-tools: the PDF tests read the QR codes back (zbarimg)",
        "tmux: the terminal checks run the real app in tmux",
        "cups: the print-queue test prints through a real CUPS queue",
    ]
    assert machine.calls("venv-python") == ["venv-python [-m] [pytest] [-q]"]


def test_a_user_installs_through_sudo_without_a_prompt(machine: Machine):
    machine.missing("poppler-utils")
    result = machine.run(FAKE_UID="1000", FAKE_SUDO_NOPASS="1", CI="true")
    assert result.returncode == 0, result.stderr
    env = "[-n] [env] [DEBIAN_FRONTEND=noninteractive]"
    assert machine.calls("sudo") == [
        "sudo [-n] [true]",
        f"sudo {env} [apt-get] [update] [-qq]",
        f"sudo {env} [apt-get] [install] [-y] [-qq] [poppler-utils]",
    ]
    assert machine.calls("apt-get")[-1] == "apt-get [install] [-y] [-qq] [poppler-utils]"
    assert result.stdout.splitlines() == [
        "poppler-utils: the PDF tests rasterise pages and read their text (pdftoppm, pdftotext)"
    ]


def test_sudo_wanting_a_password_gives_one_line_with_the_command_to_run(machine: Machine):
    machine.missing("fusefat", "dosfstools")
    result = machine.run(FAKE_UID="1000", CI="true")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "./test: sudo needs a password (sudo -n failed); run by hand: "
        "sudo apt-get update && sudo apt-get install -y fusefat dosfstools"
    ]
    assert machine.calls("apt-get") == [] and machine.calls("python3") == []


def test_a_failed_install_stops_before_the_tests(machine: Machine):
    machine.missing("chromium")
    result = machine.run(FAKE_APT_RC="100")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith("./test: apt-get update failed; run by hand:")
    assert machine.calls("venv-python") == []


def test_without_apt_get_it_lists_the_packages_and_exits_2(tmp_path: Path):
    machine = Machine(tmp_path, apt=False)
    result = machine.run("-k", "room")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("The tests need these programs (Debian/Ubuntu package names")
    assert [line.split(":")[0].strip() for line in lines[1:-1]] == PACKAGES
    assert all(len(line.split(": ", 1)[1]) > 10 for line in lines[1:-1])  # a description each
    assert lines[-1].startswith("./test: no apt-get here:")
    assert result.stdout == ""
    assert machine.calls() == []  # nothing else ran: no venv, no pip, no pytest


def test_an_old_python_is_named(machine: Machine):
    result = machine.run(FAKE_PY="3 10")
    assert result.returncode == 2
    assert result.stderr == "./test: python3 is 3.10; the kit needs Python 3.11 or newer\n"
    assert machine.calls("venv-pip") == []


def test_the_second_run_keeps_the_venv_and_reinstalls_the_kit(machine: Machine):
    assert machine.run().returncode == 0
    result = machine.run("tests/test_deck.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert machine.calls("apt-get") == []
    assert "python3 [-m] [venv] [.venv]" not in machine.calls("python3")
    assert machine.calls("venv-pip") == ["venv-pip [install] [-q] [.[test]]"]
    assert machine.calls("venv-python") == ["venv-python [-m] [pytest] [-q] [tests/test_deck.py]"]


def test_the_script_is_executable_bash():
    assert os.access(SCRIPT, os.X_OK)
    assert SCRIPT.read_text().startswith("#!/usr/bin/env bash\n")
    subprocess.run([BASH, "-n", str(SCRIPT)], check=True)
