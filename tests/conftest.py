"""Where the suite's temporary folders live.

The review store is real SQLite with synchronous=FULL, so every tag a test writes waits for an
fsync: tens of milliseconds each on a real disk, nothing on a RAM-backed tmpfs. When the machine
has one (Linux's /dev/shm) with room to spare, pytest's temporary root goes there; the files,
modes and SQLite behaviour are the same, only the wait for the disk is gone. Anywhere else (no
/dev/shm, not writable, too small, or a root chosen by hand) pytest's own default stands.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

RAM_FOLDER = Path("/dev/shm")
# A whole run writes a few hundred MB (generated media, copies of the demo); keep well clear
# of filling memory.
NEEDED_FREE_BYTES = 2 * 1024**3


def ram_temp_root(folder: Path = RAM_FOLDER, needed: int = NEEDED_FREE_BYTES) -> Path | None:
    """``folder`` if temporary files can live there, else None."""
    try:
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            return None
        if shutil.disk_usage(folder).free < needed:
            return None
    except OSError:
        return None
    return folder


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # An explicit --basetemp or PYTEST_DEBUG_TEMPROOT wins; xdist's workers are handed their
    # basetemp under the controller's, so they follow it.
    if config.option.basetemp or os.environ.get("PYTEST_DEBUG_TEMPROOT"):
        return
    root = ram_temp_root()
    if root is not None:
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(root)
