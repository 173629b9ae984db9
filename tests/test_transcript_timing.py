"""Checks across cues: order, overlaps and long silences, each naming both cues."""

from __future__ import annotations

from review_tui.transcript import LONG_GAP_MS, load_transcript


def load(tmp_path, *cues: tuple[str, str, str]):
    """An SRT from (start, end, text) triples, numbered in the order given."""
    blocks = [f"{n}\n{start} --> {end}\n{text}\n" for n, (start, end, text) in enumerate(cues, 1)]
    path = tmp_path / "session.srt"
    path.write_text("\n".join(blocks), encoding="utf-8")
    return load_transcript(path)


def messages(transcript) -> list[tuple[int | None, str]]:
    return [(problem.line, problem.message) for problem in transcript.warnings]


def test_out_of_order_cues_are_sorted_and_reported(tmp_path):
    transcript = load(
        tmp_path,
        ("00:00:05,000", "00:00:06,000", "Second"),
        ("00:00:01,000", "00:00:02,000", "First"),
        ("00:00:07,000", "00:00:08,000", "Third"),
    )

    assert [cue.text for cue in transcript.cues] == ["First", "Second", "Third"]
    assert [cue.index for cue in transcript.cues] == [0, 1, 2]
    assert [cue.line for cue in transcript.cues] == [5, 1, 9]
    assert messages(transcript) == [
        (5, "cue 2 (line 5) starts at 00:01.000, before cue 1 (line 1) (00:05.000); sorted by time")
    ]


def test_overlap_names_both_cues(tmp_path):
    transcript = load(
        tmp_path,
        ("00:00:01,000", "00:00:04,000", "Th: Long turn"),
        ("00:00:03,500", "00:00:05,000", "Pt: Interrupts"),
    )

    assert messages(transcript) == [(5, "cue 2 (line 5) overlaps cue 1 (line 1) by 00:00.500")]
    assert [cue.text for cue in transcript.cues] == ["Long turn", "Interrupts"]


def test_long_cue_overlaps_each_cue_inside_it(tmp_path):
    transcript = load(
        tmp_path,
        ("00:00:01,000", "00:00:10,000", "Long"),
        ("00:00:02,000", "00:00:03,000", "Inside one"),
        ("00:00:04,000", "00:00:05,000", "Inside two"),
    )

    assert [line for line, _ in messages(transcript)] == [5, 9]
    assert all("overlaps cue 1 (line 1)" in message for _, message in messages(transcript))


def test_touching_cues_do_not_overlap(tmp_path):
    transcript = load(
        tmp_path,
        ("00:00:01,000", "00:00:02,000", "One"),
        ("00:00:02,000", "00:00:03,000", "Two"),
    )

    assert transcript.warnings == []


def test_silence_longer_than_the_limit_is_noted(tmp_path):
    assert LONG_GAP_MS == 30_000
    transcript = load(
        tmp_path,
        ("00:00:01,000", "00:00:02,000", "Before"),
        ("00:00:32,000", "00:00:33,000", "Exactly thirty seconds later"),
        ("00:01:03,001", "00:01:04,000", "Thirty seconds and a bit later"),
    )

    assert messages(transcript) == [
        (9, "00:30 without speech between cue 2 (line 5) and cue 3 (line 9)")
    ]
    assert len(transcript.cues) == 3
