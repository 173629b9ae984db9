"""Everything a review left on disk, found so it can be listed and deleted.

The review file and SQLite's companions (-wal, -shm, -journal), the writes kept pending while
the file was locked (``<review>.pending-*``), the other copy of the review (the one kept in the
user data folder while the recording's folder was read-only), the session's name list, every
export the review recorded (review_tui.report.written) and the temporary files an interrupted
atomic write leaves beside any of them (``.<name>.<random>.tmp``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from review_tui.report.pseudonym import names_path_for
from review_tui.session import glob_escape

SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def purge_targets(review_path: Path, entries: list[dict[str, str]], *, other_copies: tuple[Path, ...] = ()) -> list[Path]:
    """What purging this review deletes, given what it recorded writing (``written_entries``):
    existing paths only, each once, review file last (an interrupted purge can run again)."""
    exports = [Path(entry["path"]) for entry in entries]
    copies = [Path(copy) for copy in other_copies if Path(copy) != review_path]
    candidates = [*exports, names_path_for(review_path)]
    for review in [*copies, review_path]:
        candidates += [Path(f"{review}{suffix}") for suffix in SQLITE_COMPANIONS]
        candidates += sorted(review.parent.glob(f"{glob_escape(review.name)}.pending-*"))
    for path in [*exports, *copies, review_path]:
        candidates += sorted(path.parent.glob(f".{glob_escape(path.name)}.*.tmp"))
    candidates += [*copies, review_path]
    found: dict[Path, None] = {}
    for path in candidates:
        if path.exists() or path.is_symlink():
            found.setdefault(path.absolute(), None)
    return list(found)


def delete(paths: list[Path]) -> list[tuple[Path, str]]:
    """Delete ``paths``; the ones that could not go, and why. A folder (a clips export) goes
    only once it is empty: files the review did not write there are never touched."""
    failed = []
    for path in sorted(paths, key=lambda item: item.is_dir() and not item.is_symlink()):
        try:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        except OSError as err:
            reason = "holds files review_tui did not write; left in place" if path.is_dir() else None
            failed.append((path, reason or err.strerror or str(err)))
    return failed
