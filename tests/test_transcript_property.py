"""Arbitrary bytes into every transcript reader: only TranscriptError may come out, and what
is read keeps the invariants the panes and statistics rely on."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review_tui.model import TranscriptError
from review_tui.text import has_controls
from review_tui.transcript import load_transcript
from review_tui.transcript.detect import choose_format, looks_like_transcript
from review_tui.transcript.plain import LAYOUT_NAMES, detect_layout, read_plain
from review_tui.transcript.readers import read_srt, read_vtt

# Pieces of every format, so random files get far into the readers instead of being
# refused at once as "not a transcript".
FRAGMENTS = [
    "WEBVTT\n", "\n", "\n\n", "1\n", "-->", " --> ", "->", "00:00:01,000", "00:00:02.500",
    "00.00.003", "-00:00:04,567", "1:02", "[00:01:02] ", "Speaker 1 (00:01:02): ", "Dr. Amy Chen  1:02\n",
    "Th: ", "SPEAKER_00: ", "<v Ann>", "</v>", "<b>", "&amp;", "&#237;", "\x1b]0;t\x07", "\x1b[2J",
    "\x9b", "\u202e", "NOTE x\n", "text", "ó", "\r\n", "\ufeff",
]
TIMES = ["00:00:01,000", "00:00:02.500", "00.00.003", "-00:00:04,567", "01:02:03,4", "00:0x:03,000",
         "99:99:99,999", "", "1:02", "00:00:00,000"]
pieces = st.sampled_from(FRAGMENTS) | st.text(max_size=8)
timing_lines = st.builds(
    "{} {} {}".format, st.sampled_from(TIMES), st.sampled_from(["-->", "->", "=>", "- >"]),
    st.sampled_from(TIMES),
)
blocks = st.builds(
    "{}\n{}\n{}\n".format,
    st.sampled_from(["1", "2", "-->", "", "x"]),
    timing_lines,
    st.lists(pieces, max_size=6).map("".join),
)
plain_turns = st.builds(
    "{}{}\n".format,
    st.sampled_from(["[00:01:02] ", "Speaker 1 (00:01:02): ", "Dr. Amy Chen  1:02\n", "[0:05] Ann: ", ""]),
    st.lists(pieces, max_size=4).map("".join),
)
texts = st.builds(
    "{}{}".format,
    st.sampled_from(["", "WEBVTT\n\n", "\ufeff"]),
    st.lists(blocks | plain_turns | pieces, max_size=20).map("\n".join),
)
SUFFIXES = [".srt", ".vtt", ".webvtt", ".txt", ".bin"]


def check(transcript) -> None:
    starts = [(cue.start_ms, cue.end_ms) for cue in transcript.cues]
    assert starts == sorted(starts)
    assert [cue.index for cue in transcript.cues] == list(range(len(transcript.cues)))
    for cue in transcript.cues:
        assert 0 <= cue.start_ms <= cue.end_ms
        assert not has_controls(cue.text)
        assert cue.speaker is None or cue.speaker in transcript.speakers
    for speaker in transcript.speakers.values():
        assert not has_controls(speaker.label) and "\n" not in speaker.label
    assert all(value >= 0 for value in transcript.talk_time_ms().values())


def load(tmp_path: Path, data: bytes, suffix: str, media_end_ms: int | None):
    path = tmp_path / f"sample{suffix}"
    path.write_bytes(data)
    try:
        return load_transcript(path, media_end_ms=media_end_ms)
    except TranscriptError as error:
        assert "\n" not in str(error)
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(tmp_path, data, suffix):
    transcript = load(tmp_path, data, suffix, None)
    if transcript is not None:
        check(transcript)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=texts,
    suffix=st.sampled_from(SUFFIXES),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
    media_end_ms=st.none() | st.integers(0, 10_000_000),
)
def test_random_transcript_like_text(tmp_path, text, suffix, encoding, media_end_ms):
    data = text.encode(encoding, errors="replace")
    transcript = load(tmp_path, data, suffix, media_end_ms)
    if transcript is not None:
        check(transcript)


@settings(max_examples=200, deadline=None)
@given(text=texts, layout=st.sampled_from(LAYOUT_NAMES))
def test_each_reader_and_the_detector_on_any_text(text, layout):
    # Each reader on any text, whatever the detector would say of it.
    result = read_plain(text, "sample.txt", layout)
    assert all(start_ms >= 0 for start_ms in result.cues.starts)
    for reader in (read_srt, read_vtt):
        reading = reader(text, "sample")
        assert all(start_ms >= 0 for start_ms in reading.cues.starts)
        assert all(end_ms >= 0 for end_ms in reading.cues.ends)
        assert all(problem.line is None or problem.line >= 1 for problem in reading.problems)
    assert detect_layout(text) in (None, *LAYOUT_NAMES)
    assert isinstance(looks_like_transcript(text), bool)
    fmt, found_layout, _ = choose_format(text, Path("sample.bin"))
    assert fmt in (None, "srt", "vtt", "text")
    assert (fmt == "text") == (found_layout is not None)
