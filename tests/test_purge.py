"""What purge finds and what it refuses to delete."""

from __future__ import annotations

from pathlib import Path

from review_tui.report.purge import delete, purge_targets
from review_tui.report.written import record_written, written_entries
from tests.review_factory import make_review


def test_a_review_lists_its_companions_pending_writes_and_its_other_copy(tmp_path):
    store, _ = make_review(tmp_path)
    review = store.path
    store.close()
    for leftover in ("-journal", "-wal", ".pending-77-deadbeef"):
        Path(f"{review}{leftover}").write_text("")
    copy = tmp_path / "data" / "fallback.review.sqlite"
    copy.parent.mkdir()
    copy.write_text("")
    Path(f"{copy}-journal").write_text("")
    targets = purge_targets(review, [], other_copies=(review, copy, tmp_path / "absent.review.sqlite"))
    assert {path.name for path in targets} == {
        "daniel-brooks-03.review.sqlite", "daniel-brooks-03.review.sqlite-wal", "daniel-brooks-03.review.sqlite-journal",
        "daniel-brooks-03.review.sqlite.pending-77-deadbeef", "daniel-brooks-03.names.toml",
        "fallback.review.sqlite", "fallback.review.sqlite-journal",
    }
    assert targets[-1] == review.absolute()  # the review goes last: an interrupted purge can run again


def test_a_clips_folder_goes_only_when_nothing_else_is_in_it(tmp_path):
    store, _ = make_review(tmp_path)
    ours, shared = tmp_path / "ours.clips", tmp_path / "Desktop"
    for folder in (ours, shared):
        folder.mkdir()
        (folder / "clip-1.mp4").write_bytes(b"x")
        record_written(store, [folder / "clip-1.mp4", folder], "clips")
    (shared / "holiday.jpg").write_bytes(b"y")
    targets = purge_targets(store.path, written_entries(store))
    store.close()
    failed = delete(targets)
    assert not ours.exists()
    assert sorted(path.name for path in shared.iterdir()) == ["holiday.jpg"]
    assert [(path.name, "left in place" in reason) for path, reason in failed] == [("Desktop", True)]
    assert not (tmp_path / "daniel-brooks-03.review.sqlite").exists()


def test_recording_the_same_export_twice_keeps_one_entry(tmp_path):
    store, _ = make_review(tmp_path)
    record_written(store, [tmp_path / "a.csv"], "csv")
    record_written(store, [tmp_path / "b.json"], "json")
    record_written(store, [tmp_path / "a.csv"], "csv")
    assert [entry["path"].rsplit("/", 1)[-1] for entry in written_entries(store)] == ["b.json", "a.csv"]
    store.set_state("exports.written", "{damaged")
    assert written_entries(store) == []
    store.close()
