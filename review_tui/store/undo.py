"""The undo log, kept inside the review file so that undo and redo survive a restart.

An edit is recorded as the rows it changed, each as it was before and after (None: no row),
with the reviewer who made it. Undo puts the "before" rows back in reverse order; redo puts
the "after" rows back in order. Each reviewer undoes and redoes only their own steps: a step
whose rows someone else (another reviewer, another window) has changed since is refused and
taken off the history, so it can never overwrite their work. Steps still to redo are a
reviewer's newest steps marked undone; a new edit by the same reviewer forgets them.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from review_tui.store.schema import legacy_uid

UNDO_LIMIT = 1000

Row = dict[str, Any]
Change = tuple[str, Row | None, Row | None]  # (table, row before, row after)

_ROW_KEYS = {"tags": ("id",), "links": ("rupture_id", "tag_id")}


class StepRefused(Exception):
    """The step's rows are no longer as it left them; the message says what changed."""


def apply(db: sqlite3.Connection, changes: list[Change]) -> None:
    for table, before, after in changes:
        _put_row(db, table, before, after)


def record(db: sqlite3.Connection, description: str, changes: list[Change], author_id: int | None) -> None:
    """Keep an edit already made as the author's newest undo step, and forget what the author
    could have redone. A step with no author (an import) is nobody's to undo."""
    rows = [{"table": table, "before": before, "after": after} for table, before, after in changes]
    db.execute("DELETE FROM undo_log WHERE undone = 1 AND author_id IS ?", (author_id,))
    db.execute(
        "INSERT INTO undo_log (description, changes, author_id) VALUES (?, ?, ?)",
        (description, json.dumps(rows, ensure_ascii=False), author_id),
    )
    db.execute(
        "DELETE FROM undo_log WHERE id NOT IN (SELECT id FROM undo_log ORDER BY id DESC LIMIT ?)",
        (UNDO_LIMIT,),
    )


def amend_add(db: sqlite3.Connection, author_id: int, before: Row, after: Row) -> bool:
    """Fold an edit of a tag into the step that added it, when that is the author's newest
    step and the tag is still as the step left it; False when the edit needs a step of its own."""
    row = db.execute(
        "SELECT id, changes FROM undo_log WHERE undone = 0 AND author_id = ? ORDER BY id DESC LIMIT 1",
        (author_id,),
    ).fetchone()
    if row is None:
        return False
    try:
        items = json.loads(row[1])
    except ValueError:
        return False
    if len(items) != 1 or items[0]["table"] != "tags" or items[0]["before"] is not None:
        return False
    if items[0]["after"] != before:
        return False
    items[0]["after"] = after
    db.execute("UPDATE undo_log SET changes = ? WHERE id = ?", (json.dumps(items, ensure_ascii=False), row[0]))
    return True


def step(db: sqlite3.Connection, author_id: int, *, backwards: bool) -> str | None:
    """Undo (backwards) or redo the author's step: its description, or None when there is none.
    Raises StepRefused (and forgets the step) when its rows were changed since."""
    if backwards:
        which = "WHERE undone = 0 AND author_id = ? ORDER BY id DESC"
    else:
        which = "WHERE undone = 1 AND author_id = ? ORDER BY id"
    row = db.execute(f"SELECT id, description, changes FROM undo_log {which} LIMIT 1", (author_id,)).fetchone()
    if row is None:
        return None
    step_id, description, text = row
    try:
        changes = [(item["table"], item["before"], item["after"]) for item in json.loads(text)]
    except (ValueError, TypeError, KeyError):
        db.execute("DELETE FROM undo_log WHERE id = ?", (step_id,))
        raise StepRefused(f"the step {description!r} in the undo history is damaged; it was taken off") from None
    if backwards:
        changes = [(table, after, before) for table, before, after in reversed(changes)]
    changed = _changed_since(db, changes)
    if changed:
        db.execute("DELETE FROM undo_log WHERE id = ?", (step_id,))
        verb = "undo" if backwards else "redo"
        raise StepRefused(
            f"cannot {verb} {description!r}: {changed} since (by another reviewer or window); "
            "the step was taken off the history"
        )
    apply(db, changes)
    db.execute("UPDATE undo_log SET undone = ? WHERE id = ?", (int(backwards), step_id))
    return description


def _changed_since(db: sqlite3.Connection, changes: list[Change]) -> str | None:
    """What about the rows differs from what the step expects to find, or None."""
    removed_links = {
        (before["rupture_id"], before["tag_id"])
        for table, before, after in changes
        if table == "links" and before is not None and after is None
    }
    for table, expected, wanted in changes:
        current = current_row(db, table, expected or wanted)
        if expected is None:
            if current is not None:
                return "the tag was made again" if table == "tags" else "the link was made again"
            continue
        if current is None:
            return "the tag was deleted" if table == "tags" else "the link was removed"
        if any(current.get(key) != value for key, value in expected.items()):
            return "the tag was edited" if table == "tags" else "the link was changed"
        if table == "tags" and wanted is None:
            links = db.execute(
                "SELECT rupture_id, tag_id FROM links WHERE rupture_id = ? OR tag_id = ?",
                (expected["id"], expected["id"]),
            ).fetchall()
            if any(tuple(link) not in removed_links for link in links):
                return "the tag was linked to an episode"
    return None


def current_row(db: sqlite3.Connection, table: str, like: Row) -> Row | None:
    """The row of ``table`` with the primary key of ``like``, as a dict, or None."""
    keys = _ROW_KEYS[table]
    where = " AND ".join(f"{key} = ?" for key in keys)
    cursor = db.execute(f"SELECT * FROM {table} WHERE {where}", tuple(like[key] for key in keys))
    found = cursor.fetchone()
    if found is None:
        return None
    return dict(zip([column[0] for column in cursor.description], found, strict=True))


def _put_row(db: sqlite3.Connection, table: str, before: Row | None, after: Row | None) -> None:
    """Turn the row that is ``before`` into ``after``, found by its primary key. UPDATE first
    rather than INSERT OR REPLACE: a replace deletes the row, and with it a tag's links."""
    keys = _ROW_KEYS[table]
    key_values = tuple((before or after)[key] for key in keys)
    where = " AND ".join(f"{key} = ?" for key in keys)
    if after is None:
        db.execute(f"DELETE FROM {table} WHERE {where}", key_values)
        return
    if table == "tags" and after.get("uid") is None:  # a step recorded before tags had uids
        after = {**after, "uid": legacy_uid(after["id"], after["created_at"])}
    columns = list(after)
    assignments = ", ".join(f"{column} = ?" for column in columns)
    values = tuple(after.values())
    if db.execute(f"UPDATE {table} SET {assignments} WHERE {where}", values + key_values).rowcount:
        return
    placeholders = ", ".join("?" * len(columns))
    db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", values)
