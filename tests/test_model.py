from fractions import Fraction
from pathlib import Path

import pytest

from review_tui.model import Cue, Transcript, VideoStream, format_ms, parse_time


def transcript_of(*spans: tuple[int, int]) -> Transcript:
    cues = [Cue(index=i, start_ms=s, end_ms=e, text=f"cue {i}") for i, (s, e) in enumerate(spans)]
    return Transcript(source=Path("t.srt"), format="srt", encoding="utf-8", cues=cues)


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("12:34", 754_000),
        ("1:02:03.5", 3_723_500),
        ("90s", 90_000),
        ("1m30", 90_000),
        ("2m", 120_000),
        ("75", 75_000),
        ("0:00:01,250", 1_250),
    ],
)
def test_parse_time_accepts_the_forms_users_type(text, ms):
    assert parse_time(text) == ms


@pytest.mark.parametrize("text", ["", "abc", "1:2:3:4", "-5", "12:xx"])
def test_parse_time_rejects_garbage_with_a_readable_message(text):
    with pytest.raises(ValueError, match="time"):
        parse_time(text)


def test_format_ms_shows_hours_only_when_needed():
    assert format_ms(754_321) == "12:34.321"
    assert format_ms(3_723_500, millis=False) == "1:02:03"
    assert format_ms(0) == "00:00.000"


def test_cue_at_uses_half_open_intervals_and_sees_gaps():
    transcript = transcript_of((1000, 2000), (2000, 3000), (5000, 6000))
    assert transcript.cue_at(999) is None
    assert transcript.cue_at(1000).index == 0
    assert transcript.cue_at(1999).index == 0
    assert transcript.cue_at(2000).index == 1
    assert transcript.cue_at(4000) is None  # a gap
    assert transcript.index_at(4000) == 1  # ...but the last line said is still cue 1
    assert transcript.cue_at(6000) is None


def test_cues_between_returns_overlapping_cues_in_order():
    transcript = transcript_of((0, 1000), (1000, 2000), (2000, 3000), (3000, 4000))
    assert [c.index for c in transcript.cues_between(1500, 3000)] == [1, 2]
    assert [c.index for c in transcript.cues_between(2500, 2500)] == [2]


def test_cues_between_finds_a_long_cue_that_began_long_before():
    # Cue 0 runs over everything after it: the search must not stop at the cues that ended.
    transcript = transcript_of((0, 60_000), (1000, 2000), (3000, 4000), (50_000, 51_000))
    assert [c.index for c in transcript.cues_between(45_000, 52_000)] == [0, 3]
    assert [c.index for c in transcript.cues_between(4000, 5000)] == [0]


def test_cues_between_agrees_with_checking_every_cue():
    import random

    chance = random.Random(8)
    spans = []
    for _ in range(300):
        start = chance.randrange(0, 100_000)
        spans.append((start, start + chance.choice([0, 500, 2000, 30_000])))
    transcript = transcript_of(*spans)
    for _ in range(300):
        start = chance.randrange(-1000, 101_000)
        end = start + chance.randrange(1, 20_000)
        expected = [c.index for c in transcript.cues if c.start_ms < end and c.end_ms > start]
        assert [c.index for c in transcript.cues_between(start, end)] == expected


def test_transcript_sorts_cues_given_out_of_order():
    transcript = transcript_of((5000, 6000), (0, 1000))
    assert [c.start_ms for c in transcript.cues] == [0, 5000]


def test_display_size_applies_sample_aspect_then_rotation():
    anamorphic = VideoStream("h264", 720, 576, 25.0, sample_aspect=Fraction(16, 15))
    assert anamorphic.display_size == (768, 576)
    phone = VideoStream("h264", 1920, 1080, 30.0, rotation=90)
    assert phone.display_size == (1080, 1920)
    assert phone.aspect == pytest.approx(0.5625)
