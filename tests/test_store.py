"""The review file: real SQLite files in tmp_path, opened and reopened, read by a second
connection to prove each write is committed the moment the call returns."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from review_tui.codebook import load_codebook
from review_tui.model import StoreError, format_ms, parse_time
from review_tui.store import (
    MEDIA_CHANGED,
    TRANSCRIPT_CHANGED,
    Link,
    ReviewStore,
    review_path_for,
    schema,
    undo,
)

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

    def opener(path=review_file, media="media-1", transcript="transcript-1", book=codebook):
        store = ReviewStore.open(
            path, media_fingerprint=media, transcript_fingerprint=transcript, codebook=book
        )
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store):
    return open_store()


@pytest.fixture
def okafor(store):
    return store.reviewer("Dr. M. Okafor", "supervisor")


def add(store, author, start_ms=1000, code_id=CRITICISES, **fields):
    fields.setdefault("end_ms", None)
    return store.add_tag(start_ms=start_ms, code_id=code_id, author=author, **fields)


def raw_rows(path: Path, sql: str) -> list[tuple]:
    """Read through a connection of its own, as another program would."""
    with contextlib.closing(sqlite3.connect(path)) as other:
        return other.execute(sql).fetchall()


def one_line_naming(error: pytest.ExceptionInfo, path: Path) -> str:
    message = str(error.value)
    assert "\n" not in message and str(path) in message
    return message


# --- the file ------------------------------------------------------------------------


def test_new_file_and_its_journal_are_private_and_nothing_lies_beside_it(review_file, open_store):
    previous = os.umask(0o022)  # the usual umask, which would leave a new file world-readable
    try:
        store = open_store()
        add(store, store.reviewer("A", "rater"))
        # While another program is mid-write, its rollback journal is beside the file.
        with contextlib.closing(sqlite3.connect(review_file, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE tags SET note = 'x'")
            journal = Path(f"{review_file}-journal")
            assert stat.S_IMODE(journal.stat().st_mode) == 0o600
            other.execute("ROLLBACK")
    finally:
        os.umask(previous)
    files = sorted(review_file.parent.glob(f"{review_file.name}*"))
    assert files == [review_file]  # no -wal or -shm: the file holds everything by itself
    assert stat.S_IMODE(review_file.stat().st_mode) == 0o600
    assert raw_rows(review_file, "PRAGMA journal_mode") == [("delete",)]


def test_a_review_file_open_to_others_is_tightened(review_file, open_store):
    open_store().close()
    review_file.chmod(0o644)
    open_store()
    assert stat.S_IMODE(review_file.stat().st_mode) == 0o600


def test_every_write_is_visible_to_another_connection_at_once(review_file, store, okafor):
    first = add(store, okafor, note="formulaic")
    assert raw_rows(review_file, "SELECT id, note FROM tags") == [(first.id, "formulaic")]
    second = add(store, okafor, 5000, CLARIFY)
    store.update_tag(first.id, rating=4)
    assert raw_rows(review_file, f"SELECT rating FROM tags WHERE id = {first.id}") == [(4,)]
    store.link(first.id, second.id, "response")
    assert raw_rows(review_file, "SELECT kind FROM links") == [("response",)]
    store.set_state("position_ms", "5000")
    assert raw_rows(review_file, "SELECT value FROM state WHERE key = 'position_ms'") == [("5000",)]
    store.delete_tag(second.id)
    assert raw_rows(review_file, "SELECT count(*) FROM tags") == [(1,)]
    store.undo(okafor)
    assert raw_rows(review_file, "SELECT count(*) FROM tags") == [(2,)]


def test_corrupt_file_is_refused_in_one_line(review_file, open_store):
    review_file.write_bytes(os.urandom(8192))
    review_file.chmod(0o644)
    with pytest.raises(StoreError) as caught:
        open_store()
    assert "not a usable review file" in one_line_naming(caught, review_file)
    assert stat.S_IMODE(review_file.stat().st_mode) == 0o644  # not ours: left alone


def test_database_of_another_program_is_refused(review_file, open_store):
    with contextlib.closing(sqlite3.connect(review_file)) as other:
        other.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError) as caught:
        open_store()
    assert "not a review file" in one_line_naming(caught, review_file)


def test_newer_schema_is_refused(review_file, open_store):
    open_store().close()
    with contextlib.closing(sqlite3.connect(review_file)) as other:
        other.execute(f"PRAGMA user_version = {len(schema.MIGRATIONS) + 5}")
    with pytest.raises(StoreError) as caught:
        open_store()
    message = one_line_naming(caught, review_file)
    assert "newer review_tui" in message and f"schema {len(schema.MIGRATIONS) + 5}" in message


def test_folder_or_missing_folder_is_refused(tmp_path, open_store):
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="cannot create"):
        open_store(tmp_path / "absent" / "x.review.sqlite")


# --- migrations ------------------------------------------------------------------------


def make_v1_file_by_hand(path: Path) -> None:
    """A version-1 review as an older review_tui left it, written with raw SQL only."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(schema.MIGRATIONS[0])
        db.execute("PRAGMA user_version = 1")
        db.execute("INSERT INTO session VALUES (1, 'media-1', NULL, '2024-05-01T10:00:00Z')")
        snapshot = json.dumps(
            {
                "id": "old",
                "version": "0",
                "label": "Old",
                "groups": [
                    {
                        "id": "marker",
                        "key": "m",
                        "label": "Marker",
                        "codes": [{"id": "one", "label": "One"}],
                    }
                ],
            }
        )
        db.execute("INSERT INTO codebook VALUES (1, ?)", (snapshot,))
        db.execute("INSERT INTO reviewers VALUES (1, 'Rater', 'rater')")
        db.execute(
            "INSERT INTO tags VALUES (1, 2500, NULL, 'marker.one', 3, 'old note', 1, 'x', 'x')"
        )
        db.commit()


def test_migrations_run_in_order_from_the_files_version(review_file, open_store, monkeypatch):
    make_v1_file_by_hand(review_file)
    # The third step only works after the second: proof they ran, and in order.
    later = ["ALTER TABLE tags ADD COLUMN colour TEXT", "UPDATE tags SET colour = 'amber'"]
    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], *later])
    store = open_store()
    assert raw_rows(review_file, "PRAGMA user_version") == [(3,)]
    assert raw_rows(review_file, "SELECT id, colour FROM tags") == [(1, "amber")]
    assert store.codebook.id == "old" and store.created_at == "2024-05-01T10:00:00Z"
    assert [(tag.start_ms, tag.code_id, tag.note) for tag in store.tags()] == [
        (2500, "marker.one", "old note")
    ]


def test_a_new_file_runs_every_migration_from_zero(tmp_path, open_store, monkeypatch):
    later = ["CREATE TABLE extra (x)", "INSERT INTO extra VALUES (1)"]
    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], *later])
    path = tmp_path / "fresh.review.sqlite"
    open_store(path)
    assert raw_rows(path, "PRAGMA user_version") == [(3,)]
    assert raw_rows(path, "SELECT x FROM extra") == [(1,)]


def test_a_failing_migration_leaves_the_file_as_it_was(review_file, open_store, monkeypatch):
    make_v1_file_by_hand(review_file)
    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], "ALTER TABLE nowhere ADD x"])
    with pytest.raises(StoreError) as caught:
        open_store()
    assert "no such table" in one_line_naming(caught, review_file)
    assert raw_rows(review_file, "PRAGMA user_version") == [(1,)]
    monkeypatch.undo()
    assert len(open_store().tags()) == 1


# --- session, fingerprints, codebook ----------------------------------------------------


def test_fingerprint_and_codebook_mismatches_are_warnings(review_file, open_store, codebook):
    first = open_store(media="media-1", transcript=None)
    assert first.warnings == [] and first.created_at.endswith("Z")
    first.close()
    assert open_store(media="media-1", transcript="transcript-1").warnings == []
    changed = open_store(media="media-2", transcript="transcript-2")
    assert [problem.message for problem in changed.warnings] == [MEDIA_CHANGED, TRANSCRIPT_CHANGED]
    assert all(problem.source == str(review_file) for problem in changed.warnings)
    extended = replace(codebook, version="2")
    kept = open_store(media="media-1", book=extended)
    assert kept.codebook == codebook
    assert "version 1" in str(kept.warnings[0]) and "version 2" in str(kept.warnings[0])


def test_tags_must_use_codes_of_the_stored_codebook(review_file, open_store, codebook):
    open_store().close()
    group = codebook.groups[0]
    extra = replace(group.codes[0], id="withdrawal.brand_new", digit="9")
    grown = replace(
        codebook, groups=(replace(group, codes=(*group.codes, extra)), *codebook.groups[1:])
    )
    store = open_store(book=grown)
    with pytest.raises(StoreError, match="unknown code 'withdrawal.brand_new'"):
        add(store, store.reviewer("A", "rater"), code_id="withdrawal.brand_new")


# --- reviewers and tags -------------------------------------------------------------------


def test_reviewer_is_got_or_created(store, okafor):
    assert store.reviewer(" Dr. M. Okafor ", "supervisor") == okafor
    rater = store.reviewer("Dr. M. Okafor", "rater")
    assert rater.id != okafor.id
    assert store.reviewers() == [okafor, rater]
    with pytest.raises(StoreError, match="unknown role 'boss'"):
        store.reviewer("X", "boss")
    with pytest.raises(StoreError, match="needs a name"):
        store.reviewer("  ", "rater")


def test_tags_come_back_in_time_order_and_by_author(store, okafor):
    therapist = store.reviewer("T. Lind", "therapist")
    late = add(store, okafor, 90_000, CLARIFY, end_ms=95_500, rating=3, note="names the barrier")
    early = add(store, therapist, 12_000)
    assert store.tags() == [early, late]
    assert store.tags(author_id=okafor.id) == [late]
    assert store.tag(late.id) == late and store.tag(late.id + 100) is None
    assert (late.start_ms, late.end_ms, late.rating, late.note) == (
        90_000,
        95_500,
        3,
        "names the barrier",
    )
    assert late.is_range and not early.is_range and early.end_ms is None
    assert late.created_at == late.updated_at


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"code_id": "confrontation.nope"}, "unknown code 'confrontation.nope'"),
        ({"rating": 6}, "rating must be 1-5"),
        ({"rating": 0}, "rating must be 1-5"),
        ({"start_ms": -1}, "start must be"),
        ({"start_ms": 5000, "end_ms": 4000}, "end must be at or after the start"),
        ({"note": None}, "note must be text"),
    ],
)
def test_add_tag_refuses_bad_fields(review_file, store, okafor, fields, fragment):
    with pytest.raises(StoreError) as caught:
        add(store, okafor, **fields)
    assert fragment in one_line_naming(caught, review_file)
    assert store.tags() == [] and store.undo(okafor) is None


def test_add_tag_refuses_an_author_not_in_the_review(store, okafor):
    with pytest.raises(StoreError, match="no reviewer 'Ghost'"):
        add(store, replace(okafor, id=okafor.id + 7, name="Ghost"))


def test_update_tag(store, okafor):
    tag = add(store, okafor, note="first take")
    changed = store.update_tag(tag.id, note="sarcastic", rating=4, end_ms=3000)
    assert store.tag(tag.id) == changed
    assert (changed.note, changed.rating, changed.end_ms, changed.created_at) == (
        "sarcastic",
        4,
        3000,
        tag.created_at,
    )
    assert changed.updated_at >= tag.updated_at
    assert store.update_tag(tag.id, note="sarcastic") == changed  # nothing to change, no step
    assert store.undo(okafor).startswith("edit Criticises therapist")
    with pytest.raises(StoreError, match="rating must be 1-5"):
        store.update_tag(tag.id, rating=9)
    with pytest.raises(StoreError, match="tag 999 is no longer in this review"):
        store.update_tag(999, note="x")
    with pytest.raises(TypeError, match="author_id"):
        store.update_tag(tag.id, author_id=3)
    assert store.tag(tag.id) == tag


def test_delete_tag_takes_its_links_and_undo_brings_both_back(store, okafor):
    rupture = add(store, okafor, 1000)
    response = add(store, okafor, 2000, CLARIFY)
    repair = add(store, okafor, 3000, OWN_PART)
    store.link(rupture.id, response.id, "response")
    store.link(rupture.id, repair.id, "repair")
    store.delete_tag(rupture.id)
    assert store.tags() == [response, repair] and store.links() == []
    assert store.undo(okafor) == "delete Criticises therapist at 00:01.000"
    assert store.tags() == [rupture, response, repair]
    assert store.links() == [
        Link(rupture.id, response.id, "response"),
        Link(rupture.id, repair.id, "repair"),
    ]
    with pytest.raises(StoreError, match="tag 999 is no longer in this review"):
        store.delete_tag(999)


# --- undo -----------------------------------------------------------------------------------


def test_undo_and_redo_of_add_update_and_delete(store, okafor):
    tag = add(store, okafor, 192_400, note="formulaic")
    edited = store.update_tag(tag.id, rating=5)
    store.delete_tag(tag.id)
    assert store.tags() == []
    assert store.undo(okafor) == "delete Criticises therapist at 03:12.400"
    assert store.tags() == [edited]
    assert store.undo(okafor) == "edit Criticises therapist at 03:12.400"
    assert store.tags() == [tag]
    assert store.undo(okafor) == "add Criticises therapist at 03:12.400"
    assert store.tags() == [] and store.undo(okafor) is None
    assert store.redo(okafor) == "add Criticises therapist at 03:12.400" and store.tags() == [tag]
    assert store.redo(okafor).startswith("edit") and store.tags() == [edited]
    assert store.redo(okafor).startswith("delete") and store.tags() == []
    assert store.redo(okafor) is None


def test_a_new_edit_clears_what_could_be_redone(store, okafor):
    first = add(store, okafor, 1000)
    add(store, okafor, 2000)
    store.undo(okafor)
    third = add(store, okafor, 3000)
    assert store.redo(okafor) is None
    assert store.tags() == [first, third]


def test_120_steps_undo_and_redo_across_reopening(open_store):
    first = open_store()
    author = first.reviewer("Dr. M. Okafor", "supervisor")
    made = [add(first, author, 1000 * step) for step in range(120)]
    first.close()
    second = open_store()
    author = second.reviewer("Dr. M. Okafor", "supervisor")
    for step in reversed(range(120)):
        assert second.undo(author) == f"add Criticises therapist at {format_ms(1000 * step)}"
    assert second.tags() == [] and second.undo(author) is None
    second.close()
    third = open_store()
    author = third.reviewer("Dr. M. Okafor", "supervisor")
    assert all(third.redo(author) is not None for _ in range(120))
    assert third.redo(author) is None and third.tags() == made


def test_the_undo_log_keeps_the_newest_steps(store, okafor, monkeypatch):
    monkeypatch.setattr(undo, "UNDO_LIMIT", 3)
    made = [add(store, okafor, 1000 * step) for step in range(5)]
    assert [store.undo(okafor) is not None for _ in range(4)] == [True, True, True, False]
    assert store.tags() == made[:2]


# --- links and state ------------------------------------------------------------------------


def test_links_tie_answers_to_a_rupture(store, okafor):
    rupture = add(store, okafor, 1000)
    answer = add(store, okafor, 2000, CLARIFY)
    assert store.link(rupture.id, answer.id, "response") == Link(rupture.id, answer.id, "response")
    store.link(rupture.id, answer.id, "repair")
    assert store.links() == [Link(rupture.id, answer.id, "repair")]
    assert store.undo(okafor).startswith("link repair Clarify a defense at 00:02.000")
    assert store.links() == [Link(rupture.id, answer.id, "response")]
    store.unlink(rupture.id, answer.id)
    assert store.links() == []
    assert store.undo(okafor).startswith("unlink") and len(store.links()) == 1
    for args, fragment in [
        ((rupture.id, answer.id, "hug"), "unknown link kind 'hug'"),
        ((rupture.id, rupture.id, "repair"), "linked to itself"),
        ((rupture.id, 999, "repair"), "tag 999 is no longer"),
    ]:
        with pytest.raises(StoreError, match=fragment):
            store.link(*args)


def test_state_is_kept_per_file(review_file, open_store):
    store = open_store()
    assert store.get_state("position_ms") is None
    store.set_state("position_ms", "120500")
    store.set_state("position_ms", "130000")
    store.set_state("pane", "transcript")
    store.set_state("pane", None)
    store.close()
    reopened = open_store()
    assert reopened.get_state("position_ms") == "130000" and reopened.get_state("pane") is None
    assert reopened.undo(reopened.reviewer("A", "rater")) is None  # state is not an edit of the review


# --- where a review lives ----------------------------------------------------------------------

NOBODY = 65534

# A fresh interpreter per call: it imports what the call needs while still root (the
# interpreter and its site-packages may sit where nobody cannot read), then drops to nobody.
# A forked child instead inherited whatever earlier tests had imported, and a lazy import after
# the drop failed or not depending on the order the tests ran in.
_AS_NOBODY = """
import importlib, os, pickle, sys
module, name, args = pickle.load(sys.stdin.buffer)
for warm in ("review_tui.store", "review_tui.codebook", module):
    importlib.import_module(warm)
sys.modules["review_tui.codebook"].load_codebook()  # reads package data through lazy imports
function = getattr(sys.modules[module], name)
os.setgid(NOBODY)
os.setuid(NOBODY)
try:
    payload = ("value", function(*args))
except BaseException as err:
    payload = ("error", f"{type(err).__name__}: {err}")
sys.stdout.buffer.write(pickle.dumps(payload))
""".replace("NOBODY", str(NOBODY))


def run_unprivileged(function, *args):
    """Call ``function(*args)`` as a user who may only write where the mode bits allow: root
    writes into a 0555 folder regardless, so as root the call runs in a fresh process as nobody."""
    if os.geteuid() != 0:
        return function(*args)
    result = subprocess.run(
        [sys.executable, "-c", _AS_NOBODY],
        input=pickle.dumps((function.__module__, function.__name__, args)),
        capture_output=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    kind, value = pickle.loads(result.stdout)
    assert kind == "value", value
    return value


@pytest.fixture
def shared_folders(monkeypatch):
    """A recordings folder and a user data folder that nobody can reach (tmp_path is root's)."""
    base = Path(tempfile.mkdtemp(prefix="review-tui-test-"))
    base.chmod(0o755)
    recordings, data = base / "recordings", base / "data"
    recordings.mkdir()
    data.mkdir(mode=0o777)
    data.chmod(0o777)
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv("REVIEW_TUI_DATA_DIR", raising=False)
    yield recordings, data
    recordings.chmod(0o755)
    shutil.rmtree(base)


def test_a_review_lives_beside_its_recording(tmp_path):
    assert review_path_for(tmp_path / "session.mp4", None) == (
        tmp_path / "session.review.sqlite",
        None,
    )
    assert review_path_for(tmp_path / "talk.en.vtt", None)[0] == tmp_path / "talk.en.review.sqlite"
    chosen = tmp_path / "elsewhere" / "mine.sqlite"
    assert review_path_for(tmp_path / "session.mp4", chosen) == (chosen, None)


def open_and_tag(path: Path) -> int:
    with ReviewStore.open(
        path, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook()
    ) as store:
        add(store, store.reviewer("A", "rater"))
        return len(store.tags())


def test_a_read_only_folder_sends_the_review_to_the_user_data_folder(shared_folders):
    recordings, data = shared_folders
    media = recordings / "session.mp4"
    media.write_bytes(b"not really a video")
    recordings.chmod(0o555)
    path, notice = run_unprivileged(review_path_for, media, None)
    assert path.parent == data / "review_tui" / "reviews"
    assert path.name.startswith("session-") and path.name.endswith(".review.sqlite")
    assert notice.source == str(recordings) and str(path) in notice.message
    assert "read-only" in notice.message
    assert run_unprivileged(review_path_for, media, None)[0] == path
    assert run_unprivileged(review_path_for, recordings / "sub" / "session.mp4", None)[0] != path
    assert run_unprivileged(open_and_tag, path) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not (recordings / "session.review.sqlite").exists()


def test_a_read_only_review_beside_the_recording_is_copied(shared_folders):
    recordings, _ = shared_folders
    beside = recordings / "session.review.sqlite"
    assert open_and_tag(beside) == 1
    beside.chmod(0o444)
    recordings.chmod(0o555)
    path, notice = run_unprivileged(review_path_for, recordings / "session.mp4", None)
    assert notice.source == str(beside) and "working on a copy" in notice.message
    assert run_unprivileged(open_and_tag, path) == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_only_the_review_file_read_only_is_said_so_every_time_not_the_folder(shared_folders):
    recordings, _ = shared_folders
    recordings.chmod(0o777)  # the folder may be written; only the review file may not
    beside = recordings / "session.review.sqlite"
    assert open_and_tag(beside) == 1
    beside.chmod(0o444)
    for _ in range(2):  # the first call makes the copy, the second finds it
        path, notice = run_unprivileged(review_path_for, recordings / "session.mp4", None)
        assert notice.source == str(beside)
        assert notice.message == f"is read-only; working on a copy in {path}"
    recordings.chmod(0o555)
    _, notice = run_unprivileged(review_path_for, recordings / "session.mp4", None)
    assert notice.message == f"is read-only (and so is its folder); working on a copy in {path}"


# --- importing a sample review -------------------------------------------------------------------

SAMPLE = {
    "reviewers": [
        {"name": "Dr. M. Okafor", "role": "supervisor"},
        {"name": "T. Lind", "role": "therapist"},
    ],
    "tags": [
        {
            "start": "03:12.400",
            "end": "03:18.000",
            "code": CRITICISES,
            "rating": 4,
            "note": "calls the phrasing formulaic",
            "author": "Dr. M. Okafor",
        },
        {
            "start": "03:19.100",
            "end": None,
            "code": "intervention.moves_against",
            "note": "debates the point",
            "author": "T. Lind",
        },
        {
            "start": "03:40",
            "code": CLARIFY,
            "rating": 3,
            "note": "names the barrier",
            "author": "Dr. M. Okafor",
        },
        {"start": "9m05", "code": "alliance.links_people", "author": "Rater"},
    ],
    "links": [
        {"rupture": 0, "tag": 1, "kind": "response"},
        {"rupture": 0, "tag": 2, "kind": "repair"},
    ],
}


def test_import_review_adds_reviewers_tags_and_links_as_one_step(store):
    rater = store.reviewer("Rater", "rater")
    assert store.import_review(SAMPLE, source="sample.json", by=rater) == 4
    okafor, lind = store.reviewers()[1:]
    assert (okafor.name, okafor.role, lind.role) == ("Dr. M. Okafor", "supervisor", "therapist")
    tags = store.tags()
    assert [(tag.start_ms, tag.end_ms) for tag in tags] == [
        (192_400, 198_000),
        (199_100, None),
        (220_000, None),
        (545_000, None),
    ]
    assert [tag.author_id for tag in tags] == [okafor.id, lind.id, okafor.id, rater.id]
    assert [(tag.rating, tag.note) for tag in tags][:2] == [
        (4, "calls the phrasing formulaic"),
        (None, "debates the point"),
    ]
    assert store.links() == [
        Link(tags[0].id, tags[1].id, "response"),
        Link(tags[0].id, tags[2].id, "repair"),
    ]
    assert store.undo(okafor) is None  # the import is the rater's step, not the supervisor's
    assert store.undo(rater) == "import 4 tags from sample.json"
    assert store.tags() == [] and store.links() == []
    store.redo(rater)
    assert store.tags() == tags and len(store.links()) == 2


def broken(change) -> dict:
    sample = json.loads(json.dumps(SAMPLE))
    change(sample)
    return sample


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda s: s["tags"][1].update(code="nope"), "tags[1]: unknown code 'nope'"),
        (lambda s: s["tags"][2].update(start="soon"), "tags[2]: not a time: 'soon'"),
        (lambda s: s["tags"][0].update(end="03:00"), "tags[0]: end must be at or after the start"),
        (lambda s: s["tags"][0].update(author="Nobody"), "tags[0]: author 'Nobody' is not among"),
        (lambda s: s["tags"][3].update(colour="red"), "tags[3]: unknown field 'colour'"),
        (lambda s: s["tags"][3].pop("start"), "tags[3]: missing field 'start'"),
        (lambda s: s["reviewers"][1].update(role="boss"), "reviewers[1]: unknown role 'boss'"),
        (lambda s: s["links"][1].update(tag=9), "links[1]: 'tag' must be the index"),
        (lambda s: s["links"][0].update(kind="hug"), "links[0]: unknown kind 'hug'"),
        (lambda s: s["links"].append(s["links"][0]), "links[2]: links a tag to itself or repeats"),
        (lambda s: s.update(tags={}), "'tags' must be a list"),
        (lambda s: s.update(extra=1), "review: unknown field 'extra'"),
    ],
)
def test_import_review_errors_name_the_entry_and_write_nothing(store, change, fragment):
    store.reviewer("Rater", "rater")
    with pytest.raises(StoreError) as caught:
        store.import_review(broken(change), source="sample.json")
    message = str(caught.value)
    assert message.startswith("sample.json: ") and fragment in message and "\n" not in message
    assert store.tags() == [] and len(store.reviewers()) == 1


def test_import_times_are_read_as_the_model_reads_them(store):
    store.import_review(
        {
            "reviewers": [{"name": "A", "role": "rater"}],
            "tags": [
                {"start": text, "code": CRITICISES, "author": "A"}
                for text in ("1:02:03.5", "90s", "1m30")
            ],
        }
    )
    assert [tag.start_ms for tag in store.tags()] == sorted(
        map(parse_time, ("1:02:03.5", "90s", "1m30"))
    )
