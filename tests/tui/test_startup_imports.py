"""Opening a session imports only what its first screen needs: the report, export and
analysis code, jinja2 and pympi come when the reviewer first asks for them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# What the first screen never needs.
NOT_AT_START = (
    "review_tui.report",
    "review_tui.cli_export",
    "review_tui.cli_agreement",
    "review_tui.cli_details",
    "review_tui.review_details",
    "review_tui.merging",
    "review_tui.analysis.suggestions",
    "review_tui.analysis.agreement",
    "review_tui.analysis.reconcile",
    "review_tui.analysis.episodes",
    "review_tui.tui.screens.code_picker",
    "review_tui.tui.screens.tag_details",
    "review_tui.tui.screens.help",
    "review_tui.tui.screens.reviewer_prompt",
    "review_tui.tui.widgets.graphics_video",
    "review_tui.tui.widgets.level_meter",
    "review_tui.screenshots",
    "jinja2",
    "pympi",
    "rich.traceback",
    # Readers of the formats this session does not use, and what miniaudio would pull in for
    # internet radio (urllib.request stays a placeholder: review_tui/lean_import.py).
    "webvtt",
    "http.client",
    "email",
    # The entity table: loaded only for a cue with a character reference (transcript/rawcue.py).
    "html",
    # The future package's Python 2 layer, of which ffmpeg-python wants one name (lean_import.py),
    # and the TOML parser while no TOML file is read (the default codebook ships as JSON too).
    "past",
    "future",
    "tomllib",
)

# The open path as cli.run_session walks it (its parser included), up to the app's first
# screen with the first picture on it; then the palette's "Export the report as…".
SCRIPT = """
import asyncio, json, sys
from pathlib import Path
from review_tui import cli
from review_tui.config import Config
from review_tui.media.player import Player
from review_tui.session import load_session
from review_tui.tui.app import ReviewApp
from review_tui.tui.features import exporting

NOT_AT_START = {not_at_start!r}
# Through the CLI's own dispatch, which must not import the other commands either.
opened = []
cli.command_open = lambda args: opened.append(args) or 0
assert cli.main(["open", {clip!r}, "--audio", "null"]) == 0
args = opened[0]
session = load_session(args.path)
store = cli.open_store(session, Path({review!r}), cli.load_codebook_for(args, Config()))
player = Player(session.media, duration_ms=session.duration_ms, audio="null")
app = ReviewApp(session, store, player, store.codebook, None, Config(audio="null"))

def loaded():  # a placeholder of lean_import.py (nothing read from it yet) is not loaded
    return sorted(m for m in sys.modules if m.startswith(NOT_AT_START) and type(sys.modules[m]).__name__ != "DeferredModule")

async def main():
    async with app.run_test(size=(160, 45)) as pilot:
        while app.frame is None:
            await pilot.pause(0.05)
        at_start = loaded()
        exporting.export(app, {report!r})
        await pilot.pause()
        return at_start, loaded()

at_start, after_export = asyncio.run(main())
player.close()
store.close()
print(json.dumps({{"at_start": at_start, "after_export": after_export}}))
"""


def test_the_first_screen_imports_no_report_export_or_analysis_code(clip, tmp_path):
    script = SCRIPT.format(
        not_at_start=NOT_AT_START,
        clip=str(clip),
        review=str(tmp_path / "r.sqlite"),
        report=str(tmp_path / "report.md"),
    )
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["at_start"] == []
    # Asked for, the report code comes (so the check above sees imports when they happen).
    assert "review_tui.report.formats" in found["after_export"]
    assert (tmp_path / "report.md").is_file()
