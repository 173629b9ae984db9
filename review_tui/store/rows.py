"""Rows of a review file as plain values: the helpers the store and the merging of copies share."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime
from typing import Any

from review_tui.model import Reviewer, Tag
from review_tui.store.undo import Row

TAG_COLUMNS = "id, start_ms, end_ms, code_id, rating, note, author_id, created_at, updated_at"
TAG_FIELDS = tuple(TAG_COLUMNS.split(", "))
EDITABLE = ("start_ms", "end_ms", "code_id", "rating", "note")


def ensure_reviewer(db: sqlite3.Connection, name: str, role: str) -> Reviewer:
    db.execute("INSERT OR IGNORE INTO reviewers (name, role) VALUES (?, ?)", (name, role))
    row = db.execute(
        "SELECT id FROM reviewers WHERE name = ? AND role = ?", (name, role)
    ).fetchone()
    return Reviewer(row[0], name, role)


def insert_tag(
    db: sqlite3.Connection, fields: dict[str, Any], author_id: int, *, uid: str | None = None, at: str | None = None
) -> Tag:
    """Insert a new tag (made ``at``, now when not given) with a fresh uid unless one is given."""
    made = at or now()
    cursor = db.execute(
        "INSERT INTO tags (start_ms, end_ms, code_id, rating, note, author_id, created_at, updated_at, uid)"
        " VALUES (:start_ms, :end_ms, :code_id, :rating, :note, :author_id, :now, :now, :uid)",
        {**fields, "author_id": author_id, "now": made, "uid": uid or uuid.uuid4().hex},
    )
    return Tag(cursor.lastrowid, author_id=author_id, created_at=made, updated_at=made, **fields)


def as_tag(row: Row) -> Tag:
    return Tag(**{name: row[name] for name in TAG_FIELDS})


def link_rows(db: sqlite3.Connection, where: str, params: tuple) -> list[dict[str, Any]]:
    found = db.execute(f"SELECT rupture_id, tag_id, kind FROM links {where}", params).fetchall()
    return [{"rupture_id": rupture_id, "tag_id": tag_id, "kind": kind} for rupture_id, tag_id, kind in found]


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
