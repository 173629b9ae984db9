"""Plain-text transcripts in the three service layouts, told apart by their content."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_tui.model import TranscriptError
from review_tui.transcript import load_transcript
from review_tui.transcript.plain import detect_layout

DATA = Path(__file__).parent / "data" / "transcripts"


@pytest.mark.parametrize(
    ("name", "layout"),
    [("inline_layout.txt", "inline"), ("header_layout.txt", "header"), ("bracket_layout.txt", "bracket")],
)
def test_each_layout_is_detected_by_content(name, layout):
    assert detect_layout((DATA / name).read_text("utf-8")) == layout


def test_inline_layout_turns_end_where_the_next_begins_and_at_the_media_end():
    transcript = load_transcript(DATA / "inline_layout.txt", media_end_ms=20_000)

    assert transcript.format == "text"
    assert [(c.start_ms, c.end_ms, c.speaker, c.text) for c in transcript.cues] == [
        (1000, 4000, "speaker-1", "Good to see you. How have things been?"),
        (4000, 9000, "speaker-2", "Up and down.\nMostly down, if I am honest."),
        (9000, 12000, "speaker-1", "Mostly down."),
        (12000, 20000, "speaker-2", "Yes."),
    ]
    assert [str(p) for p in transcript.warnings] == [
        "inline_layout.txt:1: text before the first turn is ignored: 'Session 12 - transcript'"
    ]


def test_header_layout_keeps_the_names_as_written():
    transcript = load_transcript(DATA / "header_layout.txt", media_end_ms=15_000)

    assert [(c.start_ms, c.end_ms, c.speaker, c.line) for c in transcript.cues] == [
        (1000, 5000, "therapist", 1),
        (5000, 11000, "jo-park", 4),
        (11000, 15000, "therapist", 8),
    ]
    assert transcript.speakers["therapist"].label == "Dr. Amy Chen"
    assert transcript.cues[1].text == "With last week, I think.\nThe argument."
    assert transcript.warnings == []


def test_bracket_layout_reads_roles_and_references():
    transcript = load_transcript(DATA / "bracket_layout.txt", media_end_ms=14_000)

    assert [c.speaker for c in transcript.cues] == ["therapist", "patient"] * 2
    assert transcript.cues[-1].text == "The usual & worse."
    assert transcript.cues[-1].end_ms == 14_000
    assert transcript.talk_time_ms() == {"therapist": 3000 + 3000, "patient": 4000 + 3000}


def test_last_turn_without_a_recording_is_estimated_and_said_so():
    transcript = load_transcript(DATA / "bracket_layout.txt")

    last = transcript.cues[-1]
    assert last.end_ms > last.start_ms
    assert any("the last cue ends" in p.message and p.line == 4 for p in transcript.warnings)


def test_turns_out_of_order_are_sorted_with_a_warning(tmp_path):
    path = tmp_path / "out_of_order.txt"
    path.write_text("[00:00:05] Ann: second\n[00:00:01] Bob: first\n[00:00:09] Ann: third\n", "utf-8")

    transcript = load_transcript(path, media_end_ms=12_000)

    assert [c.text for c in transcript.cues] == ["first", "second", "third"]
    assert any("sorted by time" in p.message for p in transcript.warnings)


def test_prose_with_a_time_is_not_a_transcript(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Supervision notes\nWe meet again at 10:30\nBring the consent form.\n", "utf-8")

    with pytest.raises(TranscriptError, match="not a transcript"):
        load_transcript(path)
