"""The demo's working copy: the bundled session copied to the user data folder.

The review file and the reports are written beside the recording, so the demo must never run
from where it is installed: site-packages belongs to the package manager, and a checkout's
examples/ folder to git. The copy is made on first use and made again when a file of the
bundled session changed (a new version of the package).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from review_tui import locations
from review_tui.model import ReviewTuiError

DEMO_NAME = "formulaic"
# What a session needs; the scripts that made the demo stay where they are.
SAMPLE_REVIEWS = ("sample_review.json", "sample_review_second.json")  # a supervisor's, a rater's
DEMO_FILES = (f"{DEMO_NAME}.mp4", f"{DEMO_NAME}.srt", *SAMPLE_REVIEWS)


def demo_session_dir() -> Path:
    """The folder of the demo's working copy, made or refreshed from the bundled session."""
    bundled = locations.bundled_examples_dir()
    if bundled is None:
        raise ReviewTuiError("the bundled demo session is missing from this installation")
    source = bundled / DEMO_NAME
    target = locations.demo_dir() / DEMO_NAME
    try:
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in DEMO_FILES:
            _copy_if_changed(source / name, target / name)
    except OSError as error:
        raise ReviewTuiError(f"{target}: cannot copy the demo session there: {error.strerror or error}") from None
    return target


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        return  # copied before: keep it, and the review made against it stays valid
    partial = target.with_name(target.name + ".copying")
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(source, "rb") as reader, os.fdopen(handle, "wb") as writer:
        shutil.copyfileobj(reader, writer)
    os.replace(partial, target)  # a copy cut short never passes for the whole file
