"""An unexpected error, written down for whoever fixes it, and not shown on the terminal.

A traceback on screen can carry clinical text (a cue, a note in a local variable), and stays in
the terminal's scrollback for anyone to read. The details go to a crash log instead: mode 0600
in the user's state folder, frames and lines only, never local variables. The terminal gets one
line that names the log.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

from review_tui import __version__, locations


def write_crash_log(error: BaseException, *, folder: Path | None = None) -> Path:
    """Write ``error``'s traceback to a new 0600 file in ``folder`` (default: the state folder's
    crash logs) and return its path. Raises OSError when it cannot be written."""
    folder = folder or locations.crash_logs_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    path = folder / f"crash-{stamp}-{os.getpid()}.log"
    body = "".join(
        [
            f"review-tui {__version__} crashed at {stamp}\n",
            f"python {platform.python_version()} on {sys.platform}\n\n",
            *traceback.format_exception(error),  # no locals: they can hold what a patient said
        ]
    )
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as file:
        file.write(body)
    return path


def crash_line(error: BaseException) -> str:
    """The one line the terminal gets: what kind of error, and where its details are."""
    kind = type(error).__name__
    try:
        path = write_crash_log(error)
    except OSError as failure:
        return f"review-tui: unexpected error ({kind}); the crash log could not be written: {failure.strerror or failure}"
    return f"review-tui: unexpected error ({kind}); details are in {path}"
