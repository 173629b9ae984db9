"""The help screen lists the tagging keys of the review's own codebook."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from review_tui.model import Code, Codebook, CodeGroup
from review_tui.tui.screens.help import HelpScreen
from tests.tui.conftest import wait_for


def help_lines(screen: HelpScreen) -> list[str]:
    """The help screen's tables as a reader sees them, one line per row."""
    console = Console(width=100, file=io.StringIO(), record=True)
    for static in screen.query(Static):
        console.print(static.content)
    return console.export_text().splitlines()


def help_shown(app) -> bool:
    return isinstance(app.screen, HelpScreen) and bool(app.screen.query(Static))


def row_for(lines: list[str], text: str) -> list[str]:
    (row,) = [line for line in lines if text in line]
    return row.split()


async def test_question_mark_lists_each_group_key_with_its_label(clip, clock_app):
    app = clock_app(clip)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: help_shown(app), what="the help screen")
        lines = help_lines(app.screen)
        confrontation = row_for(lines, "Confrontation")
        assert confrontation[0] == "c" and " ".join(confrontation[1:]) == "Confrontation rupture → then a digit"
        for group in app.codebook.groups:
            assert row_for(lines, f"{group.label} → then a digit")[0] == group.key


async def test_a_codebook_given_to_the_screen_is_the_one_listed(clip, clock_app):
    code = Code("story.detour", "story", "Detour", "The patient leaves the subject", "1")
    custom = Codebook("custom", "2", "Custom", (CodeGroup("story", "y", "Storytelling detour", (code,)),))
    app = clock_app(clip)
    async with app.run_test(size=(100, 60)) as pilot:
        app.push_screen(HelpScreen({}, codebook=custom))
        await wait_for(pilot, lambda: help_shown(app), what="the help screen")
        lines = help_lines(app.screen)
        assert row_for(lines, "Storytelling detour") == ["y", "Storytelling", "detour", "→", "then", "a", "digit"]
        assert not any("Confrontation" in line for line in lines)
