"""The transcript pane: the spoken cue is lit and followed; picking a cue seeks; search."""

from __future__ import annotations


import pytest
from textual import events

from review_tui.tui.screens.prompt import PromptScreen
from review_tui.tui.widgets.transcript import TranscriptView
from tests.tui.conftest import CUE_MS, wait_for, write_srt


def lit_rows(view: TranscriptView) -> list[str]:
    """The text of every drawn line marked as the spoken cue."""
    lines = [view.render_line(y).text for y in range(view.scrollable_content_region.height)]
    return [line for line in lines if line.lstrip().startswith("▶")]


async def test_the_lit_cue_follows_the_position(clip, clock_app):
    app = clock_app(clip)
    async with app.run_test() as pilot:
        view = app.query_one(TranscriptView)
        assert view.current == 0
        await pilot.press("g", *"4.6", "enter")  # cue 3 runs from 4.5 to 6 s
        assert view.current == 3
        assert lit_rows(view) == [view.render_line(view.first_rows[3] - view.scroll_offset.y).text]
        assert "00:04" in lit_rows(view)[0] and "It comes and goes." in lit_rows(view)[0]
        await pilot.press("space")
        await wait_for(pilot, lambda: view.current == 4, what="the next cue to light up")
        assert "Where do you feel the anger now?" in lit_rows(view)[0]


async def test_clicking_a_cue_sends_it_up_and_the_app_plays_from_there(clip, clock_app):
    app = clock_app(clip)
    selected: dict[int, int] = {}  # the hook sees a message at every node it bubbles through

    def record(message) -> None:
        if isinstance(message, TranscriptView.CueSelected):
            selected[id(message)] = message.cue.index

    async with app.run_test(message_hook=record) as pilot:
        view = app.query_one(TranscriptView)
        row = view.first_rows[5] - view.scroll_offset.y
        await pilot.click(TranscriptView, offset=(12, row + 1))  # +1: the border above the rows
        assert list(selected.values()) == [5]
        assert app.player.position_ms() == 5 * CUE_MS
        assert view.current == 5 and view.following


async def test_up_down_and_enter_pick_a_cue(clip, clock_app):
    app = clock_app(clip)
    async with app.run_test() as pilot:
        view = app.query_one(TranscriptView)
        await pilot.press("down", "down", "down", "up")
        assert view.cursor == 2 and not view.following
        assert app.position_ms == 0  # moving the cursor alone does not seek
        await pilot.press("enter")
        assert app.position_ms == 2 * CUE_MS
        assert view.cursor is None and view.following


@pytest.fixture
def long_transcript(tmp_path):
    return write_srt(
        tmp_path / "long.srt",
        [(n * 2000, n * 2000 + 1900, f"{'Th' if n % 2 else 'Pt'}: line number {n}") for n in range(300)],
    )


async def test_paging_by_hand_stops_following_until_v(long_transcript, clock_app):
    app = clock_app(long_transcript)
    async with app.run_test() as pilot:
        view = app.query_one(TranscriptView)
        await pilot.press("pagedown", "pagedown")
        assert not view.following
        scrolled = view.scroll_offset.y
        assert scrolled > 0
        await pilot.press("space", "space")  # playback moves on; the view stays where it was
        assert view.scroll_offset.y == scrolled and "not following" in view.border_subtitle
        await pilot.press("v")
        assert view.following and view.border_subtitle == ""


async def test_go_to_a_time_brings_the_transcript_along_when_not_following(long_transcript, clock_app):
    app = clock_app(long_transcript)
    async with app.run_test() as pilot:
        view = app.query_one(TranscriptView)
        await pilot.press("pagedown", "pagedown")
        assert not view.following
        await pilot.press("g", *"5:00", "enter")  # cue 150
        assert view.current == 150 and view.following
        visible = range(view.scroll_offset.y, view.scroll_offset.y + view.scrollable_content_region.height)
        assert view.first_rows[150] in visible


async def test_the_mouse_wheel_scrolls_and_stops_following(long_transcript, clock_app):
    app = clock_app(long_transcript)
    async with app.run_test() as pilot:
        view = app.query_one(TranscriptView)
        for _ in range(3):
            view.post_message(events.MouseScrollDown(view, 5, 5, 0, 1, 0, False, False, False))
        await wait_for(pilot, lambda: view.scroll_offset.y > 0, what="the wheel to scroll")
        assert not view.following


async def test_search_lights_hits_and_n_moves_between_them(clip, clock_app):
    app = clock_app(clip)
    async with app.run_test() as pilot:
        view = app.query_one(TranscriptView)
        await pilot.press("slash", *"anger", "enter")
        assert app.state.hits == [1, 4, 6] and view.hits == {1, 4, 6}
        assert app.position_ms == 1 * CUE_MS
        await pilot.press("n")
        assert app.position_ms == 4 * CUE_MS
        await pilot.press("n")
        assert app.position_ms == 6 * CUE_MS
        await pilot.press("n")  # wraps to the first hit
        assert app.position_ms == 1 * CUE_MS
        await pilot.press("N")
        assert app.position_ms == 6 * CUE_MS
        hit_line = view.render_line(view.first_rows[4] - view.scroll_offset.y)
        matched = [segment for segment in hit_line if segment.text.lower() == "anger"]
        assert matched and matched[0].style.bgcolor is not None  # the word itself is marked


async def test_a_search_with_no_hit_says_so_in_the_dialog(clip, clock_app):
    app = clock_app(clip)
    async with app.run_test() as pilot:
        await pilot.press("slash", *"zebra", "enter")
        assert isinstance(app.screen, PromptScreen)
        assert "no line holds 'zebra' as a whole word" in str(app.screen.query_one("#prompt-error").render())
        await pilot.press("escape")
        assert app.state.hits == []
        await pilot.press("n")
        assert app.position_ms == 0


async def test_two_thousand_cues_lay_out_and_follow_jumps(tmp_path, clock_app):
    cues = [(n * 1500, n * 1500 + 1400, f"{'Th' if n % 2 else 'Pt'}: sentence {n} " + "word " * (n % 25)) for n in range(2000)]
    app = clock_app(write_srt(tmp_path / "long.srt", cues))
    async with app.run_test(size=(160, 48)) as pilot:
        view = app.query_one(TranscriptView)
        assert len(view.cues) == 2000
        for target in ("45:00", "10:00", "49:00", "0:30"):
            await pilot.press("g", *target, "enter")
        assert view.current == 20
        assert lit_rows(view)
        view._lay_out(view._layout_width - 10)  # a resize lays all 2,000 cues out again
        assert len(view.rows) >= 2000 and lit_rows(view)
        # How fast: benchmarks/ measures it against a baseline, not a timed test on a busy machine.


async def test_search_takes_whole_words_and_ctrl_t_matches_inside_words(clip, clock_app):
    app = clock_app(clip)
    async with app.run_test() as pilot:
        await pilot.press("slash", *"nger", "enter")  # inside "anger" only
        assert isinstance(app.screen, PromptScreen)
        assert "as a whole word" in str(app.screen.query_one("#prompt-error").render())
        assert "whole words" in str(app.screen.query_one("#prompt-hint").render())
        await pilot.press("ctrl+t")
        assert "inside words too" in str(app.screen.query_one("#prompt-hint").render())
        await pilot.press("enter")
        assert not isinstance(app.screen, PromptScreen)
        assert app.state.hits == [1, 4, 6]
        view = app.query_one(TranscriptView)
        hit_line = view.render_line(view.first_rows[4] - view.scroll_offset.y)
        assert any(segment.text == "nger" for segment in hit_line)
