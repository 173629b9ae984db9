"""The review file's schema and the migrations that bring an older file up to date.

``PRAGMA user_version`` is the number of migrations a file has had; ``MIGRATIONS[n]`` takes it
from version n to n + 1 inside one transaction. Append new migrations; never edit old ones.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from review_tui.model import StoreError

APPLICATION_ID = 0x52545549  # "RTUI" in the SQLite header: this database is a review file
WRITTEN_AT_KEY = "review.written_at"  # when the tags or links last changed (the store sets it)
LINK_KINDS = ("response", "repair")

_SCHEMA_V1 = f"""
PRAGMA application_id = {APPLICATION_ID};
CREATE TABLE session (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    media_fingerprint TEXT,
    transcript_fingerprint TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE codebook (id INTEGER PRIMARY KEY CHECK (id = 1), snapshot TEXT NOT NULL);
CREATE TABLE reviewers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    UNIQUE (name, role)
);
-- AUTOINCREMENT: an id is never handed out twice, so undo can bring a deleted tag back as itself.
CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    start_ms INTEGER NOT NULL CHECK (start_ms >= 0),
    end_ms INTEGER CHECK (end_ms IS NULL OR end_ms >= start_ms),
    code_id TEXT NOT NULL,
    rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    note TEXT NOT NULL DEFAULT '',
    author_id INTEGER NOT NULL REFERENCES reviewers (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tags_by_start ON tags (start_ms);
CREATE TABLE links (
    rupture_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN {LINK_KINDS!r}),
    PRIMARY KEY (rupture_id, tag_id)
);
CREATE TABLE undo_log (
    id INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    changes TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# v2: undo is per reviewer (each step names its author); a tag has an id that is the same in
# every copy of the file (``uid``), so a copy kept elsewhere can be compared and merged; and
# writes that waited in a pending file are marked as landed in the same transaction.
# A step made before v2 is given the author of the tag it changed (none for a link: nobody's).
# Tags made before v2 get a uid from their row id and creation time, which two copies of one
# file share, so both copies of an old tag agree on it.
_SCHEMA_V2 = """
ALTER TABLE undo_log ADD COLUMN author_id INTEGER;
UPDATE undo_log SET author_id = coalesce(
    json_extract(changes, '$[#-1].after.author_id'), json_extract(changes, '$[#-1].before.author_id'));
ALTER TABLE tags ADD COLUMN uid TEXT;
UPDATE tags SET uid = 'v1-' || id || '-' || created_at;
CREATE UNIQUE INDEX tags_by_uid ON tags (uid);
CREATE TABLE landed_writes (write_id TEXT PRIMARY KEY);
"""

MIGRATIONS: list[str] = [_SCHEMA_V1, _SCHEMA_V2]


def legacy_uid(tag_id: int, created_at: str) -> str:
    """The uid v2 gives a tag made before it (kept in step with _SCHEMA_V2)."""
    return f"v1-{tag_id}-{created_at}"

_FOREIGN = "not a review file (a database of another program)"


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the file up to the newest schema, or refuse it with a one-line StoreError."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise StoreError(f"{path}: {_FOREIGN}")
    if version and db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise StoreError(f"{path}: {_FOREIGN}")
    if version > len(MIGRATIONS):
        raise StoreError(
            f"{path}: written by a newer review_tui (schema {version}, this one knows up to "
            f"{len(MIGRATIONS)}); update review_tui to open it"
        )
    for number in range(version, len(MIGRATIONS)):
        # executescript commits whatever is open first, so the transaction is part of the script.
        script = (
            f"BEGIN IMMEDIATE;\n{MIGRATIONS[number]};\nPRAGMA user_version = {number + 1};\nCOMMIT;"
        )
        try:
            db.executescript(script)
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
