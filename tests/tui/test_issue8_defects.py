"""The traps a new user met in the first ten minutes (issue 8), each driven as they met it,
on the clock-only player."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Footer

from review_tui import locations
from review_tui.analysis.suggestions import suggest_moments
from review_tui.config import Config
from review_tui.session import load_session
from review_tui.tui.screens.code_picker import CodePicker
from review_tui.tui.screens.confirm import ConfirmScreen
from review_tui.tui.screens.suggestions import SuggestionsScreen
from review_tui.tui.screens.tag_details import TagDetails
from review_tui.tui.widgets.timeline import Timeline
from review_tui.tui.widgets.transport import TransportBar
from tests.tui.conftest import notices, wait_for

DEMO = Path(__file__).resolve().parents[2] / "examples" / "formulaic"


@pytest.fixture
def demo_transcript(tmp_path) -> Path:
    return Path(shutil.copy(DEMO / "formulaic.srt", tmp_path / "formulaic.srt"))


def on_main(app) -> bool:
    return len(app.screen_stack) == 1 and app._keys.idle


async def tag_here(pilot, app, group: str, digit: str) -> None:
    await pilot.press(group, digit, "enter", "enter")
    await wait_for(pilot, lambda: on_main(app), what="the tag to be made")


async def test_x_deletes_only_a_picked_tag_and_says_how_to_undo(quick_app):
    app = quick_app()
    async with app.run_test() as pilot:
        await tag_here(pilot, app, "c", "1")
        [made] = app.store.tags()
        await pilot.press("x")  # the tag just made sits under the playhead: not picked
        assert app.store.tags() == [made]
        assert any("No tag selected" in text for text in notices(app))
        await pilot.press("right", "j")  # picks it (and goes back to it)
        assert app.state.selected_tag_id == made.id
        await pilot.press("x")
        assert app.store.tags() == []
        assert any("Deleted Criticises therapist" in text and "ctrl+z undoes" in text for text in notices(app))


async def test_the_clock_shows_milliseconds_while_paused(quick_app):
    app = quick_app()
    async with app.run_test() as pilot:
        await pilot.press("g", *"0:02.345", "enter")
        await wait_for(pilot, lambda: app.position_ms == 2345, what="the seek")
        await pilot.pause()
        assert "00:02.345 / " in str(app.query_one(TransportBar).render())
        await pilot.press("space")
        await pilot.pause()
        assert "." not in str(app.query_one(TransportBar).render()).split("/")[0]  # playing: whole seconds


async def test_an_accepted_suggestion_on_a_tag_of_its_code_asks_first(quick_app, demo_transcript):
    app = quick_app(demo_transcript)
    found = suggest_moments(load_session(demo_transcript).transcript, codebook=app.codebook)
    async with app.run_test(size=(160, 48)) as pilot:
        first = found[0]
        app.store.add_tag(start_ms=first.start_ms, end_ms=None, code_id=first.code_id, note="", author=app.reviewer)
        app.publish_tags()
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, SuggestionsScreen), what="the suggestions")
        await pilot.press("enter")  # accept the first: its code is already tagged there
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        assert "Already tagged" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")  # keep the one there
        await wait_for(pilot, lambda: on_main(app), what="the main screen")
        assert len(app.store.tags()) == 1
        assert any("Kept the tag already there" in text for text in notices(app))


async def test_the_suggested_lane_counts_again_after_undo(quick_app, demo_transcript):
    app = quick_app(demo_transcript)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, SuggestionsScreen), what="the suggestions")
        total = len(app.query_one(Timeline).suggestions)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TagDetails), what="the details")
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: on_main(app), what="the main screen")
        assert len(app.query_one(Timeline).suggestions) == total - 1
        await pilot.press("ctrl+z")
        assert app.store.tags() == []
        assert len(app.query_one(Timeline).suggestions) == total  # the lane follows the undo


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_help_and_quit_stay_in_the_footer_at_small_sizes(quick_app, size):
    app = quick_app()
    async with app.run_test(size=size) as pilot:
        footer = app.query_one(Footer)

        def shown() -> str:
            return " ".join(str(key.render()) for key in footer.children if key.region.right <= size[0] and key.region.width)

        # The footer lays its keys out after the first refresh: wait for that, not a fixed time.
        await wait_for(pilot, lambda: "Help" in shown() and "Quit" in shown(), what=f"Help and Quit in the footer at {size}")
        await pilot.pause()
        assert "Help" in shown() and "Quit" in shown()  # and they stay once the app is idle


async def test_the_code_picker_follows_the_width(quick_app):
    app = quick_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CodePicker), what="the picker")
        await pilot.pause()
        wide = app.screen.query_one("#dialog").region.width
    app = quick_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CodePicker), what="the picker")
        await pilot.pause()
        narrow = app.screen.query_one("#dialog").region.width
    assert wide > 76 and narrow <= 80


async def test_a_keymap_id_of_the_tag_list_is_known(quick_app):
    app = quick_app(config=Config(audio="null", keymap={"tags.filter-group": "ctrl+g"}))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not any("names no binding" in text for text in notices(app))


async def test_the_palettes_screenshot_is_saved_and_says_so(quick_app, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no Downloads folder, as on many machines
    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    app = quick_app()
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p", *"Screenshot")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("Screenshot saved" in text for text in notices(app)), what="the screenshot")
        assert not any("Failed" in text for text in notices(app))
    [saved] = list(locations.screenshots_dir().glob("*.svg"))
    assert saved.stat().st_mode & 0o777 == 0o600
