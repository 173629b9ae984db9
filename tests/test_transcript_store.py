"""The column stores a long transcript is held in: RawCues (the cues as scanned: arrays and
spans of the file's own text), TextColumn (every cue's text in one string) and CueList (the
loaded cues, a Cue made on demand). Each must give back exactly what a list would."""

from __future__ import annotations

import random
from array import array

import pytest

from review_tui.model import Cue, Transcript
from review_tui.transcript import load_transcript
from review_tui.transcript.cuelist import CueList
from review_tui.transcript.cuestore import NO_LINE, RawCues
from review_tui.transcript.scan import scan_cues
from review_tui.transcript.textcolumn import _CHUNK, TextColumn, TextColumnBuilder

# --- RawCues: a cue's text is a span of the file while its lines are adjacent -----------


def scanned_texts(text: str, fmt: str = "srt") -> tuple[RawCues, list[str]]:
    cues = scan_cues(text, "sample", fmt).cues
    return cues, [cues.raw_text(position) for position in range(len(cues))]


def test_adjacent_lines_are_one_span_of_the_file():
    text = "1\n00:00:01,000 --> 00:00:02,000\nTh: first line\nsecond <i>line</i>\n\n2\n00:00:03,000 --> 00:00:04,000\nPt: one\n"

    cues, texts = scanned_texts(text)

    assert texts == ["Th: first line\nsecond <i>line</i>", "Pt: one"]
    assert cues.written == {}  # nothing copied: both are slices of the file's text
    assert text[cues.text_from[0] : cues.text_to[0]] == texts[0]
    assert list(cues.starts) == [1000, 3000] and list(cues.ends) == [2000, 4000]
    assert [cues.line(0), cues.line(1)] == [1, 6]
    assert [cues.timing_line(0), cues.timing_line(1)] == [2, 7]


def test_trailing_spaces_and_a_blank_line_inside_a_cue_are_written_out_exactly():
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nspaces after   \nnext line\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nbefore the gap\n\nafter the gap\t\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nlast  \n"
    )

    cues, texts = scanned_texts(text)

    # Each line as written, trailing whitespace gone, the blank line not kept.
    assert texts == ["spaces after\nnext line", "before the gap\nafter the gap", "last"]
    assert set(cues.written) == {0, 1}  # the last is one line: still a span, stripped
    assert text[cues.text_from[2] : cues.text_to[2]] == "last"


def test_a_note_between_cues_is_not_part_of_the_cue_text_kept_after_it():
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n\nNOTE a comment\nspanning two lines\n\n"
        "stray words\n"
    )

    cues, texts = scanned_texts(text, "vtt")

    assert texts == ["hello\nstray words"]


def test_cues_added_by_hand_keep_missing_lines_and_hints():
    cues = RawCues("some text")
    first = cues.add(None, None, 5, 6)
    second = cues.add(3, 3, 7, 9, hint="Speaker 1", end_unknown=True)
    cues.set_text(first, "from a library")

    assert (cues.line(first), cues.timing_line(first)) == (None, None)
    assert cues.lines[first] == NO_LINE
    assert (cues.hint(first), cues.hint(second)) == (None, "Speaker 1")
    assert cues.raw_text(first) == "from a library" and cues.raw_text(second) == ""
    assert not cues.has_text(second) and cues.end_unknown[second]
    assert len(cues) == 2


# --- TextColumn ---------------------------------------------------------------------------


def test_text_column_indexes_slices_and_iterates_like_a_list():
    texts = ["first", "", "two\nlines", "ß and <b>markup</b>", "last"]
    column = TextColumn.of(texts)

    assert len(column) == len(texts)
    assert list(column) == texts
    assert [column[index] for index in range(-len(texts), len(texts))] == texts + texts
    assert column[1:4] == texts[1:4] and column[::-2] == texts[::-2]
    assert column.pick([4, 0, 2, 2]) == [texts[4], texts[0], texts[2], texts[2]]
    assert column.joined == "first\x00\x00two\nlines\x00ß and <b>markup</b>\x00last\x00"
    with pytest.raises(IndexError):
        column[len(texts)]
    with pytest.raises(IndexError):
        column[-len(texts) - 1]


def test_builder_over_several_chunks_with_replacements_keeps_every_text():
    rng = random.Random(3)
    count = _CHUNK * 2 + 17
    texts = [f"cue {n}" + " word" * rng.randint(0, 5) for n in range(count)]
    builder = TextColumnBuilder()
    for text in texts:
        builder.append(text)
    for index in (0, _CHUNK - 1, _CHUNK, count - 1, 700):
        texts[index] = f"Anna: replaced {index} with a longer text than before"
        builder.replace(index, texts[index])

    column = builder.finish()

    assert len(column) == count and list(column) == texts
    assert column[_CHUNK] == texts[_CHUNK] and column[-1] == texts[-1]


def test_builder_refuses_a_text_holding_the_separator():
    builder = TextColumnBuilder()
    builder.append("fine")
    with pytest.raises(ValueError, match="separator"):
        builder.replace(0, "not\x00fine")
    builder.append("bad\x00text")
    with pytest.raises(ValueError, match="separator"):
        builder.finish()
    with pytest.raises(IndexError):
        TextColumnBuilder().replace(0, "nothing there")


# --- CueList ------------------------------------------------------------------------------


def columns_of(cues: list[Cue]) -> CueList:
    return CueList(
        array("q", [cue.start_ms for cue in cues]),
        array("q", [cue.end_ms for cue in cues]),
        TextColumn.of([cue.text for cue in cues]),
        [cue.speaker for cue in cues],
        array("q", [NO_LINE if cue.line is None else cue.line for cue in cues]),
        frozenset(cue.index for cue in cues if not cue.timed),
    )


def sample_cues(count: int) -> list[Cue]:
    """Cues in time order (by start, then end) as CueList holds them: some starting together,
    some overlapping, some untimed, some without a line."""
    rng = random.Random(11)
    spans, at = [], 0
    for number in range(count):
        at += rng.choice([0, 100, 900])
        timed = number % 37 != 5  # an untimed cue has no duration
        spans.append((at, at + rng.randint(0, 1500) if timed else at, timed))
    spans.sort()
    cues = []
    for index, (start, end, timed) in enumerate(spans):
        line = None if index % 50 == 3 else 4 * index + 1
        speaker = rng.choice(["therapist", "patient", None])
        cues.append(Cue(index, start, end, f"words {index}", speaker, line, timed))
    return cues


def test_cue_list_indexes_slices_and_picks_the_cues_it_was_given():
    cues = sample_cues(300)
    stored = columns_of(cues)

    assert len(stored) == 300 and stored == cues and list(stored) == cues
    assert stored[0] == cues[0] and stored[-1] == cues[-1]
    assert [cue.timed for cue in stored] == [cue.timed for cue in cues] and not all(cue.timed for cue in stored)
    assert stored[3].line is None and stored[4].line == 17
    assert stored[10:20] == cues[10:20] and stored[::-50] == cues[::-50]
    assert stored.pick([299, 0, 150]) == [cues[299], cues[0], cues[150]]
    assert stored.max_end_ms == max(cue.end_ms for cue in cues)
    with pytest.raises(IndexError):
        stored[300]
    with pytest.raises(ValueError, match="differ in length"):
        CueList([1, 2], [3], ["a", "b"], [None, None], [1, 2])


def test_lists_given_as_lists_are_stored_alike():
    stored = CueList([1000, 2000], [1500, 2600], ["one", "two"], ["patient", None], [3, None])

    assert stored == [Cue(0, 1000, 1500, "one", "patient", 3), Cue(1, 2000, 2600, "two", None, None)]


def test_time_lookups_on_columns_agree_with_a_plain_list():
    cues = sample_cues(400)
    by_columns = Transcript(None, "srt", "utf-8", columns_of(cues))
    by_list = Transcript(None, "srt", "utf-8", list(cues))
    last_end = max(cue.end_ms for cue in cues)

    for ms in range(-10, last_end + 500, 37):
        assert by_columns.index_at(ms) == by_list.index_at(ms)
        assert by_columns.cue_at(ms) == by_list.cue_at(ms)
    for start in range(0, last_end, 997):
        assert by_columns.cues_between(start, start + 2500) == by_list.cues_between(start, start + 2500)
    assert by_columns.span_ms == by_list.span_ms
    assert by_columns.talk_time_ms() == by_list.talk_time_ms()


def test_search_over_the_joined_texts_finds_what_a_list_does(tmp_path):
    lines = ["Th: Hello there.", "Pt: <i>hello</i> again", "Th: Straße und Strasse", "Pt: the last hello"]
    blocks = [
        f"{n + 1}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{line}\n" for n, line in enumerate(lines)
    ]
    path = tmp_path / "session.srt"
    path.write_text("\n".join(blocks), encoding="utf-8")
    loaded = load_transcript(path)
    as_list = Transcript(None, "srt", "utf-8", list(loaded.cues))

    assert isinstance(loaded.cues, CueList)
    for query in ("hello", "strasse", "last hello", "hello there", "again", "the", "nowhere"):
        assert loaded.search(query) == as_list.search(query), query
    assert [cue.index for cue in loaded.search("hello")] == [0, 1, 3]
    assert [cue.index for cue in loaded.search("strasse")] == [2]  # ß folds to ss, both found once


# --- a library's reading, checked against the columns ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "one line, no break",
        "1\r\n00:00:01,000 --> 00:00:02,000\r\nHi\r\n\r\n",
        "a\rb\nc\r\n\nd\x0be\x0cf\x1cg\x1dh\x1ei\x85j\u2028k\u2029l",
        "\n\n\nends with text",
    ],
)
def test_pysrt_is_fed_the_lines_splitlines_would_give(text):
    from review_tui.transcript.readers import _lines_with_breaks

    assert list(_lines_with_breaks(text)) == text.splitlines(keepends=True)


def repeated_cues_srt(in_order: bool) -> str:
    """Five cues, two of them the same words at the same time, one numbered out of sequence
    (so pysrt is asked too); with ``in_order`` False the fourth starts before the third."""
    times = ["00:00:01,000 --> 00:00:02,000"] * 2 + ["00:00:03,000 --> 00:00:04,000"]
    times.append("00:00:05,000 --> 00:00:06,000" if in_order else "00:00:02,500 --> 00:00:02,900")
    times.append("00:00:07,000 --> 00:00:08,000")
    texts = ["Th: Say it again.", "Th: Say it again.", "Pt: Again?", "Th: Yes.", "Pt: Fine."]
    numbers = [1, 2, 3, 9, 5]
    return "\n".join(f"{n}\n{t}\n{x}\n" for n, t, x in zip(numbers, times, texts, strict=True))


@pytest.mark.parametrize("in_order", [True, False])
def test_each_scanned_cue_is_matched_once_by_the_library_reading(tmp_path, in_order):
    path = tmp_path / "session.srt"
    path.write_text(repeated_cues_srt(in_order), encoding="utf-8")

    transcript = load_transcript(path)

    assert [cue.text for cue in transcript.cues].count("Say it again.") == 2
    assert len(transcript.cues) == 5
    messages = [problem.message for problem in transcript.warnings]
    assert "cue number 9 out of sequence (previous was 3)" in messages
    assert not any("misread or skipped" in message or "only pysrt" in message for message in messages)
