"""An A–B loop loops when play starts exactly at B, as when B was just set there (issue 8,
defect 7). The engine without media keeps time only, so nothing needs decoding."""

from __future__ import annotations

import time

from review_tui.media.player import Player


def test_play_from_b_goes_back_to_a():
    player = Player(None, duration_ms=10_000, audio="off")
    try:
        player.seek(1000)
        assert player.cycle_loop() == (1000, None)
        player.seek(1400)
        assert player.cycle_loop() == (1000, 1400)  # paused at B, as the reviewer left it
        time.sleep(0.2)  # the engine has taken the seek
        player.play()
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline and player.position_ms() >= 1400:
            time.sleep(0.01)
        assert 1000 <= player.position_ms() < 1400, "playing from B must wrap back to A"
    finally:
        player.close()
