"""A review and its other copy: the one kept in the user data folder while the review beside
the recording was read-only (or any review file given). Which was written last, what one
holds that the other lacks, and the plan that merges it in.

Tags are matched by their uid, which stays the same in every copy of a file; reviewers by name
and role; links by the uids of the tags they join. A merge only adds: tags the other copy
holds and this one lacks, edits made later there to tags both hold, and links. It never
deletes, so nothing either copy holds is lost.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review_tui.model import Problem, format_ms
from review_tui.store import undo
from review_tui.store.rows import EDITABLE, ensure_reviewer, insert_tag
from review_tui.store.rules import TagRules
from review_tui.store.schema import WRITTEN_AT_KEY, legacy_uid
from review_tui.store.undo import Change



@dataclass
class MergePlan:
    """What the other copy holds that this one lacks."""

    new_tags: list[tuple[dict[str, Any], tuple[str, str]]] = field(default_factory=list)  # row, author
    newer_tags: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # ours, theirs
    new_links: list[tuple[str, str, str]] = field(default_factory=list)  # rupture uid, tag uid, kind

    @property
    def empty(self) -> bool:
        return not (self.new_tags or self.newer_tags or self.new_links)

    def words(self) -> str:
        parts = []
        if self.new_tags:
            parts.append(_count(len(self.new_tags), "tag"))
        if self.newer_tags:
            parts.append(_count(len(self.newer_tags), "newer edit"))
        if self.new_links:
            parts.append(_count(len(self.new_links), "episode link"))
        return " and ".join(parts) if len(parts) < 3 else f"{parts[0]}, {parts[1]} and {parts[2]}"


def open_to_read(path: Path) -> sqlite3.Connection:
    """A connection that can never write ``path`` (the other copy is only read)."""
    return sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, timeout=2)


def tag_rows(db: sqlite3.Connection) -> dict[str, tuple[dict[str, Any], tuple[str, str]]]:
    """Every tag by uid, with its author's name and role (files from before uids included)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(tags)")}
    uid = "t.uid" if "uid" in columns else "NULL"
    cursor = db.execute(
        f"SELECT t.id, t.start_ms, t.end_ms, t.code_id, t.rating, t.note, t.created_at, t.updated_at,"
        f" {uid}, r.name, r.role FROM tags t JOIN reviewers r ON r.id = t.author_id"
    )
    found = {}
    for tag_id, start, end, code, rating, note, created, updated, tag_uid, name, role in cursor:
        row = {"id": tag_id, "start_ms": start, "end_ms": end, "code_id": code, "rating": rating,
               "note": note, "created_at": created, "updated_at": updated}  # fmt: skip
        row["uid"] = tag_uid or legacy_uid(tag_id, created)
        found[row["uid"]] = (row, (name, role))
    return found


def plan_merge(ours: sqlite3.Connection, theirs: sqlite3.Connection) -> MergePlan:
    plan = MergePlan()
    our_tags, their_tags = tag_rows(ours), tag_rows(theirs)
    for uid, (row, author) in their_tags.items():
        mine = our_tags.get(uid)
        if mine is None:
            plan.new_tags.append((row, author))
        elif row["updated_at"] > mine[0]["updated_at"] and any(row[name] != mine[0][name] for name in EDITABLE):
            plan.newer_tags.append((mine[0], row))
    uid_of = {row["id"]: uid for uid, (row, _) in their_tags.items()}
    our_uid_of = {row["id"]: uid for uid, (row, _) in our_tags.items()}
    our_links = {
        (our_uid_of.get(rupture), our_uid_of.get(tag))
        for rupture, tag in ours.execute("SELECT rupture_id, tag_id FROM links")
    }
    for rupture, tag, kind in theirs.execute("SELECT rupture_id, tag_id, kind FROM links ORDER BY rowid"):
        pair = (uid_of.get(rupture), uid_of.get(tag))
        if None not in pair and pair not in our_links:
            plan.new_links.append((*pair, kind))
    return plan


def written_at(db: sqlite3.Connection) -> str:
    """When the file's tags or links last changed: the store's stamp, else the newest tag edit."""
    with contextlib.suppress(sqlite3.Error):
        row = db.execute("SELECT value FROM state WHERE key = ?", (WRITTEN_AT_KEY,)).fetchone()
        if row:
            return row[0]
    with contextlib.suppress(sqlite3.Error):
        return db.execute("SELECT max(updated_at) FROM tags").fetchone()[0] or ""
    return ""


def compare(working: Path, other: Path) -> tuple[MergePlan, str, str] | None:
    """What ``other`` holds that ``working`` lacks, with when each was last written; None when
    either cannot be read (a comparison never stops a review from opening)."""
    try:
        with contextlib.closing(open_to_read(working)) as ours, contextlib.closing(open_to_read(other)) as theirs:
            return plan_merge(ours, theirs), written_at(ours), written_at(theirs)
    except sqlite3.Error:
        return None


def difference_notice(working: Path, other: Path, anchor: Path, *, other_is: str) -> str | None:
    """One line saying what ``other`` (described by ``other_is``) holds that the review in use
    lacks, which of the two is newer, and the command that merges it; None when nothing."""
    compared = compare(working, other)
    if compared is None or compared[0].empty:
        return None
    plan, ours, theirs = compared
    newer = f"{other_is} is newer" if theirs > ours else "this review is newer"
    return (
        f"{other_is} ({other}) holds {plan.words()} this review lacks; {newer} "
        f"(last written {_when(theirs)} there, {_when(ours)} here); "
        f"`review-tui merge {anchor}` adds them here"
    )


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _when(stamp: str) -> str:
    return stamp[:16].replace("T", " ") + " UTC" if stamp else "never"


def merge(
    db: sqlite3.Connection, theirs: sqlite3.Connection, rules: TagRules, source: Path, by_id: int | None
) -> tuple[MergePlan, list[Problem]]:
    """Carry out the plan inside ``db``'s open transaction as one undo step (``by_id``'s).
    A tag whose code ``rules`` does not know is left out, with a problem naming it."""
    plan = plan_merge(db, theirs)
    left_out: list[Problem] = []
    step: list[Change] = []
    for row, (name, role) in list(plan.new_tags):
        fields = {field_name: row[field_name] for field_name in EDITABLE}
        problem = rules.problem(fields)
        if problem is not None:
            plan.new_tags.remove((row, (name, role)))
            left_out.append(Problem(str(source), f"tag at {format_ms(row['start_ms'])}: {problem}"))
            continue
        author = ensure_reviewer(db, name, role)
        tag = insert_tag(db, fields, author.id, uid=row["uid"], at=row["created_at"])
        db.execute("UPDATE tags SET updated_at = ? WHERE id = ?", (row["updated_at"], tag.id))
        step.append(("tags", None, rules.existing_row(db, tag.id)))
    for mine, newer in plan.newer_tags:
        before = rules.existing_row(db, mine["id"])
        change: Change = ("tags", before, {**before, **{name: newer[name] for name in (*EDITABLE, "updated_at")}})
        undo.apply(db, [change])
        step.append(change)
    id_of = dict(db.execute("SELECT uid, id FROM tags").fetchall())
    for rupture, answer, kind in plan.new_links:
        if rupture not in id_of or answer not in id_of:  # a tag left out above
            continue
        link: Change = ("links", None, {"rupture_id": id_of[rupture], "tag_id": id_of[answer], "kind": kind})
        undo.apply(db, [link])
        step.append(link)
    if step:
        undo.record(db, f"merge {plan.words()} from {Path(source).name}", step, by_id)
    return plan, left_out
