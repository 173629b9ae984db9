"""The app turns the garbage collector back on (start-up objects frozen) once its first
screen is painted, and the CLI does on the way out if the app never got that far."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = """
import asyncio, gc, json
from pathlib import Path
from review_tui import cli, startup_mode
from review_tui.config import Config
from review_tui.media.player import Player
from review_tui.session import load_session
from review_tui.tui.app import ReviewApp

startup_mode.hold()
args = cli.parse_args(["open", {clip!r}, "--audio", "null"])
session = load_session(args.path)
store = cli.open_store(session, Path({review!r}), cli.load_codebook_for(args, Config()))
player = Player(session.media, duration_ms=session.duration_ms, audio="null")
app = ReviewApp(session, store, player, store.codebook, None, Config(audio="null"))

async def main():
    async with app.run_test(size=(160, 45)) as pilot:
        held_while_starting = startup_mode.holding()
        while app.frame is None or startup_mode.holding():
            await pilot.pause(0.05)
        return held_while_starting, gc.isenabled(), gc.get_freeze_count()

held, enabled, frozen = asyncio.run(main())
player.close()
store.close()
print(json.dumps({{"held_while_starting": held, "enabled": enabled, "frozen": frozen > 10000}}))
"""


def test_the_first_painted_screen_turns_the_collector_back_on(clip, tmp_path):
    script = SCRIPT.format(clip=str(clip), review=str(tmp_path / "r.sqlite"))
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "held_while_starting": True,
        "enabled": True,
        "frozen": True,
    }


def test_a_session_that_fails_to_open_lets_go_too(tmp_path):
    missing = tmp_path / "nowhere.mp4"
    script = f"""
import contextlib, gc, io, json
from review_tui import cli
with contextlib.redirect_stderr(io.StringIO()) as said:
    code = cli.main(["open", {str(missing)!r}, "--audio", "null", "--reviewer", "T:supervisor"])
print(json.dumps({{"code": code, "enabled": gc.isenabled(), "said": said.getvalue().strip()}}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["code"] == 2 and found["enabled"] is True
    assert "nowhere.mp4" in found["said"]
