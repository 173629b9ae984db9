from pathlib import Path

import pytest

from review_tui.model import ReviewTuiError
from review_tui.session import find_media, find_transcript, resolve_paths


def touch(path: Path) -> Path:
    path.write_bytes(b"x")
    return path


def test_recording_finds_its_srt_before_its_vtt(tmp_path):
    media = touch(tmp_path / "session.mp4")
    touch(tmp_path / "session.vtt")
    srt = touch(tmp_path / "session.srt")
    assert find_transcript(media) == srt


def test_recording_finds_a_language_tagged_transcript(tmp_path):
    media = touch(tmp_path / "session 1 [clinic].mp4")
    tagged = touch(tmp_path / "session 1 [clinic].en.srt")
    touch(tmp_path / "other.en.srt")
    assert find_transcript(media) == tagged


def test_transcript_finds_its_recording(tmp_path):
    media = touch(tmp_path / "session.m4a")
    assert find_media(touch(tmp_path / "session.en.vtt")) == media
    assert find_media(touch(tmp_path / "session.srt")) == media


def test_media_without_transcript_and_transcript_without_media_are_sessions(tmp_path):
    media = touch(tmp_path / "alone.mp4")
    assert resolve_paths(media) == (media, None)
    transcript = touch(tmp_path / "words.srt")
    assert resolve_paths(transcript) == (None, transcript)


def test_explicit_transcript_overrides_the_one_beside(tmp_path):
    media = touch(tmp_path / "session.mp4")
    touch(tmp_path / "session.srt")
    chosen = touch(tmp_path / "corrected.srt")
    assert resolve_paths(media, chosen) == (media, chosen)


def test_missing_paths_are_one_line_errors(tmp_path):
    with pytest.raises(ReviewTuiError, match="no such file"):
        resolve_paths(tmp_path / "nope.mp4")
    with pytest.raises(ReviewTuiError, match="is a folder"):
        resolve_paths(tmp_path)
    with pytest.raises(ReviewTuiError, match="no such transcript"):
        resolve_paths(touch(tmp_path / "a.mp4"), tmp_path / "missing.srt")
