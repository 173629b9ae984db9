"""ReviewStore: the tags, reviewers, episode links, undo log and UI state of one review file.

Every call that writes is one transaction, committed before it returns, so a crash or a closed
terminal loses nothing. Edits to tags and links are kept as rows before/after in an undo log
inside the file, so undo and redo survive a restart.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from review_tui.codebook import codebook_from_dict, codebook_to_dict
from review_tui.model import (
    ROLES,
    Codebook,
    Problem,
    Reviewer,
    StoreError,
    Tag,
    format_ms,
)
from review_tui.store import journal, undo
from review_tui.store.paths import create_private, restrict_to_owner
from review_tui.store.sample import parse_sample_review
from review_tui.store.schema import LINK_KINDS, migrate
from review_tui.store.undo import Change, Row

MEDIA_CHANGED = "recording changed since this review was made"
TRANSCRIPT_CHANGED = "transcript changed since this review was made"

_TAG_COLUMNS = "id, start_ms, end_ms, code_id, rating, note, author_id, created_at, updated_at"
_TAG_FIELDS = tuple(_TAG_COLUMNS.split(", "))
WRITTEN_AT_KEY = "review.written_at"  # when the tags or links last changed (to compare copies)
_EDITABLE = ("start_ms", "end_ms", "code_id", "rating", "note")


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
            return _ensure_reviewer(db, name.strip(), role)

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
            tag = _insert_tag(db, fields, author.id)
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
        unknown = set(changes) - set(_EDITABLE)
        if unknown:
            raise TypeError(f"update_tag() cannot change {', '.join(sorted(unknown))}")
        with self._transaction() as db:
            before_row = self._existing_row(db, tag_id)
            before = _as_tag(before_row)
            after = replace(before, **changes)
            if after == before:
                return before
            self._refuse(self._tag_problem({name: getattr(after, name) for name in _EDITABLE}))
            after = replace(after, updated_at=_now())
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
            tag = _as_tag(row)
            links = _link_rows(db, "WHERE rupture_id = ? OR tag_id = ?", (tag_id, tag_id))
            changes: list[Change] = [("links", link, None) for link in links]
            changes.append(("tags", row, None))
            undo.apply(db, changes)
            undo.record(db, f"delete {self._describe(tag)}", changes, by.id if by else tag.author_id)

    def tags(self, *, author_id: int | None = None) -> list[Tag]:
        """All tags, or one author's, in time order."""
        where, params = ("WHERE author_id = ?", (author_id,)) if author_id is not None else ("", ())
        rows = self._read(f"SELECT {_TAG_COLUMNS} FROM tags {where} ORDER BY start_ms, id", params)
        return [Tag(*row) for row in rows]

    def tag(self, tag_id: int) -> Tag | None:
        rows = self._read(f"SELECT {_TAG_COLUMNS} FROM tags WHERE id = ?", (tag_id,))
        return Tag(*rows[0]) if rows else None

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
            before = _link_rows(db, "WHERE rupture_id = ? AND tag_id = ?", (rupture_id, tag_id))
            changes: list[Change] = [("links", before[0] if before else None, asdict(link))]
            if before != [asdict(link)]:
                undo.apply(db, changes)
                what = f"link {kind} {self._describe(answer)} to {self._describe(rupture)}"
                undo.record(db, what, changes, by.id if by else answer.author_id)
        return link

    def unlink(self, rupture_id: int, tag_id: int, *, by: Reviewer | None = None) -> None:
        with self._transaction() as db:
            before = _link_rows(db, "WHERE rupture_id = ? AND tag_id = ?", (rupture_id, tag_id))
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
                _ensure_reviewer(db, name, role)
            tags = [
                _insert_tag(db, fields, _ensure_reviewer(db, name, role).id)
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
                            "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (WRITTEN_AT_KEY, _now())
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
        snapshot = json.dumps(codebook_to_dict(codebook), ensure_ascii=False)
        with self._transaction(content=False) as db:
            db.execute(
                "INSERT OR IGNORE INTO session (id, media_fingerprint, transcript_fingerprint,"
                " created_at) VALUES (1, ?, ?, ?)",
                (media, transcript, _now()),
            )
            db.execute("INSERT OR IGNORE INTO codebook (id, snapshot) VALUES (1, ?)", (snapshot,))
            stored_media, stored_transcript, self.created_at = db.execute(
                "SELECT media_fingerprint, transcript_fingerprint, created_at FROM session"
            ).fetchone()
            for given, stored, column, message in (
                (media, stored_media, "media_fingerprint", MEDIA_CHANGED),
                (transcript, stored_transcript, "transcript_fingerprint", TRANSCRIPT_CHANGED),
            ):
                if given is not None and stored is None:
                    db.execute(f"UPDATE session SET {column} = ?", (given,))
                elif given is not None and given != stored:
                    self.warnings.append(Problem(str(self.path), message))
            stored_snapshot = db.execute("SELECT snapshot FROM codebook").fetchone()[0]
        try:
            data = json.loads(stored_snapshot)
        except ValueError:
            raise StoreError(f"{self.path}: the codebook stored in the review is damaged") from None
        self.codebook = codebook_from_dict(data, f"{self.path} (stored codebook)")
        if self.codebook != codebook:
            kept, given = self.codebook, codebook
            self.warnings.append(
                Problem(
                    str(self.path),
                    f"keeps the codebook it was made with ({kept.id} version {kept.version}); "
                    f"the one given ({given.id} version {given.version}) differs",
                )
            )

    def _tag_problem(self, fields: dict[str, Any]) -> str | None:
        """What is wrong with a tag's fields, or None; the caller says which file or entry."""
        start, end, rating = fields["start_ms"], fields["end_ms"], fields["rating"]
        if not _is_int(start) or start < 0:
            return f"start must be whole milliseconds from 0, not {start!r}"
        if end is not None and (not _is_int(end) or end < start):
            return f"end must be at or after the start, not {end!r}"
        if not isinstance(fields["code_id"], str) or self.codebook.code(fields["code_id"]) is None:
            return f"unknown code {fields['code_id']!r} (not in codebook {self.codebook.id!r})"
        if rating is not None and (not _is_int(rating) or not 1 <= rating <= 5):
            return f"rating must be 1-5, not {rating!r}"
        if not isinstance(fields["note"], str):
            return "note must be text"
        return None

    def _refuse(self, problem: str | None) -> None:
        if problem is not None:
            raise StoreError(f"{self.path}: {problem}")

    def _existing_tag(self, db: sqlite3.Connection, tag_id: int) -> Tag:
        return _as_tag(self._existing_row(db, tag_id))

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


def _ensure_reviewer(db: sqlite3.Connection, name: str, role: str) -> Reviewer:
    db.execute("INSERT OR IGNORE INTO reviewers (name, role) VALUES (?, ?)", (name, role))
    row = db.execute(
        "SELECT id FROM reviewers WHERE name = ? AND role = ?", (name, role)
    ).fetchone()
    return Reviewer(row[0], name, role)


def _insert_tag(
    db: sqlite3.Connection, fields: dict[str, Any], author_id: int, *, uid: str | None = None, now: str | None = None
) -> Tag:
    now = now or _now()
    cursor = db.execute(
        "INSERT INTO tags (start_ms, end_ms, code_id, rating, note, author_id, created_at, updated_at, uid)"
        " VALUES (:start_ms, :end_ms, :code_id, :rating, :note, :author_id, :now, :now, :uid)",
        {**fields, "author_id": author_id, "now": now, "uid": uid or uuid.uuid4().hex},
    )
    return Tag(cursor.lastrowid, author_id=author_id, created_at=now, updated_at=now, **fields)


def _as_tag(row: Row) -> Tag:
    return Tag(**{name: row[name] for name in _TAG_FIELDS})


def _link_rows(db: sqlite3.Connection, where: str, params: tuple) -> list[dict[str, Any]]:
    rows = db.execute(f"SELECT rupture_id, tag_id, kind FROM links {where}", params).fetchall()
    return [asdict(Link(*row)) for row in rows]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
