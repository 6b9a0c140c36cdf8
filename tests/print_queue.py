"""A private CUPS print system for the Print button's tests.

`cups_queue` starts its own `cupsd` (its own ServerRoot, spool, cache, state and logs in a fresh
folder under /tmp; it listens on a Unix socket only, no TCP port), adds the `tyopaja-test` queue
on the cups-pdf backend, makes it the default and points the product's `lp` at it with
CUPS_SERVER. The stop finalizer kills the scheduler and removes the folder.

cups-pdf reads its settings from /etc/cups/cups-pdf.conf only (the path is compiled in; it does
not follow cupsd's ServerRoot, and its output folder cannot be set in a PPD: the PPD parser cuts
a default value at its first "/"). So cupsd runs in a private mount namespace (`unshare -m`)
where our ServerRoot's cups-pdf.conf is bind-mounted over /etc/cups/cups-pdf.conf: only that
scheduler and its backends see it; /etc itself is never written.

Needs root (cups-pdf is a root-only backend; the bind mount needs CAP_SYS_ADMIN) and the Debian
packages `cups` and `printer-driver-cups-pdf`. Where they cannot run, the fixture fails with a
plain sentence saying why; it never skips.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

QUEUE = "tyopaja-test"
DRIVER = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
START_TIMEOUT = 20.0
COMMAND_TIMEOUT = 20.0


class CupsUnavailable(Exception):
    """The machine cannot run a private cupsd with cups-pdf; the message says why."""


@dataclass
class CupsQueue:
    root: Path  # ServerRoot and everything else of this cupsd
    socket: Path
    out: Path  # where cups-pdf writes the printed PDFs
    process: subprocess.Popen[bytes]
    name: str = QUEUE
    stopped: bool = field(default=False)

    def admin(self, *args: str) -> str:
        """Run a CUPS command against this scheduler (`-h SOCKET` is added)."""
        return run(args[0], "-h", str(self.socket), *args[1:])

    def pdfs(self) -> list[Path]:
        return sorted(self.out.glob("**/*.pdf")) if self.out.exists() else []

    def wait_for_pdf(self, timeout: float = 30.0) -> Path:
        """The first PDF cups-pdf finished (ghostscript has written it out); bounded."""
        deadline = time.monotonic() + timeout
        # Each file's size at the last look: a PDF is done when its size held between two
        # looks. (One `last` for all files never matched when two jobs had both finished.)
        last: dict[Path, int] = {}
        while time.monotonic() < deadline:
            for path in self.pdfs():
                size = path.stat().st_size
                if size > 0 and last.get(path) == size and self._job_done():
                    return path
                last[path] = size
            if self.process.poll() is not None:
                raise AssertionError(f"cupsd ended while printing:\n{self.log_tail()}")
            time.sleep(0.25)
        raise AssertionError(f"no PDF in {self.out} after {timeout:.0f} s; queue "
                             f"{self._jobs()!r}\n{self.log_tail()}")

    def _jobs(self) -> str:
        try:
            return self.admin("lpstat", "-o", self.name)
        except CupsUnavailable as exc:
            return str(exc)

    def _job_done(self) -> bool:
        return self._jobs().strip() == ""

    def log_tail(self, lines: int = 40) -> str:
        parts = []
        for log in sorted((self.root / "log").glob("*")):
            if log.is_file():
                text = log.read_text("utf-8", "replace").splitlines()[-lines:]
                parts.append(f"--- {log.name}\n" + "\n".join(text))
        return "\n".join(parts)

    def stop(self) -> None:
        """Kill the scheduler (and its filters), wait for it; idempotent."""
        if self.stopped:
            return
        self.stopped = True
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
            if self.process.poll() is not None:
                break
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue


def run(*command: str, timeout: float = COMMAND_TIMEOUT) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL, env=_clean_env())
    except FileNotFoundError:
        raise CupsUnavailable(f"{command[0]} is not installed") from None
    except subprocess.TimeoutExpired:
        raise CupsUnavailable(f"{' '.join(command)} did not answer in {timeout:.0f} s") from None
    if result.returncode != 0:
        raise CupsUnavailable(f"{' '.join(command)} failed ({result.returncode}): "
                              f"{(result.stderr or result.stdout).strip()}")
    return result.stdout


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("CUPS_SERVER", "LPDEST", "PRINTER", "CUPS_USER")}
    env["LC_ALL"] = "C"
    return env


def _write_config(root: Path) -> None:
    for name in ("spool/tmp", "cache", "state", "log", "ppd", "out", "pdf-spool"):
        (root / name).mkdir(parents=True, exist_ok=True)
    # Backends and filters run as lp: they must get through to the spool.
    root.chmod(0o755)
    (root / "cupsd.conf").write_text(f"""\
Listen {root}/cups.sock
LogLevel debug
WebInterface No
Browsing No
DefaultAuthType None
MaxJobs 50
PreserveJobHistory No
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow all
  </Limit>
</Policy>
""")
    (root / "cups-files.conf").write_text(f"""\
ServerRoot {root}
RequestRoot {root}/spool
TempDir {root}/spool/tmp
CacheDir {root}/cache
StateDir {root}/state
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
User lp
Group lp
SystemGroup root
""")
    (root / "cups-pdf.conf").write_text(f"""\
Out {root}/out
AnonDirName {root}/out
Spool {root}/pdf-spool
Log {root}/log
GSTmp {root}/spool/tmp
Grp lp
LogType 7
""")


def start_cups() -> CupsQueue:
    """A running private cupsd with the default queue `tyopaja-test`; raises CupsUnavailable."""
    for tool in ("cupsd", "lpstat", "lpadmin", "lp", "unshare", "gs"):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            raise CupsUnavailable(f"{tool} is not installed")
    if not Path("/usr/lib/cups/backend/cups-pdf").exists():
        raise CupsUnavailable("the cups-pdf backend is not installed "
                              "(Debian package printer-driver-cups-pdf)")
    if not Path("/etc/cups/cups-pdf.conf").exists():
        raise CupsUnavailable("/etc/cups/cups-pdf.conf is missing (printer-driver-cups-pdf)")
    if os.geteuid() != 0:
        raise CupsUnavailable("cupsd with the cups-pdf backend needs root")
    # A short path: a Unix socket's path must stay under 108 bytes.
    root = Path(tempfile.mkdtemp(prefix="tpcups-", dir="/tmp"))
    try:
        _write_config(root)
        cupsd = shutil.which("cupsd") or "/usr/sbin/cupsd"
        script = ('mount --bind "$1" /etc/cups/cups-pdf.conf || exit 97; '
                  'exec "$2" -f -c "$3" -s "$4"')
        process = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
             str(root / "cups-pdf.conf"), cupsd, str(root / "cupsd.conf"),
             str(root / "cups-files.conf")],
            stdin=subprocess.DEVNULL, stdout=(root / "log" / "cupsd.out").open("wb"),
            stderr=subprocess.STDOUT, start_new_session=True, env=_clean_env())
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    queue = CupsQueue(root=root, socket=root / "cups.sock", out=root / "out", process=process)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise CupsUnavailable(f"cupsd did not start (exit {process.returncode}):\n"
                                      + queue.log_tail())
            if queue.socket.exists():
                try:
                    if "is running" in queue.admin("lpstat", "-r"):
                        break
                except CupsUnavailable:
                    pass
            if time.monotonic() > deadline:
                raise CupsUnavailable(f"cupsd did not answer in {START_TIMEOUT:.0f} s:\n"
                                      + queue.log_tail())
            time.sleep(0.1)
        queue.admin("lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-E", "-m", DRIVER)
        queue.admin("lpadmin", "-d", QUEUE)
    except BaseException:
        queue.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise
    return queue


@pytest.fixture
def cups_queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[CupsQueue]:
    """A private cupsd and its default queue; the product's `lp` talks to it."""
    try:
        queue = start_cups()
    except CupsUnavailable as exc:
        pytest.fail(f"This machine cannot run the print test's private CUPS: {exc}",
                    pytrace=False)
    for name in ("LPDEST", "PRINTER", "CUPS_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CUPS_SERVER", str(queue.socket))
    try:
        yield queue
    finally:
        queue.stop()
        shutil.rmtree(queue.root, ignore_errors=True)
