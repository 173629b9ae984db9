"""Diarised speakers renamed once, the names kept in a real review file."""

from __future__ import annotations

from pathlib import Path

from review_tui.codebook import load_codebook
from review_tui.store import ReviewStore
from review_tui.transcript import load_transcript, summarise
from review_tui.transcript.renames import (
    RENAMES_KEY,
    apply_renames,
    diarised_speakers,
    load_renames,
    rename_from_answer,
    save_renames,
    should_offer,
)

DATA = Path(__file__).parent / "data" / "transcripts"


def open_store(path: Path) -> ReviewStore:
    return ReviewStore.open(
        path, media_fingerprint=None, transcript_fingerprint=None, codebook=load_codebook(None)
    )


def test_diarised_speakers_are_offered_once_and_the_names_kept(tmp_path):
    transcript = load_transcript(DATA / "diarised.srt")
    review = tmp_path / "session.review.sqlite"
    store = open_store(review)
    try:
        speakers = diarised_speakers(transcript)
        assert [speaker.label for speaker in speakers] == ["SPEAKER_00", "SPEAKER_01"]
        assert should_offer(transcript, store)
        answers = {"speaker-00": "therapist", "speaker-01": "Jo Park"}
        renames = {s.id: rename_from_answer(s, answers[s.id]) for s in speakers}
        save_renames(store, renames)
        assert not should_offer(transcript, store)
    finally:
        store.close()

    reopened = open_store(review)  # on disk, in the review itself
    try:
        renamed = apply_renames(transcript, load_renames(reopened))
        assert not should_offer(transcript, reopened)
    finally:
        reopened.close()
    assert renamed.speakers["speaker-00"].label == "Therapist"
    assert renamed.speakers["speaker-00"].role == "therapist"
    assert renamed.speakers["speaker-01"].label == "Jo Park"
    assert [cue.speaker for cue in renamed.cues] == [cue.speaker for cue in transcript.cues]
    assert {entry.label for entry in summarise(renamed).speakers} == {"Therapist", "Jo Park"}
    assert transcript.speakers["speaker-00"].label == "SPEAKER_00"  # the original is untouched


def test_declining_the_offer_is_remembered_too(tmp_path):
    transcript = load_transcript(DATA / "diarised.srt")
    store = open_store(tmp_path / "r.sqlite")
    try:
        save_renames(store, {})
        assert not should_offer(transcript, store)
        assert store.get_state(RENAMES_KEY) is None
    finally:
        store.close()


def test_no_offer_without_diarised_labels(tmp_path):
    store = open_store(tmp_path / "r.sqlite")
    try:
        assert not should_offer(load_transcript(DATA / "session.srt"), store)
    finally:
        store.close()


def test_a_rename_for_another_transcript_or_a_damaged_one_is_ignored(tmp_path):
    transcript = load_transcript(DATA / "diarised.srt")
    store = open_store(tmp_path / "r.sqlite")
    try:
        store.set_state(RENAMES_KEY, '{"speaker-00": {"from": "SPEAKER_07", "label": "X"}}')
        assert apply_renames(transcript, load_renames(store)) is transcript
        store.set_state(RENAMES_KEY, "{not json")
        assert load_renames(store) == {}
    finally:
        store.close()


def test_typed_names_are_cleaned_and_empty_answers_skip(tmp_path):
    speaker = load_transcript(DATA / "diarised.srt").speakers["speaker-01"]

    assert rename_from_answer(speaker, "  ") is None
    rename = rename_from_answer(speaker, "Jo\x1b]0;x\x07 Park\u202e")
    assert (rename.label, rename.role) == ("Jo Park", None)
    assert rename_from_answer(speaker, "PT").role == "patient"
