"""The crash log: where a bug's traceback goes, for the command line and the app alike.

Headless on purpose (no Textual, no `kit.cli`): the app's crash handler and the command line
both write through here, so neither has to import the other.
"""

from __future__ import annotations

import datetime as _dt
import tempfile
import traceback
from pathlib import Path


def log_unexpected(error: BaseException | None = None) -> str:
    """Write the traceback (of `error`, else the one being handled) to a log file and return
    its path (for a bug report), or "-" when no folder would take it.

    The data folder's `logs/` first, else the temp dir: a crash must not fail a second time.
    """
    from kit.store import default_data_dir  # sqlite and platformdirs only once it is needed

    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = traceback.format_exc() if error is None else "".join(traceback.format_exception(error))
    for folder in (default_data_dir() / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / f"tyopaja-error-{stamp}.log"
            path.write_text(text, encoding="utf-8")
            return str(path)
        except OSError:
            continue
    return "-"
