"""Private working folders for exports, cleared even after a kill -9.

A clip export writes the transcript lines it burns in (and the labels of its contact sheet)
to files for ffmpeg to read. They quote the session, so they live under the user's own state
folder (0700), named after the process that made them; a folder whose process is gone was
left by a killed export and is removed the next time one starts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from review_tui import locations


@contextlib.contextmanager
def scratch_folder(purpose: str) -> Iterator[Path]:
    """A new 0700 folder for ``purpose``'s working files, removed when the block ends."""
    root = locations.scratch_dir()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(root, 0o700)
    remove_abandoned(root)
    folder = root / f"{purpose}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_abandoned(root: Path) -> list[Path]:
    """Remove the folders under ``root`` whose process no longer runs; the ones removed."""
    removed = []
    for folder in root.iterdir() if root.is_dir() else ():
        pid = _pid_of(folder.name)
        if pid is None or _running(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _pid_of(name: str) -> int | None:
    parts = name.rsplit("-", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: not ours to judge
    return True
