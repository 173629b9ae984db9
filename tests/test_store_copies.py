"""The review beside the recording and its copy in the user data folder (kept while the
review was read-only): which is newer is said, never hidden, and one command merges them.
Real files; the read-only parts run as nobody (see tests/test_store.run_unprivileged)."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3

import pytest

from review_tui.codebook import load_codebook
from review_tui.store import ReviewStore, review_path_for
from tests.test_cli_info import run_cli
from tests.test_store import add, open_and_tag, run_unprivileged, shared_folders  # noqa: F401 - fixture

CRITICISES = "confrontation.criticises_therapist"
OWN_PART = "repair.acknowledges_own_part"


def opened(path):
    return ReviewStore.open(path, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook())


def test_merge_adds_the_copys_tags_later_edits_and_links_as_one_step(tmp_path):
    original, copy = tmp_path / "session.review.sqlite", tmp_path / "copy.review.sqlite"
    with opened(original) as store:
        okafor = store.reviewer("Okafor", "supervisor")
        both = add(store, okafor, 1000)
    shutil.copy(original, copy)
    with opened(copy) as elsewhere:
        lind = elsewhere.reviewer("Lind", "therapist")
        repair = add(elsewhere, lind, 9000, OWN_PART, note="made in the copy")
        elsewhere.update_tag(both.id, rating=4)
        elsewhere.link(both.id, repair.id, "repair")
    with opened(original) as store:
        here = add(store, okafor, 5000, note="made here meanwhile")  # takes the id the copy gave repair
        merged = store.merge_from(copy, by=okafor)
        assert merged.words() == "1 tag, 1 newer edit and 1 episode link"
        tags = store.tags()
        assert [(tag.start_ms, tag.rating, tag.note) for tag in tags] == [
            (1000, 4, ""), (5000, None, "made here meanwhile"), (9000, None, "made in the copy"),
        ]  # fmt: skip
        lind_here = next(reviewer for reviewer in store.reviewers() if reviewer.name == "Lind")
        assert tags[2].author_id == lind_here.id and tags[2].id != repair.id and tags[1] == here
        [link] = store.links()
        assert (link.rupture_id, link.tag_id, link.kind) == (both.id, tags[2].id, "repair")
        assert store.merge_from(copy, by=okafor).empty  # merging twice adds nothing
        assert store.undo(okafor).startswith("merge 1 tag")
        assert [tag.start_ms for tag in store.tags()] == [1000, 5000] and store.links() == []
        assert store.tag(both.id).rating is None


def test_merge_never_deletes_what_only_this_review_holds(tmp_path):
    original, copy = tmp_path / "session.review.sqlite", tmp_path / "copy.review.sqlite"
    with opened(original) as store:
        kept = add(store, store.reviewer("Okafor", "supervisor"), 1000)
    shutil.copy(original, copy)
    with opened(copy) as elsewhere:
        elsewhere.delete_tag(kept.id)
    with opened(original) as store:
        assert store.merge_from(copy).empty and store.tags() == [kept]


@pytest.fixture
def transcript_session(shared_folders):  # noqa: F811
    recordings, _ = shared_folders
    recordings.chmod(0o777)
    transcript = recordings / "session.srt"
    transcript.write_text("1\n00:00:01,000 --> 00:00:03,000\nThat sounds a bit formulaic.\n", encoding="utf-8")
    return transcript


def test_a_newer_copy_is_said_in_info_and_merged_by_the_merge_command(transcript_session):
    beside = transcript_session.with_name("session.review.sqlite")
    assert open_and_tag(beside) == 1
    beside.chmod(0o444)  # read-only: the app works on a copy in the user data folder
    copy, _ = run_unprivileged(review_path_for, transcript_session, None)
    assert run_unprivileged(open_and_tag, copy) == 2
    beside.chmod(0o666)  # writable again: the review beside the recording is used once more
    path, notice = run_unprivileged(review_path_for, transcript_session, None)
    assert path == beside and notice.source == str(beside)
    assert notice.message.startswith(f"the copy kept while it was read-only ({copy}) holds 1 tag this review lacks;")
    assert "the copy kept while it was read-only is newer" in notice.message
    assert f"`review-tui merge {transcript_session}` adds them here" in notice.message

    code, out, err = run_cli("info", str(transcript_session))
    assert code == 0, err
    assert f"note:     {notice.message}" in out
    code, out, err = run_cli("merge", str(transcript_session), "--reviewer", "A:rater")
    assert code == 0, err
    assert out.strip() == f"merged 1 tag from {copy} into {beside}; {copy} is left as it was"
    with contextlib.closing(sqlite3.connect(beside)) as db:
        assert db.execute("SELECT count(*) FROM tags").fetchone() == (2,)
    code, out, err = run_cli("info", str(transcript_session))
    assert code == 0 and "note:" not in out
    code, out, err = run_cli("merge", str(transcript_session))
    assert out.strip() == f"nothing to merge: {beside} already holds everything in {copy}"


def test_working_on_the_copy_says_when_the_review_beside_the_recording_is_newer(transcript_session):
    beside = transcript_session.with_name("session.review.sqlite")
    assert open_and_tag(beside) == 1
    beside.chmod(0o444)
    copy, _ = run_unprivileged(review_path_for, transcript_session, None)
    assert open_and_tag(beside) == 2  # written meanwhile by someone who may (root)
    beside.chmod(0o444)  # opening it made it private to root again
    path, notice = run_unprivileged(review_path_for, transcript_session, None)
    assert path == copy
    assert notice.message.startswith(f"is read-only; working on a copy in {copy}; the review beside the recording")
    assert "holds 1 tag this review lacks; the review beside the recording is newer" in notice.message

