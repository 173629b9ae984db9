"""Finding cues by time in a long transcript, search, and the summary for `review-tui info`."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from review_tui.model import format_ms
from review_tui.transcript import cues_by_speaker, load_transcript, search_cues, summarise

DATA = Path(__file__).parent / "data" / "transcripts"
CUE_COUNT = 2000


def srt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


@pytest.fixture(scope="module")
def long_session(tmp_path_factory):
    """2000 cues with varied lengths and gaps (some cues touching), about an hour long."""
    rng = random.Random(7)
    spans, blocks, at = [], [], 0
    for number in range(1, CUE_COUNT + 1):
        start = at + rng.choice([0, 0, 150, 400, 1200])
        end = start + rng.randint(300, 2500)
        speaker = "Th" if number % 2 else "Pt"
        blocks.append(
            f"{number}\n{srt_time(start)} --> {srt_time(end)}\n{speaker}: line {number}\n"
        )
        spans.append((start, end))
        at = end
    path = tmp_path_factory.mktemp("long") / "long.srt"
    path.write_text("\n".join(blocks), encoding="utf-8")
    return load_transcript(path), spans


def expected_cue(spans, ms):
    found = [n for n, (start, end) in enumerate(spans) if start <= ms < end]
    return found[0] if found else None


def test_long_transcript_loads_cleanly(long_session):
    transcript, spans = long_session

    assert len(transcript.cues) == CUE_COUNT
    assert transcript.warnings == []
    assert [(cue.start_ms, cue.end_ms) for cue in transcript.cues] == spans


def test_cue_at_boundaries_and_gaps(long_session):
    transcript, spans = long_session
    probes = {-1, 0, spans[-1][1], spans[-1][1] + 10_000}
    for start, end in spans[::7]:
        probes.update({start - 1, start, start + 1, end - 1, end, end + 1})

    for ms in sorted(probes):
        cue = transcript.cue_at(ms)
        expected = expected_cue(spans, ms)
        assert (cue.index if cue else None) == expected, f"at {format_ms(ms)}"


def test_cues_between_a_range(long_session):
    transcript, spans = long_session
    start_ms, end_ms = spans[500][0] - 1, spans[510][1] + 1

    found = transcript.cues_between(start_ms, end_ms)

    assert [cue.index for cue in found] == [
        n for n, (s, e) in enumerate(spans) if s < end_ms and e > start_ms
    ]


def test_search_is_case_insensitive():
    transcript = load_transcript(DATA / "teams.vtt")

    assert [cue.index for cue in transcript.search("FORMULAIC")] == [3]
    assert [cue.index for cue in search_cues(transcript, "what")] == [4]


def test_search_matches_speaker_labels_and_filters_by_speaker():
    transcript = load_transcript(DATA / "zoom.vtt")

    assert [cue.index for cue in search_cues(transcript, "RIVERA")] == [0, 2, 5]
    assert [cue.index for cue in search_cues(transcript, "important", "alex-kim")] == [3]
    assert [cue.index for cue in search_cues(transcript, "", "sam-lee")] == [4]
    assert search_cues(transcript, "  ") == []
    assert [cue.index for cue in cues_by_speaker(transcript, "therapist")] == [0, 2, 5]


def test_summary_of_speakers_and_talk_time(long_session):
    transcript, spans = long_session

    summary = summarise(transcript)

    assert summary.cue_count == CUE_COUNT
    assert summary.span_ms == (spans[0][0], spans[-1][1])
    assert summary.warning_count == 0
    by_id = {talk.id: talk for talk in summary.speakers}
    assert set(by_id) == {"therapist", "patient"}
    assert by_id["therapist"].talk_ms == sum(end - start for start, end in spans[0::2])
    assert by_id["patient"].cue_count == CUE_COUNT // 2
    assert sum(talk.share for talk in summary.speakers) == pytest.approx(1.0)
    assert summary.speakers[0].talk_ms >= summary.speakers[1].talk_ms


def test_summary_counts_cues_without_a_speaker(tmp_path):
    path = tmp_path / "mixed.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nTh: Go on.\n\n2\n00:00:05,000 --> 00:00:06,000\nmm\n\n"
        "3\n00:00:01,000 --> 00:00:02,000\nPt: Late cue\n",
        encoding="utf-8",
    )

    summary = summarise(load_transcript(path))

    assert [(talk.id, talk.label, talk.talk_ms) for talk in summary.speakers] == [
        ("therapist", "Therapist", 3000),
        ("patient", "Patient", 1000),
        (None, "(no speaker)", 1000),
    ]
    assert summary.speakers[0].share == pytest.approx(0.6)
    assert summary.warning_count == 2  # out of order, and overlapping the therapist's cue
