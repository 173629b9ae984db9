"""ReviewStore: the tags, reviewers, episode links, undo log and UI state of one review file.

Every call that writes is one transaction, committed before it returns, so a crash or a closed
terminal loses nothing. Edits to tags and links are kept as rows before/after in an undo log
inside the file, so undo and redo survive a restart.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Self

from review_tui.model import (
    ROLES,
    Codebook,
    Problem,
    Reviewer,
    StoreError,
    Tag,
    format_ms,
)
from review_tui.store import journal, rows, undo
from review_tui.store.copies import WRITTEN_AT_KEY, MergePlan, open_to_read, plan_merge
from review_tui.store.paths import create_private, restrict_to_owner
from review_tui.store.sample import parse_sample_review
from review_tui.store.schema import LINK_KINDS, migrate
from review_tui.store.settle import settle_session, stored_codebook
from review_tui.store.undo import Change, Row




@dataclass(frozen=True, slots=True)
class Link:
    """A tag tied to the rupture it answers: a therapist "response" or a "repair"."""

    rupture_id: int
    tag_id: int
    kind: str


class ReviewStore:
    """One open review file. Calls may come from several threads; each is one transaction."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self.warnings: list[Problem] = []
        self.codebook: Codebook  # the snapshot in the file, set by open()
        self.created_at = ""
        self._db = db
        self._lock = threading.RLock()
        self._checkpoint_each_commit = False  # WAL held by another program: see journal.py

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        media_fingerprint: str | None,
        transcript_fingerprint: str | None,
        codebook: Codebook,
    ) -> ReviewStore:
        """Open or create (mode 0600) the review at ``path``; a new file keeps ``codebook``."""
        path = Path(path)
        beforehand = journal.look_beforehand(path)
        create_private(path)
        previous_umask = os.umask(0o077)  # a -journal holds the same notes
        try:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
            try:
                journal.refuse_an_empty_shell(db, path, beforehand)
                in_the_file = journal.keep_writes_in_the_file(db)
                db.execute("PRAGMA foreign_keys = ON")
                migrate(db, path)
                restrict_to_owner(path)
                store = cls(path, db)
                store._checkpoint_each_commit = not in_the_file
                store._settle(media_fingerprint, transcript_fingerprint, codebook)
            except BaseException:
                db.close()
                raise
        except sqlite3.Error as err:
            raise StoreError(f"{path}: not a usable review file ({err})") from None
        finally:
            os.umask(previous_umask)
        return store

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- reviewers -------------------------------------------------------------------

    def reviewer(self, name: str, role: str) -> Reviewer:
        """The reviewer with this name and role, created on first use."""
        if not name.strip():
            raise StoreError(f"{self.path}: a reviewer needs a name")
        if role not in ROLES:
            raise StoreError(f"{self.path}: unknown role {role!r} (use {', '.join(ROLES)})")
        with self._transaction(content=False) as db:
            return rows.ensure_reviewer(db, name.strip(), role)

    def reviewers(self) -> list[Reviewer]:
        return [
            Reviewer(*row) for row in self._read("SELECT id, name, role FROM reviewers ORDER BY id")
        ]

    # --- tags --------------------------------------------------------------------------

    def add_tag(
        self,
        *,
        start_ms: int,
        end_ms: int | None,
        code_id: str,
        rating: int | None = None,
        note: str = "",
        author: Reviewer,
    ) -> Tag:
        fields = {
            "start_ms": start_ms,
            "end_ms": end_ms,
            "code_id": code_id,
            "rating": rating,
            "note": note,
        }
        self._refuse(self._tag_problem(fields))
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM reviewers WHERE id = ?", (author.id,)).fetchone() is None:
                raise StoreError(f"{self.path}: no reviewer {author.name!r} in this review")
            tag = rows.insert_tag(db, fields, author.id)
            row = self._existing_row(db, tag.id)
            undo.record(db, f"add {self._describe(tag)}", [("tags", None, row)], author.id)
        return tag

    def update_tag(
        self, tag_id: int, *, by: Reviewer | None = None, amend_add: bool = False, **changes: Any
    ) -> Tag:
        """Change some of start_ms, end_ms, code_id, rating, note; returns the tag as it is now.

        ``by`` is who edits (the tag's author when not given): the step is theirs to undo.
        ``amend_add``: these are the details of a tag just added (its rating and note), so they
        join the add's undo step and one ctrl+z takes the whole tag back.
        """
        unknown = set(changes) - set(rows.EDITABLE)
        if unknown:
            raise TypeError(f"update_tag() cannot change {', '.join(sorted(unknown))}")
        with self._transaction() as db:
            before_row = self._existing_row(db, tag_id)
            before = rows.as_tag(before_row)
            after = replace(before, **changes)
            if after == before:
                return before
            self._refuse(self._tag_problem({name: getattr(after, name) for name in rows.EDITABLE}))
            after = replace(after, updated_at=rows.now())
            after_row = {**before_row, **asdict(after)}
            step: list[Change] = [("tags", before_row, after_row)]
            undo.apply(db, step)
            editor = by.id if by is not None else before.author_id
            if not (amend_add and undo.amend_add(db, editor, before_row, after_row)):
                undo.record(db, f"edit {self._describe(after)}", step, editor)
        return after

    def delete_tag(self, tag_id: int, *, by: Reviewer | None = None) -> None:
        """Delete a tag and its links (one undo step, ``by``'s or the author's, brings both back)."""
        with self._transaction() as db:
            row = self._existing_row(db, tag_id)
            tag = rows.as_tag(row)
            links = rows.link_rows(db, "WHERE rupture_id = ? OR tag_id = ?", (tag_id, tag_id))
            changes: list[Change] = [("links", link, None) for link in links]
            changes.append(("tags", row, None))
            undo.apply(db, changes)
            undo.record(db, f"delete {self._describe(tag)}", changes, by.id if by else tag.author_id)

    def tags(self, *, author_id: int | None = None) -> list[Tag]:
        """All tags, or one author's, in time order."""
        where, params = ("WHERE author_id = ?", (author_id,)) if author_id is not None else ("", ())
        found = self._read(f"SELECT {rows.TAG_COLUMNS} FROM tags {where} ORDER BY start_ms, id", params)
        return [Tag(*row) for row in found]

    def tag(self, tag_id: int) -> Tag | None:
        found = self._read(f"SELECT {rows.TAG_COLUMNS} FROM tags WHERE id = ?", (tag_id,))
        return Tag(*found[0]) if found else None

    # --- rupture episodes -------------------------------------------------------------

    def link(self, rupture_id: int, tag_id: int, kind: str, *, by: Reviewer | None = None) -> Link:
        """Tie ``tag_id`` to the rupture it answers; linking the pair again changes the kind.
        The undo step is ``by``'s, or when not given the answering tag's author's."""
        if kind not in LINK_KINDS:
            raise StoreError(
                f"{self.path}: unknown link kind {kind!r} (use {', '.join(LINK_KINDS)})"
            )
        if rupture_id == tag_id:
            raise StoreError(f"{self.path}: a tag cannot be linked to itself")
        link = Link(rupture_id, tag_id, kind)
        with self._transaction() as db:
            rupture, answer = self._existing_tag(db, rupture_id), self._existing_tag(db, tag_id)
            before = rows.link_rows(db, "WHERE rupture_id = ? AND tag_id = ?", (rupture_id, tag_id))
            changes: list[Change] = [("links", before[0] if before else None, asdict(link))]
            if before != [asdict(link)]:
                undo.apply(db, changes)
                what = f"link {kind} {self._describe(answer)} to {self._describe(rupture)}"
                undo.record(db, what, changes, by.id if by else answer.author_id)
        return link

    def unlink(self, rupture_id: int, tag_id: int, *, by: Reviewer | None = None) -> None:
        with self._transaction() as db:
            before = rows.link_rows(db, "WHERE rupture_id = ? AND tag_id = ?", (rupture_id, tag_id))
            if before:
                changes: list[Change] = [("links", before[0], None)]
                undo.apply(db, changes)
                answer = self._existing_tag(db, tag_id)
                what = f"unlink {self._describe(answer)} from its rupture"
                undo.record(db, what, changes, by.id if by else answer.author_id)

    def links(self) -> list[Link]:
        rows = self._read("SELECT rupture_id, tag_id, kind FROM links ORDER BY rupture_id, tag_id")
        return [Link(*row) for row in rows]

    # --- undo ----------------------------------------------------------------------------

    def undo(self, reviewer: Reviewer) -> str | None:
        """Take back ``reviewer``'s latest edit: its description, or None when they have none.
        A step whose tag someone else changed since is refused with a StoreError."""
        return self._step(reviewer, backwards=True)

    def redo(self, reviewer: Reviewer) -> str | None:
        """Make again the edit ``reviewer`` undid last: its description, or None when none."""
        return self._step(reviewer, backwards=False)

    def _step(self, reviewer: Reviewer, *, backwards: bool) -> str | None:
        refused: str | None = None
        with self._transaction() as db:
            try:
                return undo.step(db, reviewer.id, backwards=backwards)
            except undo.StepRefused as error:
                refused = str(error)  # the step is taken off: that much is committed
        raise StoreError(f"{self.path}: {refused}")

    # --- per-file state ------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM state WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_state(self, key: str, value: str | None) -> None:
        """Remember ``value`` under ``key`` (None forgets it); not part of undo."""
        with self._transaction(content=False) as db:
            if value is None:
                db.execute("DELETE FROM state WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, value))

    # --- import ----------------------------------------------------------------------------

    def import_review(self, data: Any, *, source: str = "imported review", by: Reviewer | None = None) -> int:
        """Add the reviewers, tags and links of a sample review as one undo step (``by``'s to
        undo; nobody's when not given); ``source`` names it in errors. Returns the number of
        tags added."""
        sample = parse_sample_review(data, source, self._tag_problem, self.reviewers())
        with self._transaction() as db:
            for name, role in sample.reviewers:
                rows.ensure_reviewer(db, name, role)
            tags = [
                rows.insert_tag(db, fields, rows.ensure_reviewer(db, name, role).id)
                for fields, (name, role) in sample.tags
            ]
            links: list[Change] = [
                ("links", None, asdict(Link(tags[rupture].id, tags[answer].id, kind)))
                for rupture, answer, kind in sample.links
            ]
            undo.apply(db, links)
            added: list[Change] = [("tags", None, self._existing_row(db, tag.id)) for tag in tags]
            if tags:
                undo.record(db, f"import {len(tags)} tags from {source}", added + links, by.id if by else None)
        return len(tags)

    def merge_from(self, other: Path, *, by: Reviewer | None = None) -> MergePlan:
        """Bring in what the review file ``other`` holds and this one lacks (see copies.py): its
        tags, later edits of tags both hold, its links; never a deletion. One undo step (``by``'s;
        nobody's when not given). Returns what was merged; a tag whose code this review's
        codebook lacks is left out and named in ``warnings``."""
        try:
            with contextlib.closing(open_to_read(other)) as theirs, self._transaction() as db:
                plan = plan_merge(db, theirs)
                step: list[Change] = []
                for row, (name, role) in list(plan.new_tags):
                    fields = {name: row[name] for name in rows.EDITABLE}
                    problem = self._tag_problem(fields)
                    if problem is not None:
                        plan.new_tags.remove((row, (name, role)))
                        self.warnings.append(Problem(str(other), f"tag at {format_ms(row['start_ms'])}: {problem}"))
                        continue
                    author = rows.ensure_reviewer(db, name, role)
                    tag = rows.insert_tag(db, fields, author.id, uid=row["uid"], at=row["created_at"])
                    db.execute("UPDATE tags SET updated_at = ? WHERE id = ?", (row["updated_at"], tag.id))
                    step.append(("tags", None, self._existing_row(db, tag.id)))
                for mine, newer in plan.newer_tags:
                    after = {**mine, **{name: newer[name] for name in (*rows.EDITABLE, "updated_at")}}
                    before = self._existing_row(db, mine["id"])
                    after["author_id"] = before["author_id"]
                    step.append(("tags", before, {**before, **after}))
                    undo.apply(db, step[-1:])
                id_of = dict(db.execute("SELECT uid, id FROM tags").fetchall())
                for rupture, answer, kind in plan.new_links:
                    if rupture not in id_of or answer not in id_of:  # a tag left out above
                        continue
                    link: Change = ("links", None, asdict(Link(id_of[rupture], id_of[answer], kind)))
                    undo.apply(db, [link])
                    step.append(link)
                if step:
                    undo.record(db, f"merge {plan.words()} from {Path(other).name}", step, by.id if by else None)
        except sqlite3.Error as err:
            raise StoreError(f"{other}: cannot read it to merge: {err}") from None
        return plan

    # --- inside ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, *, content: bool = True) -> Iterator[sqlite3.Connection]:
        """One committed write; ``content``: it may change tags or links, so it stamps the
        time the review was last written (how two copies of a review are told apart)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                changes_before = self._db.total_changes
                try:
                    yield self._db
                    if content and self._db.total_changes != changes_before:
                        self._db.execute(
                            "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (WRITTEN_AT_KEY, rows.now())
                        )
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
                if self._checkpoint_each_commit:
                    journal.checkpoint(self._db)
            except sqlite3.Error as err:
                raise StoreError(f"{self.path}: cannot write the review: {err}") from None

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as err:
                raise StoreError(f"{self.path}: cannot read the review: {err}") from None

    def _settle(self, media: str | None, transcript: str | None, codebook: Codebook) -> None:
        """Record the session in a new file; in an old one compare fingerprints and codebook."""
        with self._transaction(content=False) as db:
            self.created_at, snapshot = settle_session(db, self.path, media, transcript, self.warnings, codebook)
        self.codebook = stored_codebook(self.path, snapshot, codebook, self.warnings)

    def _tag_problem(self, fields: dict[str, Any]) -> str | None:
        """What is wrong with a tag's fields, or None; the caller says which file or entry."""
        start, end, rating = fields["start_ms"], fields["end_ms"], fields["rating"]
        if not rows.is_int(start) or start < 0:
            return f"start must be whole milliseconds from 0, not {start!r}"
        if end is not None and (not rows.is_int(end) or end < start):
            return f"end must be at or after the start, not {end!r}"
        if not isinstance(fields["code_id"], str) or self.codebook.code(fields["code_id"]) is None:
            return f"unknown code {fields['code_id']!r} (not in codebook {self.codebook.id!r})"
        if rating is not None and (not rows.is_int(rating) or not 1 <= rating <= 5):
            return f"rating must be 1-5, not {rating!r}"
        if not isinstance(fields["note"], str):
            return "note must be text"
        return None

    def _refuse(self, problem: str | None) -> None:
        if problem is not None:
            raise StoreError(f"{self.path}: {problem}")

    def _existing_tag(self, db: sqlite3.Connection, tag_id: int) -> Tag:
        return rows.as_tag(self._existing_row(db, tag_id))

    def _existing_row(self, db: sqlite3.Connection, tag_id: int) -> Row:
        row = undo.current_row(db, "tags", {"id": tag_id})
        if row is None:
            raise StoreError(
                f"{self.path}: tag {tag_id} is no longer in this review (deleted or undone, perhaps "
                "by another reviewer or window); the change was not saved"
            )
        return row

    def _describe(self, tag: Tag) -> str:
        code = self.codebook.code(tag.code_id)
        return f"{code.label if code else tag.code_id} at {format_ms(tag.start_ms)}"
