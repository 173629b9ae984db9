import os
from pathlib import Path

import pytest

from review_tui.model import ReviewTuiError
from review_tui.session import find_media, find_transcript, load_session, resolve_paths
from tests.media_factory import make_audio


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


def test_a_fifo_is_refused_at_once_never_read(tmp_path):
    """Reading a FIFO blocks until someone writes to it: the session must refuse it first."""
    fifo = tmp_path / "session.srt"
    os.mkfifo(fifo)
    with pytest.raises(ReviewTuiError, match=r"session\.srt: is a named pipe \(FIFO\), not a file"):
        resolve_paths(fifo)
    media = tmp_path / "talk.wav"
    media.write_bytes(b"")
    with pytest.raises(ReviewTuiError, match=r"session\.srt: is a named pipe \(FIFO\), not a transcript file"):
        resolve_paths(media, fifo)


def test_a_symlink_loop_is_named_as_such(tmp_path):
    loop = tmp_path / "session.mp4"
    loop.symlink_to(loop)
    with pytest.raises(ReviewTuiError, match="symbolic link loop") as error:
        resolve_paths(loop)
    assert "no such file" not in str(error.value)
    dangling = tmp_path / "gone.srt"
    dangling.symlink_to(tmp_path / "deleted.srt")
    with pytest.raises(ReviewTuiError, match=r"no such file \(a symbolic link to nothing\)"):
        resolve_paths(dangling)


def _srt_ending_at(path: Path, last_start_s: int) -> Path:
    hours, rest = divmod(last_start_s, 3600)
    minutes, seconds = divmod(rest, 60)
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nTh: Hello.\n\n"
        f"2\n{hours:02d}:{minutes:02d}:{seconds:02d},000 --> {hours:02d}:{minutes:02d}:{seconds + 1:02d},000\nPt: Goodbye.\n",
        encoding="utf-8",
    )
    return path


def test_a_transcript_an_hour_longer_than_its_recording_is_warned_about(tmp_path):
    media = make_audio(tmp_path / "talk.m4a", seconds=3)
    _srt_ending_at(tmp_path / "talk.srt", 3600 + 2)
    warnings = [str(problem) for problem in load_session(media).warnings]
    assert any("talk.srt: runs to 1:00:03 but the recording ends at 00:03" in warning for warning in warnings), warnings


def test_a_closing_caption_just_past_the_end_is_not_warned_about(tmp_path):
    media = make_audio(tmp_path / "talk.m4a", seconds=3)
    _srt_ending_at(tmp_path / "talk.srt", 5)
    assert not [problem for problem in load_session(media).warnings if "runs to" in problem.message]
