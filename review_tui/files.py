"""Whether a path named by the user can be read as a file, said in one line when it cannot."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from review_tui.model import ReviewTuiError
from review_tui.text import visible


def check_readable_file(path: Path, what: str = "file") -> None:
    """Raise one line saying why ``path`` cannot be read as a ``what``: missing, a link loop, a
    folder, or not a regular file. A FIFO would block the first read for ever, so it is refused
    before anything opens it."""
    shown = visible(str(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        detail = " (a symbolic link to nothing)" if os.path.islink(path) else ""
        raise ReviewTuiError(f"{shown}: no such {what}{detail}") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ReviewTuiError(f"{shown}: symbolic link loop (the link leads back to itself)") from None
        raise ReviewTuiError(f"{shown}: cannot read: {error.strerror or error}") from None
    if stat.S_ISDIR(mode):
        raise ReviewTuiError(f"{shown}: is a folder, not a {what}")
    if not stat.S_ISREG(mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise ReviewTuiError(f"{shown}: is {kind}, not a {what}; name a regular file")
