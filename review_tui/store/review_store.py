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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from review_tui.model import ROLES, Codebook, Problem, Reviewer, StoreError, Tag
from review_tui.store import journal, pending, rows, tag_writes, undo
from review_tui.store.paths import create_private, restrict_to_owner
from review_tui.store.rules import TagRules
from review_tui.store.schema import LINK_KINDS, WRITTEN_AT_KEY, migrate
from review_tui.store.settle import settle_session, stored_codebook
from review_tui.store.undo import Change

if TYPE_CHECKING:
    from review_tui.store.copies import MergePlan




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
                store.tags()  # read once, so the tags can be shown while another program blocks reads
                db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")  # from now on the UI may be waiting
            except BaseException:
                db.close()
                raise
        except sqlite3.Error as err:
            if _is_busy(err):
                raise StoreError(f"{path}: is locked by another program; close it and open the review again") from None
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
        self._rules.refuse(self._rules.problem(fields))
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
                        return tag_writes.land(db, write, self._rules, self._waiting)
                except StoreLocked:
                    pass
            shown = self.tags() if write["kind"] != "add" else []  # as last read, while reads are blocked too
            result = tag_writes.foreseen(write, shown, self._rules, self._waiting)
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

    def _land_waiting(self) -> bool:
        """Write what waits, in order; True once nothing does (the retry thread stops)."""
        with self._lock:
            for write in list(self._waiting.writes):
                try:
                    with self._transaction() as db:
                        tag_writes.land(db, write, self._rules, self._waiting)
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
                            tag_writes.land(db, write, self._rules, self._waiting)
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
                found = tag_writes.with_pending(found, self._waiting)
        return [tag for tag in found if author_id is None or tag.author_id == author_id]

    def tag(self, tag_id: int) -> Tag | None:
        return next((tag for tag in self.tags() if tag.id == self._waiting.resolve(self._waiting.target(tag_id))), None)

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
            rupture, answer = self._rules.existing_tag(db, rupture_id), self._rules.existing_tag(db, tag_id)
            before = rows.link_rows(db, "WHERE rupture_id = ? AND tag_id = ?", (rupture_id, tag_id))
            changes: list[Change] = [("links", before[0] if before else None, asdict(link))]
            if before != [asdict(link)]:
                undo.apply(db, changes)
                what = f"link {kind} {self._rules.describe(answer)} to {self._rules.describe(rupture)}"
                undo.record(db, what, changes, by.id if by else answer.author_id)
        return link

    def unlink(self, rupture_id: int, tag_id: int, *, by: Reviewer | None = None) -> None:
        with self._transaction() as db:
            before = rows.link_rows(db, "WHERE rupture_id = ? AND tag_id = ?", (rupture_id, tag_id))
            if before:
                changes: list[Change] = [("links", before[0], None)]
                undo.apply(db, changes)
                answer = self._rules.existing_tag(db, tag_id)
                what = f"unlink {self._rules.describe(answer)} from its rupture"
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
        from review_tui.store.sample import parse_sample_review, write_sample  # seldom: not at start

        sample = parse_sample_review(data, source, self._rules.problem, self.reviewers())
        with self._transaction() as db:
            return write_sample(db, sample, self._rules, source, by.id if by else None)

    def merge_from(self, other: Path, *, by: Reviewer | None = None) -> MergePlan:
        """Bring in what the review file ``other`` holds and this one lacks (see copies.py): its
        tags, later edits of tags both hold, its links; never a deletion. One undo step (``by``'s;
        nobody's when not given). Returns what was merged; a tag whose code this review's
        codebook lacks is left out and named in ``warnings``."""
        from review_tui.store import copies  # seldom: not at start

        self._refuse_while_pending("merge")
        try:
            with contextlib.closing(copies.open_to_read(other)) as theirs, self._transaction() as db:
                plan, left_out = copies.merge(db, theirs, self._rules, Path(other), by.id if by else None)
        except sqlite3.Error as err:
            raise StoreError(f"{other}: cannot read it to merge: {err}") from None
        self.warnings.extend(left_out)
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
                    # Inside: a COMMIT that finds a reader in the way leaves the transaction open.
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
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
        self._rules = TagRules(self.path, self.codebook)

    def _refuse_while_pending(self, what: str) -> None:
        # Steps and links name tags by their ids in the file, which pending tags do not have yet.
        if self._waiting.writes:
            raise StoreError(f"{self.path}: cannot {what} while {self.pending_notice()}")
