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
import uuid
from collections.abc import Callable, Iterator
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
from review_tui.store import journal, pending, rows, undo
from review_tui.store.copies import WRITTEN_AT_KEY, MergePlan, open_to_read, plan_merge
from review_tui.store.paths import create_private, restrict_to_owner
from review_tui.store.sample import parse_sample_review
from review_tui.store.schema import LINK_KINDS, migrate
from review_tui.store.settle import settle_session, stored_codebook
from review_tui.store.undo import Change, Row




BUSY_MS = 150  # the longest a call waits for another program's lock before a write is kept pending


class StoreLocked(StoreError):
    """Another program holds the review file's lock (the write or read can be tried again)."""


def _is_busy(err: sqlite3.Error) -> bool:
    return (getattr(err, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


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
        self._waiting = pending.Waiting(path)
        self._last_tags: list[tuple] | None = None  # shown while another program blocks reads
        self._listeners: list[Callable[[], None]] = []

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
                store._replay_orphans()
                db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")  # from now on the UI may be waiting
            except BaseException:
                db.close()
                raise
        except sqlite3.Error as err:
            raise StoreError(f"{path}: not a usable review file ({err})") from None
        finally:
            os.umask(previous_umask)
        return store

    def close(self) -> None:
        """Close the file; writes still pending stay in their file for the next open."""
        self._waiting.close()
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
        write = pending.new_write("add", fields=fields, author=[author.id, author.name], uid=uuid.uuid4().hex, at=rows.now())
        return self._write(write)

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
        target = self._waiting.target(tag_id)
        write = pending.new_write("update", target=target, changes=changes, by=by.id if by else None, amend_add=amend_add)
        return self._write(write)

    def delete_tag(self, tag_id: int, *, by: Reviewer | None = None) -> None:
        """Delete a tag and its links (one undo step, ``by``'s or the author's, brings both back)."""
        self._write(pending.new_write("delete", target=self._waiting.target(tag_id), by=by.id if by else None))

    # --- writes that wait ------------------------------------------------------------------

    def pending_count(self) -> int:
        """Tag writes made but not yet in the review file (another program holds its lock)."""
        return len(self._waiting.writes)

    def pending_notice(self) -> str | None:
        count = self.pending_count()
        if not count:
            return None
        changes = "1 tag change" if count == 1 else f"{count} tag changes"
        return (
            f"{changes} pending: {self.path.name} is locked by another program; kept in "
            f"{self._waiting.file.path.name} and written as soon as it is free"
        )

    def take_refused(self) -> list[str]:
        """Pending writes the review refused once it could be written (a tag deleted meanwhile)."""
        with self._lock:
            refused, self._waiting.refused[:] = list(self._waiting.refused), []
        return refused

    def when_pending_changes(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (from a background thread) each time pending writes land or are refused."""
        self._listeners.append(listener)

    def _write(self, write: pending.Write) -> Any:
        """Make the write now, committed before returning; if another program holds the lock,
        keep it pending on disk instead (never waiting more than BUSY_MS) and say what it will be."""
        with self._lock:
            if not self._waiting.writes:
                try:
                    with self._transaction() as db:
                        return self._land(db, write)
                except StoreLocked:
                    pass
            result = self._foreseen(write)
            write["kept"] = True
            try:
                self._waiting.file.append(write)
            except OSError as err:
                raise StoreError(
                    f"{self.path}: is locked by another program and the change cannot be kept beside it "
                    f"({err.strerror or err}); it was not saved"
                ) from None
            self._waiting.start(self._land_waiting)
            return result

    def _foreseen(self, write: pending.Write) -> Tag | None:
        """What a write will make, as the caller is told while it waits (refused now if it cannot)."""
        if write["kind"] == "add":
            author_id = write["author"][0]
            tag_id = self._waiting.provisional_id(write["uid"])
            return Tag(tag_id, author_id=author_id, created_at=write["at"], updated_at=write["at"], **write["fields"])
        tag_id = self._waiting.resolve(write["target"])
        current = next((tag for tag in self.tags() if tag.id == tag_id), None)
        if current is None:
            raise StoreError(f"{self.path}: tag {tag_id} is no longer in this review; the change was not saved")
        if write["kind"] == "delete":
            return None
        after = replace(current, **write["changes"])
        self._refuse(self._tag_problem({name: getattr(after, name) for name in rows.EDITABLE}))
        return after

    def _land_waiting(self) -> bool:
        """Write what waits, in order; True once nothing does (the retry thread stops)."""
        with self._lock:
            for write in list(self._waiting.writes):
                try:
                    with self._transaction() as db:
                        self._land(db, write)
                except StoreLocked:
                    return False
                except StoreError as error:
                    self._waiting.refused.append(str(error))
                self._waiting.file.landed(write)
        for listener in self._listeners:
            with contextlib.suppress(Exception):  # a closed UI must not stop the writes
                listener()
        return True

    def _replay_orphans(self) -> None:
        """Write what instances killed or closed while the file was locked left pending."""
        for orphan, writes, descriptor in pending.orphans(self.path):
            try:
                for number, write in enumerate(writes):
                    try:
                        with self._transaction() as db:
                            self._land(db, write)
                    except StoreLocked:
                        for later in writes[number:]:  # still locked: they wait here now
                            self._waiting.file.append(later)
                        self._waiting.start(self._land_waiting)
                        break
                    except StoreError as error:
                        self.warnings.append(Problem(str(orphan), f"a pending change was refused: {error}"))
                orphan.unlink()
            finally:
                os.close(descriptor)
        if not pending.others_in_use(self.path):
            with contextlib.suppress(StoreError), self._transaction(content=False) as db:
                db.execute("DELETE FROM landed_writes")

    def _land(self, db: sqlite3.Connection, write: pending.Write) -> Tag | None:
        """Make one tag write inside the open transaction; a kept write lands only once."""
        if write.get("kept"):
            if db.execute("SELECT 1 FROM landed_writes WHERE write_id = ?", (write["write_id"],)).fetchone():
                return None
            db.execute("INSERT INTO landed_writes (write_id) VALUES (?)", (write["write_id"],))
        if write["kind"] == "add":
            return self._land_add(db, write)
        target = write["target"]
        if "uid" in target:
            found = db.execute("SELECT id FROM tags WHERE uid = ?", (target["uid"],)).fetchone()
            tag_id = found[0] if found else self._waiting.resolve(target)
        else:
            tag_id = target["id"]
        if write["kind"] == "update":
            return self._land_update(db, tag_id, write)
        self._land_delete(db, tag_id, write["by"])
        return None

    def _land_add(self, db: sqlite3.Connection, write: pending.Write) -> Tag:
        author_id, author_name = write["author"]
        if db.execute("SELECT 1 FROM reviewers WHERE id = ?", (author_id,)).fetchone() is None:
            raise StoreError(f"{self.path}: no reviewer {author_name!r} in this review")
        tag = rows.insert_tag(db, write["fields"], author_id, uid=write["uid"], at=write["at"])
        self._waiting.written(write["uid"], tag.id)
        row = self._existing_row(db, tag.id)
        undo.record(db, f"add {self._describe(tag)}", [("tags", None, row)], author_id)
        return tag

    def _land_update(self, db: sqlite3.Connection, tag_id: int, write: pending.Write) -> Tag:
        before_row = self._existing_row(db, tag_id)
        before = rows.as_tag(before_row)
        after = replace(before, **write["changes"])
        if after == before:
            return before
        self._refuse(self._tag_problem({name: getattr(after, name) for name in rows.EDITABLE}))
        after = replace(after, updated_at=rows.now())
        after_row = {**before_row, **asdict(after)}
        step: list[Change] = [("tags", before_row, after_row)]
        undo.apply(db, step)
        editor = write["by"] if write["by"] is not None else before.author_id
        if not (write["amend_add"] and undo.amend_add(db, editor, before_row, after_row)):
            undo.record(db, f"edit {self._describe(after)}", step, editor)
        return after

    def _land_delete(self, db: sqlite3.Connection, tag_id: int, by: int | None) -> None:
        row = self._existing_row(db, tag_id)
        tag = rows.as_tag(row)
        links = rows.link_rows(db, "WHERE rupture_id = ? OR tag_id = ?", (tag_id, tag_id))
        changes: list[Change] = [("links", link, None) for link in links]
        changes.append(("tags", row, None))
        undo.apply(db, changes)
        undo.record(db, f"delete {self._describe(tag)}", changes, by if by is not None else tag.author_id)

    def tags(self, *, author_id: int | None = None) -> list[Tag]:
        """All tags, or one author's, in time order, with the writes still pending made; while
        another program blocks even reading, the tags as last read."""
        with self._lock:
            try:
                self._last_tags = self._read(f"SELECT {rows.TAG_COLUMNS} FROM tags ORDER BY start_ms, id")
            except StoreLocked:
                if self._last_tags is None:
                    raise
            found = [Tag(*row) for row in self._last_tags]
            if self._waiting.writes:
                found = self._with_pending(found)
        return [tag for tag in found if author_id is None or tag.author_id == author_id]

    def tag(self, tag_id: int) -> Tag | None:
        return next((tag for tag in self.tags() if tag.id == self._waiting.resolve(self._waiting.target(tag_id))), None)

    def _with_pending(self, tags: list[Tag]) -> list[Tag]:
        by_id = {tag.id: tag for tag in tags}
        for write in self._waiting.writes:
            if write["kind"] == "add":
                author_id, at = write["author"][0], write["at"]
                tag_id = self._waiting.provisional_id(write["uid"])
                by_id[tag_id] = Tag(tag_id, author_id=author_id, created_at=at, updated_at=at, **write["fields"])
                continue
            tag_id = self._waiting.resolve(write["target"])
            if tag_id in by_id and write["kind"] == "update":
                by_id[tag_id] = replace(by_id[tag_id], **write["changes"])
            elif write["kind"] == "delete":
                by_id.pop(tag_id, None)
        return sorted(by_id.values(), key=lambda tag: (tag.start_ms, tag.id < 0, abs(tag.id)))

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
        self._refuse_while_pending("link tags")
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
        self._refuse_while_pending("undo or redo")
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
                if _is_busy(err):
                    raise StoreLocked(f"{self.path}: is locked by another program; try again") from None
                raise StoreError(f"{self.path}: cannot write the review: {err}") from None

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as err:
                if _is_busy(err):
                    raise StoreLocked(f"{self.path}: is locked by another program; try again") from None
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

    def _refuse_while_pending(self, what: str) -> None:
        # Steps and links name tags by their ids in the file, which pending tags do not have yet.
        if self._waiting.writes:
            raise StoreError(f"{self.path}: cannot {what} while {self.pending_notice()}")

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
