"""The undo log, kept inside the review file so that undo and redo survive a restart.

An edit is recorded as the rows it changed, each as it was before and after (None: no row).
Undo puts the "before" rows back in reverse order; redo puts the "after" rows back in order.
Steps still to redo are the newest rows marked undone; a new edit forgets them.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

UNDO_LIMIT = 1000

Row = dict[str, Any]
Change = tuple[str, Row | None, Row | None]  # (table, row before, row after)

_ROW_KEYS = {"tags": ("id",), "links": ("rupture_id", "tag_id")}


def apply(db: sqlite3.Connection, changes: list[Change]) -> None:
    for table, before, after in changes:
        _put_row(db, table, before, after)


def record(db: sqlite3.Connection, description: str, changes: list[Change]) -> None:
    """Keep an edit already made as the newest undo step, and forget what could be redone."""
    rows = [{"table": table, "before": before, "after": after} for table, before, after in changes]
    db.execute("DELETE FROM undo_log WHERE undone = 1")
    db.execute(
        "INSERT INTO undo_log (description, changes) VALUES (?, ?)",
        (description, json.dumps(rows, ensure_ascii=False)),
    )
    db.execute(
        "DELETE FROM undo_log WHERE id NOT IN (SELECT id FROM undo_log ORDER BY id DESC LIMIT ?)",
        (UNDO_LIMIT,),
    )


def step(db: sqlite3.Connection, *, backwards: bool) -> str | None:
    """Undo (backwards) or redo one step: its description, or None when there is none."""
    which = "WHERE undone = 0 ORDER BY id DESC" if backwards else "WHERE undone = 1 ORDER BY id"
    row = db.execute(f"SELECT id, description, changes FROM undo_log {which} LIMIT 1").fetchone()
    if row is None:
        return None
    changes = [(item["table"], item["before"], item["after"]) for item in json.loads(row[2])]
    if backwards:
        changes = [(table, after, before) for table, before, after in reversed(changes)]
    apply(db, changes)
    db.execute("UPDATE undo_log SET undone = ? WHERE id = ?", (int(backwards), row[0]))
    return row[1]


def _put_row(db: sqlite3.Connection, table: str, before: Row | None, after: Row | None) -> None:
    """Turn the row that is ``before`` into ``after``, found by its primary key. UPDATE first
    rather than INSERT OR REPLACE: a replace deletes the row, and with it a tag's links."""
    keys = _ROW_KEYS[table]
    key_values = tuple((before or after)[key] for key in keys)
    where = " AND ".join(f"{key} = ?" for key in keys)
    if after is None:
        db.execute(f"DELETE FROM {table} WHERE {where}", key_values)
        return
    columns = list(after)
    assignments = ", ".join(f"{column} = ?" for column in columns)
    values = tuple(after.values())
    if db.execute(f"UPDATE {table} SET {assignments} WHERE {where}", values + key_values).rowcount:
        return
    placeholders = ", ".join("?" * len(columns))
    db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", values)
