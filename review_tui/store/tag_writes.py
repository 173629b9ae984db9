"""Tag writes as values: made in the review file inside a transaction, or, while they wait for
another program's lock (pending.py), foreseen and laid over the tags read from the file.

A write names its tag by the id it has in the file, or, for a tag still pending, by its uid.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, replace

from review_tui.model import StoreError, Tag
from review_tui.store import rows, undo
from review_tui.store.pending import Waiting, Write
from review_tui.store.rules import TagRules
from review_tui.store.undo import Change


def land(db: sqlite3.Connection, write: Write, rules: TagRules, waiting: Waiting) -> Tag | None:
    """Make one tag write inside the open transaction; a kept write lands only once."""
    if write.get("kept"):
        if db.execute("SELECT 1 FROM landed_writes WHERE write_id = ?", (write["write_id"],)).fetchone():
            return None
        db.execute("INSERT INTO landed_writes (write_id) VALUES (?)", (write["write_id"],))
    if write["kind"] == "add":
        return _add(db, write, rules, waiting)
    target = write["target"]
    if "uid" in target:
        found = db.execute("SELECT id FROM tags WHERE uid = ?", (target["uid"],)).fetchone()
        tag_id = found[0] if found else waiting.resolve(target)
    else:
        tag_id = target["id"]
    if write["kind"] == "update":
        return _update(db, tag_id, write, rules)
    _delete(db, tag_id, write["by"], rules)
    return None


def _add(db: sqlite3.Connection, write: Write, rules: TagRules, waiting: Waiting) -> Tag:
    author_id, author_name = write["author"]
    if db.execute("SELECT 1 FROM reviewers WHERE id = ?", (author_id,)).fetchone() is None:
        raise StoreError(f"{rules.path}: no reviewer {author_name!r} in this review")
    tag = rows.insert_tag(db, write["fields"], author_id, uid=write["uid"], at=write["at"])
    waiting.written(write["uid"], tag.id)
    row = rules.existing_row(db, tag.id)
    undo.record(db, f"add {rules.describe(tag)}", [("tags", None, row)], author_id)
    return tag


def _update(db: sqlite3.Connection, tag_id: int, write: Write, rules: TagRules) -> Tag:
    before_row = rules.existing_row(db, tag_id)
    before = rows.as_tag(before_row)
    after = replace(before, **write["changes"])
    if after == before:
        return before
    rules.refuse(rules.problem({name: getattr(after, name) for name in rows.EDITABLE}))
    after = replace(after, updated_at=rows.now())
    after_row = {**before_row, **asdict(after)}
    step: list[Change] = [("tags", before_row, after_row)]
    undo.apply(db, step)
    editor = write["by"] if write["by"] is not None else before.author_id
    if not (write["amend_add"] and undo.amend_add(db, editor, before_row, after_row)):
        undo.record(db, f"edit {rules.describe(after)}", step, editor)
    return after


def _delete(db: sqlite3.Connection, tag_id: int, by: int | None, rules: TagRules) -> None:
    row = rules.existing_row(db, tag_id)
    tag = rows.as_tag(row)
    links = rows.link_rows(db, "WHERE rupture_id = ? OR tag_id = ?", (tag_id, tag_id))
    changes: list[Change] = [("links", link, None) for link in links]
    changes.append(("tags", row, None))
    undo.apply(db, changes)
    undo.record(db, f"delete {rules.describe(tag)}", changes, by if by is not None else tag.author_id)


def foreseen(write: Write, tags: list[Tag], rules: TagRules, waiting: Waiting) -> Tag | None:
    """What a write will make, as the caller is told while it waits (refused now if it cannot)."""
    if write["kind"] == "add":
        return _pending_tag(write, waiting)
    tag_id = waiting.resolve(write["target"])
    current = next((tag for tag in tags if tag.id == tag_id), None)
    if current is None:
        raise StoreError(f"{rules.path}: tag {tag_id} is no longer in this review; the change was not saved")
    if write["kind"] == "delete":
        return None
    after = replace(current, **write["changes"])
    rules.refuse(rules.problem({name: getattr(after, name) for name in rows.EDITABLE}))
    return after


def with_pending(tags: list[Tag], waiting: Waiting) -> list[Tag]:
    """The tags as they will be once every pending write has landed (pending ones: ids < 0)."""
    by_id = {tag.id: tag for tag in tags}
    for write in waiting.writes:
        if write["kind"] == "add":
            tag = _pending_tag(write, waiting)
            by_id[tag.id] = tag
            continue
        tag_id = waiting.resolve(write["target"])
        if tag_id in by_id and write["kind"] == "update":
            by_id[tag_id] = replace(by_id[tag_id], **write["changes"])
        elif write["kind"] == "delete":
            by_id.pop(tag_id, None)
    return sorted(by_id.values(), key=lambda tag: (tag.start_ms, tag.id < 0, abs(tag.id)))


def _pending_tag(write: Write, waiting: Waiting) -> Tag:
    author_id, at = write["author"][0], write["at"]
    tag_id = waiting.provisional_id(write["uid"])
    return Tag(tag_id, author_id=author_id, created_at=at, updated_at=at, **write["fields"])
