"""A review file locked by another program: a tag write never waits on it for long and is
never dropped. It is kept in a private pending file beside the review, shown as pending,
retried in the background and written once the lock is gone; a process killed meanwhile
leaves it for the next open. Real SQLite locks from a second connection and a real SIGKILL."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from review_tui.codebook import load_codebook
from review_tui.model import StoreError
from review_tui.store import ReviewStore

CRITICISES = "confrontation.criticises_therapist"


@pytest.fixture
def review_file(tmp_path):
    return tmp_path / "session.review.sqlite"


@pytest.fixture
def open_store(review_file):
    opened = []

    def opener():
        store = ReviewStore.open(review_file, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook())
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


@contextlib.contextmanager
def locked(path: Path, how: str = "IMMEDIATE"):
    """Another program holding the review's lock: IMMEDIATE blocks writes, EXCLUSIVE reads too."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute(f"BEGIN {how}")
        other.execute("UPDATE session SET created_at = created_at")
        yield other
        if other.in_transaction:
            other.execute("COMMIT")
    finally:
        other.close()


def in_file(path: Path) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT code_id, start_ms, rating, note FROM tags ORDER BY id").fetchall()


def pending_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.pending-*"))


def eventually(condition, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_tag_made_while_another_program_holds_the_lock_is_kept_shown_and_written_later(review_file, open_store):
    store = open_store()
    okafor = store.reviewer("Okafor", "supervisor")
    landed = []
    store.when_pending_changes(lambda: landed.append(store.pending_count()))
    with locked(review_file):
        made = store.add_tag(start_ms=206_500, end_ms=None, code_id=CRITICISES, author=okafor)
        rated = store.update_tag(made.id, rating=4, note="formulaic", amend_add=True, by=okafor)
        assert (rated.rating, rated.note) == (4, "formulaic")
        assert store.pending_count() == 2
        assert store.pending_notice().startswith("2 tag changes pending: session.review.sqlite is locked by another program")
        assert [(tag.code_id, tag.rating, tag.note) for tag in store.tags()] == [(CRITICISES, 4, "formulaic")]
        [kept] = pending_files(review_file)
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        assert [json.loads(line)["kind"] for line in kept.read_text().splitlines()] == ["add", "update"]
        assert in_file(review_file) == []
        with pytest.raises(StoreError, match="cannot undo or redo while 2 tag changes pending"):
            store.undo(okafor)
    # The retry thread writes, then tells: the telling may come a moment after the count.
    eventually(lambda: store.pending_count() == 0 and landed, "the pending writes to land and be told")
    assert in_file(review_file) == [(CRITICISES, 206_500, 4, "formulaic")]
    assert pending_files(review_file) == [] and store.pending_notice() is None
    assert store.undo(okafor).startswith("add")  # one tag, one undo step, pending or not
    assert store.tags() == []


def test_while_reading_is_blocked_too_the_tags_as_last_read_are_shown_with_the_pending_one(review_file, open_store):
    store = open_store()
    okafor = store.reviewer("Okafor", "supervisor")
    first = store.add_tag(start_ms=1000, end_ms=None, code_id=CRITICISES, author=okafor)
    assert store.tags() == [first]
    with locked(review_file, "EXCLUSIVE"):
        second = store.add_tag(start_ms=2000, end_ms=None, code_id=CRITICISES, author=okafor)
        assert [tag.start_ms for tag in store.tags()] == [1000, 2000] and second.id < 0
        store.delete_tag(first.id, by=okafor)
        assert [tag.start_ms for tag in store.tags()] == [2000]
    eventually(lambda: store.pending_count() == 0, "the pending writes to land")
    assert [row[1] for row in in_file(review_file)] == [2000]


def test_a_pending_edit_of_a_tag_deleted_meanwhile_is_refused_and_said(review_file, open_store):
    store = open_store()
    okafor = store.reviewer("Okafor", "supervisor")
    tag = store.add_tag(start_ms=1000, end_ms=None, code_id=CRITICISES, author=okafor)
    with locked(review_file) as other:
        store.update_tag(tag.id, rating=2)
        other.execute("DELETE FROM tags WHERE id = ?", (tag.id,))
    eventually(lambda: store.pending_count() == 0, "the pending write to be tried")
    [refused] = store.take_refused()
    assert f"tag {tag.id} is no longer in this review" in refused and str(review_file) in refused


TAGGER = textwrap.dedent(
    """
    import sys, time
    from review_tui.codebook import load_codebook
    from review_tui.store import ReviewStore
    store = ReviewStore.open(sys.argv[1], media_fingerprint=None, transcript_fingerprint=None,
                             codebook=load_codebook())
    author = store.reviewer("Okafor", "supervisor")
    print("open", flush=True)
    sys.stdin.readline()  # the parent now holds the lock
    tag = store.add_tag(start_ms=206500, end_ms=None,
                        code_id="confrontation.criticises_therapist", author=author)
    store.update_tag(tag.id, rating=5, amend_add=True)
    print(store.pending_count(), flush=True)
    time.sleep(60)
    """
)


def test_kill_9_while_a_tag_is_pending_loses_nothing(review_file, open_store):
    child = subprocess.Popen(
        [sys.executable, "-c", TAGGER, str(review_file)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "open"
        with locked(review_file):
            child.stdin.write("go\n")
            child.stdin.flush()
            assert child.stdout.readline().strip() == "2"
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert in_file(review_file) == [] and len(pending_files(review_file)) == 1
    store = open_store()
    assert [(tag.start_ms, tag.rating) for tag in store.tags()] == [(206_500, 5)]
    assert pending_files(review_file) == []
    assert in_file(review_file) == [(CRITICISES, 206_500, 5, "")]


def test_a_pending_write_replayed_twice_lands_once(review_file, open_store):
    store = open_store()
    okafor = store.reviewer("Okafor", "supervisor")
    store.close()
    write = {"write_id": "w1", "kind": "add", "kept": True, "uid": "u1", "at": "2026-01-01T00:00:00.000Z",
             "author": [okafor.id, okafor.name],
             "fields": {"start_ms": 1000, "end_ms": None, "code_id": CRITICISES, "rating": None, "note": ""}}  # fmt: skip
    orphan = Path(f"{review_file}.pending-1-dead")
    orphan.write_text(json.dumps(write) + "\n" + json.dumps(write) + "\n" + '{"torn', encoding="utf-8")
    reopened = open_store()
    assert [tag.start_ms for tag in reopened.tags()] == [1000] and not orphan.exists()


def test_opening_a_review_another_program_keeps_locked_says_so(review_file, open_store):
    open_store().close()
    with locked(review_file, "EXCLUSIVE"), pytest.raises(StoreError) as caught:
        open_store()
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{review_file}: is locked by another program")


BUSY_TAGGER = textwrap.dedent(
    """
    import sys, time
    from review_tui.codebook import load_codebook
    from review_tui.store import ReviewStore
    from review_tui.store import StoreLocked
    store = ReviewStore.open(sys.argv[1], media_fingerprint=None, transcript_fingerprint=None,
                             codebook=load_codebook())
    while True:  # the two start together: the first to name its reviewer may hold the other off
        try:
            author = store.reviewer(sys.argv[2], "rater")
            break
        except StoreLocked:
            time.sleep(0.05)
    print("ready", flush=True)
    sys.stdin.readline()
    for number in range(25):
        tag = store.add_tag(start_ms=number * 1000, end_ms=None,
                            code_id="confrontation.criticises_therapist", author=author)
        store.update_tag(tag.id, rating=1 + number % 5, note=f"{sys.argv[2]} {number}", amend_add=True)
    deadline = time.monotonic() + 20
    while store.pending_count() and time.monotonic() < deadline:
        time.sleep(0.05)
    store.close()
    """
)


def test_two_processes_tagging_at_once_lose_nothing(review_file, open_store):
    open_store().close()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", BUSY_TAGGER, str(review_file), name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        for name in ("Okafor", "Lind")
    ]
    try:
        assert [child.stdout.readline().strip() for child in children] == ["ready", "ready"]
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        assert [child.wait(timeout=60) for child in children] == [0, 0]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    store = open_store()  # replays anything a child left pending
    notes = sorted(tag.note for tag in store.tags())
    assert notes == sorted(f"{name} {number}" for name in ("Okafor", "Lind") for number in range(25))
    assert pending_files(review_file) == []


def test_a_commit_held_off_by_a_reader_is_kept_pending_and_the_store_goes_on(review_file, open_store):
    store = open_store()
    okafor = store.reviewer("Okafor", "supervisor")
    reader = sqlite3.connect(review_file, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM tags").fetchall()  # a shared lock held: no commit can finish
        kept = store.add_tag(start_ms=1000, end_ms=None, code_id=CRITICISES, author=okafor)
        assert kept.id < 0 and store.pending_count() == 1
        reader.execute("COMMIT")
    finally:
        reader.close()
    eventually(lambda: store.pending_count() == 0, "the pending write to land")
    later = store.add_tag(start_ms=2000, end_ms=None, code_id=CRITICISES, author=okafor)
    assert later.id > 0 and [row[1] for row in in_file(review_file)] == [1000, 2000]


def test_a_store_just_opened_keeps_a_tag_pending_while_even_reading_is_blocked(review_file, open_store):
    store = open_store()
    okafor = store.reviewer("Okafor", "supervisor")
    with locked(review_file, "EXCLUSIVE"):
        made = store.add_tag(start_ms=1000, end_ms=None, code_id=CRITICISES, author=okafor)
        rated = store.update_tag(made.id, rating=3, amend_add=True)
        assert made.id < 0 and rated.rating == 3 and store.pending_count() == 2
        assert [(tag.start_ms, tag.rating) for tag in store.tags()] == [(1000, 3)]
    eventually(lambda: store.pending_count() == 0, "the pending writes to land")
    assert in_file(review_file) == [(CRITICISES, 1000, 3, "")]
