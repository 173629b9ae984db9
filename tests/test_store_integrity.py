"""The review file is whole on its own, and undo is each reviewer's own: real SQLite files,
real second connections and a real process killed with SIGKILL."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from review_tui.codebook import load_codebook
from review_tui.model import StoreError
from review_tui.store import ReviewStore, schema

CRITICISES = "confrontation.criticises_therapist"
CLARIFY = "intervention.clarify_defense"
OWN_PART = "repair.acknowledges_own_part"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


@pytest.fixture
def review_file(tmp_path):
    return tmp_path / "session.review.sqlite"


@pytest.fixture
def open_store(review_file, codebook):
    opened = []

    def opener(path=review_file):
        store = ReviewStore.open(path, media_fingerprint=None, transcript_fingerprint=None, codebook=codebook)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


def add(store, author, start_ms=1000, code_id=CRITICISES, **fields):
    return store.add_tag(start_ms=start_ms, end_ms=None, code_id=code_id, author=author, **fields)


def tags_in(path: Path) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT code_id, start_ms, rating, note FROM tags ORDER BY id").fetchall()


def copied_alone(path: Path, folder: Path) -> Path:
    """Copy only the review file, as a user carrying it with the recording would."""
    folder.mkdir()
    return Path(shutil.copy(path, folder / path.name))


# --- the review file holds every tag by itself -------------------------------------------------


def test_a_copy_of_the_review_file_alone_holds_every_tag_while_two_instances_are_open(
    review_file, open_store, tmp_path
):
    first, second = open_store(), open_store()
    okafor, lind = first.reviewer("Okafor", "supervisor"), second.reviewer("Lind", "therapist")
    rupture = add(first, okafor, 1000, note="formulaic")
    repair = add(second, lind, 5000, OWN_PART)
    first.update_tag(rupture.id, rating=4)
    second.link(rupture.id, repair.id, "repair")
    copy = copied_alone(review_file, tmp_path / "carried")
    assert tags_in(copy) == [(CRITICISES, 1000, 4, "formulaic"), (OWN_PART, 5000, None, "")]
    reopened = open_store(copy)
    assert [tag.note for tag in reopened.tags()] == ["formulaic", ""]
    assert len(reopened.links()) == 1


TAGGER = textwrap.dedent(
    """
    import sys, time
    from review_tui.codebook import load_codebook
    from review_tui.store import ReviewStore
    store = ReviewStore.open(sys.argv[1], media_fingerprint=None, transcript_fingerprint=None,
                             codebook=load_codebook())
    author = store.reviewer("Okafor", "supervisor")
    for second in range(5):
        tag = store.add_tag(start_ms=second * 1000, end_ms=None,
                            code_id="confrontation.criticises_therapist", author=author)
        store.update_tag(tag.id, rating=3, note=f"tag {second}", amend_add=True)
    print("tagged", flush=True)
    time.sleep(60)
    """
)


def test_after_kill_9_the_review_file_alone_holds_every_tag(review_file, tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-c", TAGGER, str(review_file)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "tagged"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    copy = copied_alone(review_file, tmp_path / "carried")
    assert tags_in(copy) == [(CRITICISES, second * 1000, 3, f"tag {second}") for second in range(5)]


def old_wal_review(path: Path) -> sqlite3.Connection:
    """A review as review_tui wrote it before: WAL mode, its tags still in -wal (left open)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA wal_autocheckpoint = 0")  # as a long session leaves it
    db.executescript(schema.MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    db.execute("INSERT INTO session VALUES (1, NULL, NULL, '2025-01-01T00:00:00.000Z')")
    db.execute("INSERT INTO reviewers (name, role) VALUES ('Okafor', 'supervisor')")
    db.execute(
        "INSERT INTO tags (start_ms, code_id, note, author_id, created_at, updated_at)"
        " VALUES (1000, ?, 'kept in wal', 1, 'x', 'x')",
        (CRITICISES,),
    )
    return db


def test_the_shell_of_an_old_wal_review_copied_alone_is_reported_not_started_anew(
    review_file, open_store, tmp_path
):
    writer = old_wal_review(review_file)
    try:
        copy = copied_alone(review_file, tmp_path / "carried")
    finally:
        writer.close()
    before = copy.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_store(copy)
    message = str(caught.value)
    assert "\n" not in message and str(copy) in message and "session.review.sqlite-wal" in message
    assert copy.read_bytes() == before  # not made into a new, empty review


def test_an_empty_review_with_a_journal_beside_it_is_reported(review_file, open_store):
    review_file.touch()
    Path(f"{review_file}-wal").write_bytes(b"\x37\x7f\x06\x82" + os.urandom(60))
    with pytest.raises(StoreError, match=r"looks empty, but session\.review\.sqlite-wal beside it"):
        open_store()


def test_an_old_wal_review_opened_with_its_wal_is_folded_into_the_file(review_file, open_store, tmp_path):
    old_wal_review(review_file).close()  # closing checkpoints, so keep a -wal as a kill leaves it
    writer = old_wal_review(tmp_path / "other.review.sqlite")
    shutil.copy(tmp_path / "other.review.sqlite", review_file)
    shutil.copy(f"{tmp_path / 'other.review.sqlite'}-wal", f"{review_file}-wal")
    writer.close()
    store = open_store()
    assert [tag.note for tag in store.tags()] == ["kept in wal"]
    assert not Path(f"{review_file}-wal").exists()
    assert tags_in(copied_alone(review_file, tmp_path / "carried")) == [(CRITICISES, 1000, None, "kept in wal")]


# --- undo is each reviewer's own ----------------------------------------------------------------


def test_each_reviewer_undoes_only_their_own_steps(open_store):
    store = open_store()
    okafor, lind = store.reviewer("Okafor", "supervisor"), store.reviewer("Lind", "therapist")
    mine = add(store, okafor, 1000)
    theirs = add(store, lind, 2000)
    assert store.undo(okafor).startswith("add Criticises therapist at 00:01")
    assert store.tags() == [theirs]
    assert store.undo(okafor) is None
    assert store.redo(okafor).startswith("add") and store.tags() == [mine, theirs]
    assert store.undo(lind).startswith("add Criticises therapist at 00:02")
    assert store.tags() == [mine]


def test_a_step_whose_tag_another_window_changed_is_refused_and_taken_off(review_file, open_store):
    here, there = open_store(), open_store()
    okafor = here.reviewer("Okafor", "supervisor")
    lind = there.reviewer("Lind", "therapist")
    earlier = add(here, okafor, 500)
    tag = add(here, okafor, 1000)
    edited = there.update_tag(tag.id, note="Lind's note", by=lind)
    with pytest.raises(StoreError) as caught:
        here.undo(okafor)
    message = str(caught.value)
    assert "\n" not in message and str(review_file) in message
    assert "cannot undo 'add Criticises therapist at 00:01.000': the tag was edited" in message
    assert here.tag(tag.id) == edited  # Lind's note stands
    assert here.undo(okafor).startswith("add Criticises therapist at 00:00.500")  # the step before
    assert here.tags() == [edited] and earlier.id != edited.id


def test_undo_of_a_tag_someone_linked_since_is_refused(open_store):
    store = open_store()
    okafor, lind = store.reviewer("Okafor", "supervisor"), store.reviewer("Lind", "therapist")
    rupture = add(store, lind, 1000)
    answer = add(store, okafor, 2000, CLARIFY)
    store.link(rupture.id, answer.id, "response", by=lind)
    with pytest.raises(StoreError, match="the tag was linked to an episode"):
        store.undo(okafor)
    assert len(store.links()) == 1 and len(store.tags()) == 2


def test_a_write_to_a_tag_another_window_deleted_says_so(review_file, open_store):
    here, there = open_store(), open_store()
    okafor = here.reviewer("Okafor", "supervisor")
    tag = add(here, okafor)
    there.delete_tag(tag.id)
    for write in (
        lambda: here.update_tag(tag.id, rating=4),
        lambda: here.update_tag(tag.id, note="late note", amend_add=True),
        lambda: here.delete_tag(tag.id),
        lambda: here.link(tag.id, tag.id + 1, "repair"),
    ):
        with pytest.raises(StoreError) as caught:
            write()
        message = str(caught.value)
        assert "\n" not in message and str(review_file) in message
        assert f"tag {tag.id} is no longer in this review" in message and "not saved" in message


def test_a_damaged_undo_entry_is_a_store_error_not_a_crash(review_file, open_store):
    store = open_store()
    okafor = store.reviewer("Okafor", "supervisor")
    add(store, okafor)
    with contextlib.closing(sqlite3.connect(review_file)) as other, other:
        other.execute("UPDATE undo_log SET changes = '{not json'")
    with pytest.raises(StoreError, match="damaged"):
        store.undo(okafor)
    assert store.undo(okafor) is None and len(store.tags()) == 1


def test_a_version_1_file_gives_each_old_step_its_author(review_file, open_store):
    with contextlib.closing(sqlite3.connect(review_file, isolation_level=None)) as db:
        db.executescript(schema.MIGRATIONS[0] + "; PRAGMA user_version = 1;")
        db.execute("INSERT INTO session VALUES (1, NULL, NULL, 'x')")
        db.executemany("INSERT INTO reviewers (name, role) VALUES (?, ?)", [("A", "rater"), ("B", "rater")])
        for author, start in ((1, 1000), (2, 2000)):
            row = {"id": author, "start_ms": start, "end_ms": None, "code_id": CRITICISES, "rating": None,
                   "note": "", "author_id": author, "created_at": "c", "updated_at": "u"}  # fmt: skip
            db.execute("INSERT INTO tags VALUES (:id, :start_ms, :end_ms, :code_id, :rating, :note,"
                       " :author_id, :created_at, :updated_at)", row)  # fmt: skip
            changes = json.dumps([{"table": "tags", "before": None, "after": row}])
            db.execute("INSERT INTO undo_log (description, changes) VALUES (?, ?)", (f"add {start}", changes))
    store = open_store()
    first, second = store.reviewers()
    assert store.undo(first) == "add 1000" and [tag.start_ms for tag in store.tags()] == [2000]
    assert store.redo(first) == "add 1000" and len(store.tags()) == 2


# --- one tag, one undo step ------------------------------------------------------------------------


def test_the_details_of_a_new_tag_join_its_undo_step(review_file, open_store):
    store = open_store()
    okafor = store.reviewer("Okafor", "supervisor")
    tag = add(store, okafor)
    assert tags_in(review_file) == [(CRITICISES, 1000, None, "")]  # on disk before the details
    detailed = store.update_tag(tag.id, rating=4, note="formulaic", amend_add=True, by=okafor)
    assert store.undo(okafor) == "add Criticises therapist at 00:01.000"
    assert store.tags() == [] and store.undo(okafor) is None
    assert store.redo(okafor).startswith("add") and store.tags() == [detailed]


def test_details_join_the_add_only_while_it_is_the_newest_step_of_its_tag(open_store):
    store = open_store()
    okafor = store.reviewer("Okafor", "supervisor")
    tag = add(store, okafor)
    store.update_tag(tag.id, rating=2)  # an edit of its own came between
    store.update_tag(tag.id, note="later", amend_add=True)
    assert store.undo(okafor).startswith("edit") and store.tag(tag.id).rating == 2
    other = add(store, okafor, 5000)
    store.update_tag(tag.id, note="again", amend_add=True)  # the newest add is another tag's
    assert store.undo(okafor).startswith("edit") and store.tag(other.id) is not None
