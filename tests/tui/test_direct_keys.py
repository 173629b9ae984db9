"""Keys on the main screen run their binding at once (tui/direct_keys.py), with the same
binding Textual would have reached; in a dialog they take Textual's ordinary way."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from review_tui.tui.screens.prompt import PromptScreen
from review_tui.tui.widgets.tag_list import TagList
from review_tui.tui.widgets.transcript import TranscriptView
from tests.tui.conftest import notices, wait_for


async def test_a_seek_key_seeks_without_travelling_through_the_panes(quick_app):
    app = quick_app()
    dispatched: list[tuple[str, object]] = []

    def hook(message) -> None:
        if isinstance(message, events.Key) and message.is_forwarded:
            dispatched.append((message.key, message))

    async with app.run_test(message_hook=hook) as pilot:
        assert isinstance(app.focused, TranscriptView)
        await pilot.press("right", "right", "left")
        await wait_for(pilot, lambda: app._keys.idle, what="the keys")
        assert app.player.position_ms() == 5000
        # Forwarded to the focused pane and bubbled up it would be seen here; run at once it is not.
        assert dispatched == []


async def test_the_focused_panes_own_binding_still_wins_over_the_apps(quick_app):
    """R is the tag list's "filter by reviewer" there and the app's reconcile elsewhere."""
    app = quick_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("T")
        tag_list = app.query_one(TagList)
        assert tag_list.has_focus
        await pilot.press("R")
        await pilot.pause()
        assert len(app.screen_stack) == 1 and app.focused is tag_list
        assert not any("reconcile" in note.lower() for note in notices(app))  # the app's R did not run
        await pilot.press("escape", "T")  # back to the transcript: there R is the app's
        await pilot.press("R")
        await wait_for(pilot, lambda: any("reconcile" in note.lower() for note in notices(app)), what="the app's R")


async def test_in_a_dialog_arrows_move_the_cursor_and_do_not_seek(quick_app):
    app = quick_app()
    async with app.run_test() as pilot:
        await pilot.press("g", *"0:07")
        assert isinstance(app.screen, PromptScreen)
        field = app.screen.query_one(Input)
        await pilot.press("left", "left", "backspace")
        assert field.value == "007"  # the colon went: the cursor had moved two to the left
        assert app.player.position_ms() == 0
        await pilot.press("escape")
        await pilot.press("right")
        await wait_for(pilot, lambda: app.player.position_ms() == 5000, what="the seek back on the main screen")
