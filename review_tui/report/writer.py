"""Write a report to disk so that a reader only ever sees the old file or the whole new one.

A report quotes a therapy session, so it is created readable by its owner only (0600), like
the review file it comes from.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from review_tui.model import ReviewTuiError
from review_tui.report.build import build_report
from review_tui.report.markdown import render_markdown

REPORT_MODE = 0o600


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
