"""The tagging stage's panes, TagList and Timeline, mounted in a small host app on real data:
the default codebook, the demo's sample review imported into a review file in tmp_path, the
suggestions found in the demo's transcript. Keys and clicks go in through Pilot; the
messages that come out and the lines drawn are checked.

Update the snapshot after a deliberate change with:
pytest tests/tui/test_tagging_widgets.py --snapshot-update
"""

from __future__ import annotations

from dataclasses import replace

import time

import pytest

from review_tui.analysis.stats import group_of
from review_tui.analysis.suggestions import suggest_moments
from review_tui.model import format_ms
from review_tui.session import load_session
from review_tui.store import ReviewStore
from review_tui.transcript import load_transcript
from review_tui.tui import palette
from review_tui.review.state import TagFilter, TagsView
from review_tui.tui.widgets.tag_list import TagList
from review_tui.tui.widgets.timeline import Timeline
from tests.tui.tagging_hosts import (
    DEMO,
    Recorder,
    WidgetHost,
    first,
    lines,
    open_store,
    sample_review_file,
    sample_review_fixture,
)

DEMO_MS = 480_000  # the demo recording is eight minutes long


sample_store = sample_review_fixture("sample_store")  # one supervisor's sixteen tags


@pytest.fixture(scope="module")
def two_raters(tmp_path_factory, codebook):
    """The sample review plus a second, independent rater's tags."""
    store = sample_review_file(tmp_path_factory.mktemp("raters"), codebook)
    rater = store.reviewer("R. Chen", "rater")
    for start_ms, code_id in (
        (206_000, "confrontation.criticises_therapist"),
        (150_000, "withdrawal.minimal_response"),
        (300_000, "repair.clears_misunderstanding"),
    ):
        store.add_tag(start_ms=start_ms, end_ms=None, code_id=code_id, author=rater)
    yield store
    store.close()


@pytest.fixture(scope="module")
def demo_transcript():
    return load_transcript(DEMO / "formulaic.srt")


# --- TagList ------------------------------------------------------------------------------


def view_of(store: ReviewStore, **fields) -> TagsView:
    """The TagsView the app would hand over for ``store``."""
    return TagsView(tags=tuple(store.tags()), reviewers=tuple(store.reviewers()), **fields)


def show(tag_list: TagList, **changes) -> None:
    """As the app does when the filter or blind coding changes: a new view, not a call."""
    tag_list.tags_view = replace(tag_list.tags_view, **changes)


class FilterHost(WidgetHost):
    """Answers the list's FilterWanted the way the app does: with a view holding that filter."""

    def on_tag_list_filter_wanted(self, message: TagList.FilterWanted) -> None:
        show(self.widgets[0], tag_filter=message.tag_filter)


def tag_list_host(store: ReviewStore) -> tuple[WidgetHost, TagList]:
    tag_list = TagList(store.codebook)

    def setup() -> None:
        tag_list.tags_view = view_of(store)
        tag_list.focus()

    return FilterHost(tag_list, setup=setup), tag_list


async def test_tag_list_shows_every_tag_in_time_order_with_its_code(sample_store):
    host, tag_list = tag_list_host(sample_store)
    async with host.run_test(size=(120, 30)):
        tags = sample_store.tags()
        assert [tag.id for tag in tag_list.rows] == [tag.id for tag in tags]
        assert tag_list.border_title == f"Tags {len(tags)}"
        rupture = first(tags, "confrontation.")
        row = next(line for line in lines(tag_list) if palette.tag_span(rupture) in line)
        code = sample_store.codebook.code(rupture.code_id)
        assert code.label in row and f"c{code.digit}" in row
        assert palette.stars(rupture.rating) in row
        # One author: the author column gives its room to the note's first words.
        assert "Okafor" not in row and rupture.note.split()[0] in row


async def test_tag_list_names_authors_when_several_reviewers_tagged(two_raters):
    host, tag_list = tag_list_host(two_raters)
    async with host.run_test(size=(120, 30)):
        rows = lines(tag_list)
        assert any("Okafor" in row for row in rows) and any("Chen" in row for row in rows)


async def test_tag_list_enter_and_click_select_arrows_highlight(sample_store):
    host, tag_list = tag_list_host(sample_store)
    record = Recorder(TagList.TagSelected, TagList.TagHighlighted)
    async with host.run_test(size=(100, 30), message_hook=record) as pilot:
        tags = sample_store.tags()
        await pilot.press("down", "down")
        await pilot.pause()
        highlighted = [message.tag_id for message in record.of(TagList.TagHighlighted)]
        assert highlighted[-1] == tags[1].id and tag_list.highlighted_tag_id == tags[1].id
        await pilot.press("enter")
        await pilot.pause()
        assert [message.tag_id for message in record.of(TagList.TagSelected)] == [tags[1].id]
        await pilot.click(TagList, offset=(20, 1 + 4))  # +1: the border above the rows
        await pilot.pause()
        assert [message.tag_id for message in record.of(TagList.TagSelected)] == [tags[1].id, tags[4].id]


async def test_tag_list_filters_by_group_code_and_reviewer(two_raters):
    host, tag_list = tag_list_host(two_raters)
    async with host.run_test(size=(100, 30)):
        tags, codebook = two_raters.tags(), two_raters.codebook
        show(tag_list, tag_filter=TagFilter(group="repair"))
        assert tag_list.rows and {group_of(tag.code_id, codebook) for tag in tag_list.rows} == {"repair"}
        assert len(tag_list.rows) == sum(group_of(tag.code_id, codebook) == "repair" for tag in tags)
        assert "Repair strategy" in tag_list.border_subtitle
        show(tag_list, tag_filter=TagFilter(code="confrontation.criticises_therapist"))
        assert [tag.id for tag in tag_list.rows] == [t.id for t in tags if t.code_id == "confrontation.criticises_therapist"]
        assert len(tag_list.rows) == 2  # one by each reviewer
        chen = next(reviewer for reviewer in two_raters.reviewers() if reviewer.name == "R. Chen")
        show(tag_list, tag_filter=TagFilter(author_id=chen.id))
        assert [tag.id for tag in tag_list.rows] == [tag.id for tag in two_raters.tags(author_id=chen.id)]
        show(tag_list, tag_filter=TagFilter(group="feeling", author_id=chen.id))
        assert tag_list.rows == []
        assert any("No tags match" in line for line in lines(tag_list))
        show(tag_list, tag_filter=TagFilter())
        assert len(tag_list.rows) == len(tags)


async def test_tag_list_filter_keys_cycle_and_report(two_raters):
    host, tag_list = tag_list_host(two_raters)
    record = Recorder(TagList.FilterWanted)
    async with host.run_test(size=(100, 30), message_hook=record) as pilot:
        codebook = two_raters.codebook
        used = {group_of(tag.code_id, codebook) for tag in two_raters.tags()}
        in_order = [group.id for group in codebook.groups if group.id in used]
        await pilot.press("G")
        assert tag_list.tag_filter.group == in_order[0]
        await pilot.press("G")
        assert tag_list.tag_filter.group == in_order[1]
        await pilot.press("backspace")
        await pilot.pause()
        assert tag_list.tag_filter == TagFilter()
        assert [message.tag_filter.group for message in record.of(TagList.FilterWanted)] == [*in_order[:2], None]


async def test_blind_mode_hides_other_reviewers_tags(two_raters):
    host, tag_list = tag_list_host(two_raters)
    async with host.run_test(size=(100, 30)) as pilot:
        chen = next(reviewer for reviewer in two_raters.reviewers() if reviewer.name == "R. Chen")
        own = [tag.id for tag in two_raters.tags(author_id=chen.id)]
        show(tag_list, blind_id=chen.id)
        assert [tag.id for tag in tag_list.rows] == own
        assert not any("Okafor" in line for line in lines(tag_list))
        await pilot.press("R")  # cycling reviewers must not uncover anyone else
        assert [tag.id for tag in tag_list.rows] == own
        show(tag_list, tag_filter=TagFilter(group="confrontation"))
        assert len(tag_list.rows) == 1 and tag_list.rows[0].author_id == chen.id
        show(tag_list, blind_id=None)
        assert len(tag_list.rows) == 2


async def test_select_tag_moves_the_cursor_quietly(sample_store):
    host, tag_list = tag_list_host(sample_store)
    record = Recorder(TagList.TagHighlighted)
    async with host.run_test(size=(100, 30), message_hook=record) as pilot:
        tags = sample_store.tags()
        assert tag_list.select_tag(tags[7].id)
        await pilot.pause()
        assert tag_list.highlighted_tag_id == tags[7].id
        assert record.of(TagList.TagHighlighted) == []  # the app asked: nothing to tell it
        show(tag_list, tag_filter=TagFilter(group="repair"))
        assert not tag_list.select_tag(first(tags, "phase.").id)
        await pilot.press("down")
        await pilot.pause()
        assert [message.tag_id for message in record.of(TagList.TagHighlighted)] == [tag_list.highlighted_tag_id]


async def test_tag_list_with_500_tags(tmp_path, codebook):
    with open_store(tmp_path / "big.sqlite", codebook) as store:
        codes = codebook.codes
        store.import_review(
            {
                "reviewers": [{"name": "A. Rater", "role": "rater"}],
                "tags": [
                    {"start": f"{number * 6}s", "code": codes[number % len(codes)].id, "author": "A. Rater", "note": f"note {number}"}
                    for number in range(500)
                ],
            }
        )
        host, tag_list = tag_list_host(store)
        async with host.run_test(size=(100, 30)) as pilot:
            started = time.perf_counter()
            tag_list.tags_view = view_of(store)
            await pilot.pause()
            # Generous, for a busy test machine; a per-row widget would take many seconds.
            assert time.perf_counter() - started < 2.0
            assert tag_list.option_count == 500
            await pilot.press("end")
            assert tag_list.highlighted_tag_id == store.tags()[-1].id
            assert any(format_ms(499 * 6000, millis=False) in line for line in lines(tag_list))


# --- Timeline ------------------------------------------------------------------------------


def timeline_host(store: ReviewStore, duration_ms: int, suggestions=()) -> tuple[WidgetHost, Timeline]:
    timeline = Timeline(duration_ms, store.codebook)

    def setup() -> None:
        timeline.tags_view = view_of(store, suggestions=tuple(suggestions))

    return WidgetHost(timeline, setup=setup), timeline


DEMO_MS = 480_000  # the demo recording is eight minutes long


async def test_timeline_draws_each_group_on_its_row(sample_store, demo_transcript):
    suggestions = suggest_moments(demo_transcript, codebook=sample_store.codebook)
    host, timeline = timeline_host(sample_store, DEMO_MS, suggestions)
    async with host.run_test(size=(100, 20)):
        codebook = sample_store.codebook
        rows = lines(timeline)
        assert len(rows) == len(codebook.groups) + 2  # groups, suggestions, axis
        strip_start = timeline.label_width
        for group, row in zip(codebook.groups, rows):
            assert row.startswith(f"{group.key} ")
            marks = set(row[strip_start:]) - {"─"}
            has_tags = any(group_of(tag.code_id, codebook) == group.id for tag in sample_store.tags())
            assert bool(marks) == has_tags, group.id
        phase = rows[[group.id for group in codebook.groups].index("phase")][strip_start:]
        # Phase ranges (01:38-03:22 and 03:59-04:58) cover about a third of the session.
        covered = phase.count(palette.RANGE_GLYPH) + phase.count(palette.BOTH_GLYPH)
        assert abs(covered / len(phase) - (104 + 59) / 480) < 0.05
        suggested = rows[len(codebook.groups)]
        assert "suggested" in suggested
        assert suggested[strip_start:].count(palette.SUGGESTION_POINT) == len(suggestions)
        assert "00:00" in rows[-1] and "07:00" in rows[-1]


async def test_timeline_click_on_a_mark_seeks_to_that_tag(sample_store):
    host, timeline = timeline_host(sample_store, DEMO_MS)
    record = Recorder(Timeline.SeekRequested)
    async with host.run_test(size=(100, 20), message_hook=record) as pilot:
        groups = [group.id for group in sample_store.codebook.groups]
        row = groups.index("repair")
        column = lines(timeline)[row].index(palette.POINT_GLYPH)
        await pilot.click(Timeline, offset=(column, row))
        await pilot.pause()
        repairs = [tag for tag in sample_store.tags() if tag.code_id.startswith("repair.")]
        assert [message.position_ms for message in record.of(Timeline.SeekRequested)] == [repairs[0].start_ms]


async def test_timeline_click_on_the_track_seeks_in_proportion(sample_store):
    host, timeline = timeline_host(sample_store, DEMO_MS)
    record = Recorder(Timeline.SeekRequested)
    async with host.run_test(size=(100, 20), message_hook=record) as pilot:
        axis_row = len(sample_store.codebook.groups) + 1
        cells = timeline.size.width - timeline.label_width
        cell_ms = DEMO_MS / cells
        for column in (timeline.label_width, timeline.label_width + cells // 2, timeline.size.width - 1):
            await pilot.click(Timeline, offset=(column, axis_row))
        await pilot.click(Timeline, offset=(3, axis_row))  # on the labels: not a time
        await pilot.pause()
        start, middle, end = [message.position_ms for message in record.of(Timeline.SeekRequested)]
        assert start == 0
        assert abs(middle - DEMO_MS / 2) <= cell_ms
        assert DEMO_MS - 2 * cell_ms <= end < DEMO_MS


async def test_timeline_playhead_follows_position(sample_store):
    host, timeline = timeline_host(sample_store, DEMO_MS)
    async with host.run_test(size=(100, 20)) as pilot:
        axis = len(sample_store.codebook.groups) + 1
        assert lines(timeline)[axis].index("▲") == timeline.label_width
        timeline.position_ms = DEMO_MS
        await pilot.pause()
        assert lines(timeline)[axis].index("▲") == timeline.size.width - 1
        timeline.position_ms = DEMO_MS // 2
        await pilot.pause()
        assert abs(lines(timeline)[axis].index("▲") - (timeline.label_width + timeline.size.width - 1) / 2) <= 1
        assert f"▲{format_ms(DEMO_MS // 2, millis=False)}" in lines(timeline)[axis]
        timeline.position_ms = DEMO_MS // 2 + 1000  # a second on: the same cell, a new time
        await pilot.pause()
        assert f"▲{format_ms(DEMO_MS // 2 + 1000, millis=False)}" in lines(timeline)[axis]


async def test_timeline_at_40_columns_keeps_only_the_group_keys(sample_store):
    host, timeline = timeline_host(sample_store, DEMO_MS)
    async with host.run_test(size=(40, 20)):
        rows = lines(timeline)
        assert timeline.label_width == 2
        assert [row[0] for row in rows[: len(sample_store.codebook.groups)]] == [g.key for g in sample_store.codebook.groups]
        assert all(len(row) == 40 for row in rows)


# --- how it looks -------------------------------------------------------------------------------


def test_snapshot_timeline_and_tag_list(snap_compare, sample_store, demo_transcript):
    duration_ms = load_session(DEMO / "formulaic.mp4").duration_ms
    timeline, tag_list = Timeline(duration_ms, sample_store.codebook), TagList(sample_store.codebook)
    rupture = first(sample_store.tags(), "confrontation.")

    def setup() -> None:
        suggestions = tuple(suggest_moments(demo_transcript, codebook=sample_store.codebook))
        timeline.tags_view = view_of(sample_store, suggestions=suggestions)
        timeline.position_ms = rupture.start_ms
        tag_list.tags_view = view_of(sample_store)
        tag_list.focus()
        tag_list.select_tag(rupture.id)

    assert snap_compare(WidgetHost(timeline, tag_list, setup=setup), terminal_size=(120, 30))


async def test_short_labels_leave_the_row_to_the_note(codebook, tmp_path):
    store = open_store(tmp_path / "notes.sqlite", codebook)
    author = store.reviewer("Dr Okafor", "supervisor")
    note = "the patient laughs, then goes quiet for a long while"
    store.add_tag(start_ms=1000, end_ms=None, code_id="feeling.anger", note=note, author=author)  # "Anger"
    host, tag_list = tag_list_host(store)
    async with host.run_test(size=(60, 10)):
        [row] = [line for line in lines(tag_list) if "Anger" in line]
        # No rating on the list, a short label: the note has the room (it was not shown at all).
        assert "the patient laughs, then" in row
    store.close()


async def test_timeline_rows_light_only_the_playhead_cell_as_it_moves(sample_store):
    host, timeline = timeline_host(sample_store, DEMO_MS)
    async with host.run_test(size=(100, 20)) as pilot:
        groups = len(sample_store.codebook.groups)
        unlit = lines(timeline)[:groups]
        playhead = timeline.get_component_rich_style("timeline--playhead").bgcolor
        for position in (0, DEMO_MS // 3, DEMO_MS // 3 + 1, DEMO_MS):
            timeline.position_ms = position
            await pilot.pause()
            head = timeline.column_of(position)
            for y in range(groups):
                cells = [(char, segment.style) for segment in timeline.render_line(y) for char in segment.text]
                assert "".join(char for char, _ in cells) == unlit[y]
                assert [x for x, (_, style) in enumerate(cells) if style.bgcolor == playhead] == [head]
