"""Write a report to disk so that a reader only ever sees the old file or the whole new one.

A report quotes a therapy session, so it is created readable by its owner only (0600), like
the review file it comes from.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from review_tui.model import ReviewTuiError
from review_tui.report.build import build_report
from review_tui.report.markdown import render_markdown

REPORT_MODE = 0o600
# What write_report names its temporary: "." + target name + "." + mkstemp's 8 characters + ".tmp".
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STALE_AFTER_S = 15 * 60  # an export takes seconds; one untouched this long was killed


class ReportError(ReviewTuiError):
    """A report cannot be written."""


def write_report(text: str, path: Path) -> Path:
    """Write ``text`` to ``path`` atomically: a temporary file in the same folder, flushed to
    disk, then renamed over the target. On any failure the old file is left as it was."""
    path = Path(path)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ReportError(f"{path}: the report holds text that is not valid Unicode ({err.reason})") from None
    with atomic_output(path) as stream:
        stream.write(data)
    return path


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary stream whose bytes appear under ``path`` only once the block ends without an
    error: written to a 0600 temporary file beside it, flushed to disk, then renamed over it.
    Formats that stream (HTML with stills) write chunk by chunk instead of holding it all."""
    path = Path(path)
    if path.is_dir():
        raise ReportError(f"{path}: is a folder; name a file for the report")
    folder = path.parent
    remove_stale_temporaries(folder)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise ReportError(f"{path}: cannot write the report: {err.strerror or err}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), REPORT_MODE)
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(err, OSError):
            raise ReportError(f"{path}: cannot write the report: {err.strerror or err}") from None
        raise
    _sync_folder(folder)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete what a killed export left in ``folder``: only files named as our temporaries,
    ours, private (0600) and untouched for STALE_AFTER_S, so a running export keeps its own.
    Returns what was removed; a folder that cannot be listed is left alone."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    oldest = time.time() - STALE_AFTER_S
    for entry in entries:
        if not _TEMPORARY.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if (
                stat.S_ISREG(info.st_mode)
                and info.st_uid == os.geteuid()
                and stat.S_IMODE(info.st_mode) == REPORT_MODE
                and info.st_mtime < oldest
            ):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some systems cannot open a folder, which is fine."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def export_markdown(
    store,
    session,
    path: Path,
    *,
    date: datetime.date | None = None,
    include_suggestions: bool = False,
    only_reviewer: str | None = None,
) -> Path:
    """Build, render and write the Markdown report in one go. Everything is rendered before
    the file is touched, so a failure leaves an earlier report untouched."""
    report = build_report(
        store, session, date=date, include_suggestions=include_suggestions, only_reviewer=only_reviewer
    )
    return write_report(render_markdown(report), path)
