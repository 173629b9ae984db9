"""The export dialog driven with Pilot: writes what it is set to, reports errors, can stop."""

from __future__ import annotations

import csv
import io
import json
import sys
import threading
import types

from textual.widgets import Checkbox, Input, Label, ProgressBar, Select

from review_tui.report.formats import ExportError
from review_tui.report.written import written_entries
from review_tui.tui.screens.export_dialog import ExportDialog
from tests.tui.conftest import notices, wait_for


def tag_some(store):
    okafor = store.reviewer("Dr Okafor", "supervisor")
    lee = store.reviewer("Sam Lee", "therapist")
    store.add_tag(start_ms=1000, end_ms=None, code_id="withdrawal.denial", rating=2, note="=1+1 Okafor", author=okafor)
    store.add_tag(start_ms=2500, end_ms=4000, code_id="supervision.strength", note="mine", author=lee)


async def open_dialog(pilot, app) -> ExportDialog:
    await pilot.press("ctrl+e")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="the export dialog")
    return app.screen


async def test_ctrl_e_exports_the_format_chosen_to_the_proposed_file(open_app, transcript_only):
    app = open_app(transcript_only)
    tag_some(app.store)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        path = dialog.query_one("#export-path", Input)
        assert path.value.endswith("notes.review.md")
        dialog.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        assert path.value == str(app.store.path.with_name("notes.review.csv"))
        await pilot.click("#export-go")
        target = app.store.path.with_name("notes.review.csv")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog), what="the dialog to close")
        # The export runs off the UI thread: its notice may come a moment after the dialog closes.
        await wait_for(pilot, lambda: any(str(target) in text for text in notices(app)), what="the notice naming the file")
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [row["code_id"] for row in rows] == ["withdrawal.denial", "supervision.strength"]
    assert rows[0]["note"].startswith("'=1+1")
    assert {"path": str(target), "format": "csv"} in written_entries(app.store)


async def test_a_reviewer_pseudonymised_export(open_app, transcript_only):
    app = open_app(transcript_only)
    tag_some(app.store)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        dialog.query_one("#export-format", Select).value = "json"
        dialog.query_one("#export-tags", Select).value = "reviewer:Dr Okafor"
        dialog.query_one("#export-pseudonymise", Checkbox).value = True
        await pilot.pause()
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog), what="the dialog to close")
    data = json.loads(app.store.path.with_name("notes.review.json").read_text(encoding="utf-8"))
    assert [tag["code_id"] for tag in data["tags"]] == ["withdrawal.denial"]
    text = json.dumps(data)
    assert "Okafor" not in text and "Sam Lee" not in text and "Supervisor A" in text


async def test_a_wrong_extension_is_shown_and_nothing_is_written(open_app, transcript_only):
    app = open_app(transcript_only)
    tag_some(app.store)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        bad = app.store.path.with_name("out.pdf")
        dialog.query_one("#export-path", Input).value = str(bad)
        await pilot.click("#export-go")
        error = dialog.query_one("#export-error", Label)
        await wait_for(pilot, lambda: "named *.md" in str(error.render()), what="the error")
        assert isinstance(app.screen, ExportDialog) and not bad.exists()
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog), what="the dialog to close")


async def test_a_long_export_shows_progress_and_stops_on_escape(open_app, clip, monkeypatch):
    """A clip writer that reports progress and honours cancel (the contract of
    review_tui.report.clips), slow enough to stop half-way."""
    started = threading.Event()

    def write_clips(report, folder, *, media_path, tags=None, before_ms, after_ms, progress=None, cancel=None):
        for step in range(200):
            progress(step, 200)
            started.set()
            if cancel.is_set():
                raise ExportError(f"{folder}: clip export cancelled; 0 of 2 clips were written")
            threading.Event().wait(0.02)
        return []

    monkeypatch.setitem(sys.modules, "review_tui.report.clips", types.SimpleNamespace(write_clips=write_clips))
    app = open_app(clip)
    tag_some(app.store)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        dialog.query_one("#export-format", Select).value = "clips"
        await pilot.pause()
        await pilot.click("#export-go")
        bar = dialog.query_one("#export-progress", ProgressBar)
        await wait_for(pilot, lambda: (bar.progress or 0) > 2, what="progress")
        assert dialog.has_class("running") and bar.display
        await pilot.press("escape")
        error = dialog.query_one("#export-error", Label)
        await wait_for(pilot, lambda: "cancelled; 0 of 2" in str(error.render()), what="the stop")
        assert isinstance(app.screen, ExportDialog) and not dialog.running
        assert (bar.progress or 0) < 100
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog), what="the dialog to close")
        assert not any("Export written" in text for text in notices(app))


async def test_a_name_added_in_the_dialog_is_hidden_in_the_export(open_app, transcript_only):
    app = open_app(transcript_only)
    author = app.store.reviewer("Dr Okafor", "supervisor")
    app.store.add_tag(start_ms=1000, end_ms=None, code_id="withdrawal.denial", note="Daniel went quiet", author=author)
    names = app.store.path.with_name("review.names.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_dialog(pilot, app)
        assert "Name list: 0 names" in str(dialog.query_one("#export-names", Label).render())
        await pilot.click("#export-add-name")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PromptScreen", what="the name prompt")
        await pilot.press(*"Daniel = Client D")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is dialog, what="back in the dialog")
        assert "Name list: 1 name (review.names.toml)" in str(dialog.query_one("#export-names", Label).render())
        dialog.query_one("#export-format", Select).value = "csv"
        dialog.query_one("#export-pseudonymise", Checkbox).value = True
        await pilot.pause()
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog), what="the dialog to close")
    assert names.stat().st_mode & 0o777 == 0o600
    text = app.store.path.with_name("notes.review.csv").read_text(encoding="utf-8-sig")
    assert "Client D went quiet" in text and "Daniel" not in text
