"""The review's rules without a UI: plain tags, a plain transcript, the default codebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_tui.analysis.suggestions import Suggestion
from review_tui.codebook import load_codebook
from review_tui.model import Cue, Episode, Tag, Transcript
from review_tui.review import rules
from review_tui.review.state import ReviewState, TagFilter, TagsView

CRITICISES = "confrontation.criticises_therapist"
OWN_PART = "repair.acknowledges_own_part"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


def tag(tag_id: int, start: int, code: str = CRITICISES, end: int | None = None, author: int = 1) -> Tag:
    return Tag(tag_id, start, end, code, None, "", author, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")


def transcript() -> Transcript:
    # Lines at 0-1 s, 2-3 s, 5-6 s: gaps at 1-2 s and 3-5 s.
    cues = [Cue(0, 0, 1000, "one"), Cue(1, 2000, 3000, "two"), Cue(2, 5000, 6000, "three")]
    return Transcript(Path("t.srt"), "srt", "utf-8", cues)


def suggestion(start: int, end: int, code: str = CRITICISES) -> Suggestion:
    return Suggestion(start, end, "criticism", code, "said so", (0,), 0.9)


def test_selected_lines_win_over_marks_and_an_in_mark_runs_to_the_key():
    state = ReviewState(mark_in=4000)
    assert rules.tag_range(state, transcript(), None, 2500) == (2500, 4000)
    state.line_selection = (0, 1)
    assert rules.tag_range(state, transcript(), None, 9000) == (0, 3000)
    state.clear_marks()
    assert rules.tag_range(state, transcript(), None, 9000) == (9000, None)


def test_a_range_group_covers_the_spoken_line(codebook):
    phase = next(group for group in codebook.groups if group.ranges)
    assert rules.tag_range(ReviewState(), transcript(), phase, 2500) == (2000, 3000)


def test_next_and_previous_tag_wrap_and_visit_two_tags_at_one_moment():
    tags = [tag(1, 1000), tag(2, 1000), tag(3, 4000)]
    assert rules.step_tag(tags, 0, None, +1).id == 1
    assert rules.step_tag(tags, 1000, tags[0], +1).id == 2
    assert rules.step_tag(tags, 1000, tags[1], +1).id == 3
    assert rules.step_tag(tags, 4000, tags[2], +1).id == 1  # wraps
    assert rules.step_tag(tags, 0, None, -1).id == 3  # wraps backwards
    assert rules.step_tag([], 0, None, +1) is None


def test_shown_tags_honour_blind_coding_then_the_filter(codebook):
    tags = (tag(1, 0, CRITICISES, author=1), tag(2, 10, OWN_PART, author=1), tag(3, 20, CRITICISES, author=2))
    view = TagsView(tags=tags)
    assert [t.id for t in rules.shown_tags(view, codebook)] == [1, 2, 3]
    assert [t.id for t in rules.shown_tags(TagsView(tags=tags, blind_id=2), codebook)] == [3]
    group = TagsView(tags=tags, tag_filter=TagFilter(group="repair"))
    assert [t.id for t in rules.shown_tags(group, codebook)] == [2]


def test_marks_put_a_point_in_a_pause_on_the_line_before(codebook):
    marks = rules.transcript_marks([tag(1, 1500), tag(2, 2500, OWN_PART, end=5500)], transcript(), codebook)
    assert marks == {0: ("confrontation",), 1: ("repair",), 2: ("repair",)}
    assert rules.transcript_marks([tag(1, 0)], None, codebook) == {}


def test_open_suggestions_leave_out_dismissed_and_tagged_ones():
    first, second, third = suggestion(0, 1000), suggestion(2000, 3000), suggestion(5000, 6000)
    tags = [tag(1, 2000, end=3000)]
    assert rules.open_suggestions([first, second, third], tags, {(5000, 6000, CRITICISES)}) == [first]
    assert rules.pending_suggestions([first, second, third], tags) == [first, third]
    assert rules.open_suggestions(None, tags, set()) == []


def test_an_overlapping_tag_of_the_same_code_is_found():
    tags = [tag(1, 2000, end=3000), tag(2, 2500, OWN_PART)]
    assert [t.id for t in rules.same_code_overlapping(tags, CRITICISES, 2900, 4000)] == [1]
    assert rules.same_code_overlapping(tags, CRITICISES, 3100, 4000) == []


def test_the_rupture_in_question_is_the_latest_before_the_repair(codebook):
    rupture, repair = tag(1, 1000), tag(2, 5000, OWN_PART)
    assert rules.rupture_in_question([rupture, repair], repair, 9000, codebook) is rupture
    assert rules.rupture_in_question([rupture, repair], rupture, 0, codebook) is rupture
    assert rules.rupture_in_question([rupture, repair], None, 500, codebook) is None


def test_episode_summary_counts_and_times_in_the_reports_words(codebook):
    episode = Episode(tag(1, 0), responses=(), repairs=(tag(2, 245_000, OWN_PART),))
    summary = rules.episode_summary(episode, codebook, stars=lambda rating: "*" * rating)
    assert summary.startswith("0 responses, 1 repair · rupture → first repair 4 min 05 s")
    assert rules.episode_summary(Episode(tag(1, 0)), codebook, str) == "0 responses, 0 repairs · unrepaired"


def test_a_moment_quotes_the_spoken_line_or_the_one_before_the_pause():
    lines = transcript()
    assert rules.quoted_line(lines, 2500) == (lines.cues[1], "spoken")
    assert rules.quoted_line(lines, 4000) == (lines.cues[1], "before")
    assert rules.quoted_line(lines, 9000) is None  # after the last line: nothing to quote
    assert rules.quoted_line(None, 0) is None


def test_search_takes_whole_words_unless_asked_for_inside_words():
    lines = Transcript(Path("t.srt"), "srt", "utf-8", [Cue(0, 0, 1, "And this voice"), Cue(1, 2, 3, "his\nvoice shook")])
    assert rules.search_hits(lines, "his voice") == [1]
    assert rules.search_hits(lines, "his voice", whole_words=False) == [0, 1]
    assert rules.match_spans("And this voice", "HIS VOICE", whole_words=False) == [(5, 14)]
    assert rules.match_spans("And this voice", "his voice") == []
