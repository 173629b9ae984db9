"""Inputs that used to end the app in a traceback now end in one message (issue 7, item 5),
driven through the real app with Pilot on a real review file."""

from __future__ import annotations

import io
import sqlite3

from rich.console import Console
from rich.table import Table
from textual.widgets import Select

from review_tui.tui.screens.tag_details import TagDetails
from tests.tui.conftest import notices, wait_for

SIZE = (160, 48)


def _reviewer(app):
    app.reviewer = app.store.reviewer("Ann Lee", "supervisor")
    return app.reviewer


async def test_editing_a_tag_whose_code_the_codebook_lacks_opens_the_dialog(open_app, transcript_only, tmp_path):
    app = open_app(transcript_only)
    author = _reviewer(app)
    first = app.codebook.groups[0].codes[0]
    tag = app.store.add_tag(start_ms=1_000, end_ms=None, code_id=first.id, note="", author=author)
    with sqlite3.connect(app.store.path) as db:  # a tag made with another codebook
        db.execute("UPDATE tags SET code_id = 'elsewhere.unknown_code' WHERE id = ?", (tag.id,))
    async with app.run_test(size=SIZE) as pilot:
        app.refresh_tags()
        app.selected_tag_id = tag.id
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, TagDetails), what="the edit dialog")
        assert app.screen.query_one("#code", Select).value == "elsewhere.unknown_code"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TagDetails), what="the dialog to close")
    assert app.store.tag(tag.id).code_id == "elsewhere.unknown_code"  # cancelled: unchanged


async def test_ctrl_z_on_a_damaged_undo_step_is_one_message(open_app, transcript_only):
    app = open_app(transcript_only)
    author = _reviewer(app)
    first = app.codebook.groups[0].codes[0]
    tag = app.store.add_tag(start_ms=1_000, end_ms=None, code_id=first.id, note="kept", author=author)
    with sqlite3.connect(app.store.path) as db:
        db.execute("INSERT INTO undo_log (description, changes, author_id) VALUES ('broken', '{not json', ?)", (author.id,))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: any("damaged" in notice for notice in notices(app)), what="the message")
        assert app.is_running
    assert [t.id for t in app.store.tags()] == [tag.id]  # nothing was undone half-way




async def test_help_shows_a_codebook_label_that_looks_like_markup_as_it_is(open_app, transcript_only):
    from dataclasses import replace

    from review_tui.tui.screens.help import HelpScreen

    app = open_app(transcript_only)
    first = app.codebook.groups[0]
    app.codebook = replace(app.codebook, groups=(replace(first, label="Ruptures [/x] [b]bold[/b]"), *app.codebook.groups[1:]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help screen")
        await pilot.pause(0.2)
        assert app.is_running
        console = Console(width=200, record=True, file=io.StringIO())
        for static in app.screen.query("Static"):
            if isinstance(static.content, Table):  # the key tables, scrolled into view or not
                console.print(static.content)
        assert "Ruptures [/x] [b]bold[/b]" in console.export_text()


async def test_the_palette_screenshot_is_saved_privately_and_said(open_app, transcript_only, tmp_path, monkeypatch):
    """Textual's default folder, ~/Downloads, may not exist ("Failed to save screenshot"), and
    a picture of a session is as private as its review (issue 8, defect 10)."""
    import stat

    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no Downloads folder in it
    app = open_app(transcript_only)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        for key in "screenshot":
            await pilot.press(key)
        await pilot.pause(0.5)
        await pilot.press("enter")
        shots = tmp_path / "data" / "screenshots"
        await wait_for(pilot, lambda: any(shots.glob("*.svg")), what="the screenshot file")
        await wait_for(pilot, lambda: any("Screenshot saved" in notice for notice in notices(app)), what="the notice")
        [shot] = shots.glob("*.svg")
        assert stat.S_IMODE(shot.stat().st_mode) == 0o600
        assert "<svg" in shot.read_text(encoding="utf-8")
        assert not any("Failed" in notice for notice in notices(app))
