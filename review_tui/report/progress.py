"""Progress and cancelling for the long exports (stills, clips), without any UI.

The app runs an export in a worker and hands it a callback and a ``threading.Event``; the
command line passes neither. An export checks the event between steps and raises
:class:`ExportCancelled`, after which nothing is left under a final file name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from review_tui.report.writer import ReportError

ProgressCallback = Callable[[int, int], None]  # (steps done, steps in all)


class ExportCancelled(ReportError):
    """The user cancelled an export; what it had written so far was removed."""


def check_cancel(cancel: threading.Event | None, message: str) -> None:
    """Raise :class:`ExportCancelled` with ``message`` (what was kept) once ``cancel`` is set."""
    if cancel is not None and cancel.is_set():
        raise ExportCancelled(message)


def report_progress(progress: ProgressCallback | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
