"""The key table: ids and descriptions, keys kept free for tagging, keymap, help, palette."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from review_tui.config import Config
from review_tui.tui.bindings import RESERVED_KEYS, all_bindings, next_speed
from review_tui.tui.commands import playback_commands
from review_tui.tui.screens.help import HelpScreen
from tests.tui.conftest import notices


def test_every_binding_has_a_unique_id_and_a_description():
    bindings = list(all_bindings())
    ids = [binding.id for binding in bindings]
    assert all(ids) and len(ids) == len(set(ids))
    assert all(binding.description for binding in bindings)


def test_speed_steps_up_and_down_and_stops_at_the_ends():
    assert next_speed(1.0, +1) == 1.25 and next_speed(1.0, -1) == 0.75
    assert next_speed(2.0, +1) == 2.0 and next_speed(0.5, -1) == 0.5
    assert next_speed(1.1, +1) == 1.25 and next_speed(1.1, -1) == 1.0


def test_playback_and_transcript_keys_leave_the_tagging_keys_alone():
    # The tagging keys are bound by the tagging layer (see test_tagging_flow); the player's
    # own tables must never take one of them.
    from review_tui.tui.bindings import APP_BINDINGS, TRANSCRIPT_BINDINGS

    taken = {key.strip() for binding in APP_BINDINGS + TRANSCRIPT_BINDINGS for key in binding.key.split(",")}
    assert "space" in taken and "left_square_bracket" in taken
    assert not taken & RESERVED_KEYS


async def test_the_keymap_from_config_moves_a_key(clip, clock_app):
    app = clock_app(clip, config=Config(audio="null", keymap={"replay": "z", "nonsense.id": "y"}))
    async with app.run_test() as pilot:
        await pilot.press("right", "right", "b")
        assert not app.playing and app.position_ms == 10000
        await pilot.press("z")
        assert app.playing
        assert any("nonsense.id" in text for text in notices(app))


async def test_help_lists_every_key_with_the_keymap_applied(clip, clock_app):
    app = clock_app(clip, config=Config(audio="null", keymap={"replay": "z"}))
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, file=io.StringIO(), record=True)
        for static in app.screen.query(Static):
            console.print(static.content)
        lines = console.export_text().splitlines()
        for binding in all_bindings():  # every table: the tag list's, the dialogs', all
            assert any(binding.description in line for line in lines), binding.description
        replay = next(line for line in lines if "Replay 5 s" in line)
        assert replay.split()[0] == "z"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_command_palette_runs_playback_commands(clip, clock_app):
    titles = [command.title for command in playback_commands({})]
    assert "Play/Pause" in titles and "Speed 1.5×" in titles and "Go to the end" in titles
    app = clock_app(clip)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p", *"Speed 1.5")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.player.speed == 1.5
