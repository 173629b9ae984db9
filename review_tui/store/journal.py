"""How a review file keeps its writes: whole in the one file, at every moment.

A rollback journal (SQLite's DELETE mode) writes each commit into the review file itself; the
``-journal`` beside it only lives while a transaction runs, and a kill -9 mid-write leaves a
hot journal that SQLite rolls back on the next open. So copying the ``.review.sqlite`` alone
carries every committed tag, and two instances still share the file (the lock is taken per
transaction, which is milliseconds). WAL would keep the newest commits in ``-wal`` until a
checkpoint, which a reader in another instance can hold off for as long as it reads.

A review file written by an older review_tui is in WAL mode; the first open converts it, which
also folds its ``-wal`` into the file. Another program that holds it open in WAL mode keeps it
so: then every commit is followed by a checkpoint, the closest WAL gets to the same promise.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from review_tui.model import StoreError

SIDECARS = ("-wal", "-journal")
_WAL_FORMAT = b"\x02\x02"  # bytes 18-19 of the SQLite header: the file is in WAL mode


@dataclass(frozen=True, slots=True)
class Beforehand:
    """What lay on disk before SQLite touched the file."""

    in_wal_mode: bool
    empty: bool  # no database in it yet (missing, or shorter than a header)
    sidecars: tuple[Path, ...]  # -wal / -journal files beside it, not empty


def look_beforehand(path: Path) -> Beforehand:
    try:
        with open(path, "rb") as stream:
            header = stream.read(100)
    except OSError:
        header = b""
    in_wal = header.startswith(b"SQLite format 3\x00") and header[18:20] == _WAL_FORMAT
    sidecars = []
    for suffix in SIDECARS:
        sidecar = Path(f"{path}{suffix}")
        try:
            if sidecar.stat().st_size > 0:
                sidecars.append(sidecar)
        except OSError:
            continue
    return Beforehand(in_wal, len(header) < 100, tuple(sidecars))


def refuse_an_empty_shell(db: sqlite3.Connection, path: Path, beforehand: Beforehand) -> None:
    """A review with no tables is new, unless something says its contents are elsewhere: then
    say where, rather than start a new review over it."""
    if beforehand.empty and beforehand.sidecars:  # checked first: SQLite discards such a -wal
        _refuse(path, beforehand.sidecars[0])
    if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        return
    # The read above let SQLite roll back a hot journal of this file: that one was a first
    # write that never committed, and the review is truly new.
    left = [sidecar for sidecar in beforehand.sidecars if sidecar.exists()]
    if left:
        _refuse(path, left[0])
    if beforehand.in_wal_mode:
        raise StoreError(
            f"{path}: holds no tags, only the outline of a review whose tags were kept in "
            f"{path.name}-wal, which is not beside it; copy that file beside it and open again"
        )


def _refuse(path: Path, sidecar: Path) -> None:
    raise StoreError(
        f"{path}: looks empty, but {sidecar.name} beside it may hold its tags; open it where it "
        f"was written, or move {sidecar.name} away to start a new review here"
    )


def keep_writes_in_the_file(db: sqlite3.Connection) -> bool:
    """Put the file in rollback-journal mode; False when another program holds it open in WAL
    mode, so the caller must checkpoint after each commit."""
    try:
        mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "wal"
    db.execute("PRAGMA synchronous = FULL")
    return str(mode).lower() != "wal"


def checkpoint(db: sqlite3.Connection) -> None:
    """Copy what WAL holds into the file itself (only needed while WAL could not be left)."""
    db.execute("PRAGMA wal_checkpoint(FULL)")
