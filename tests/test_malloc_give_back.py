"""A paused player hands the pages malloc holds free back to the system (malloc.py)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from review_tui.media import video_engine
from review_tui.media.malloc import give_back_free_memory
from review_tui.media.player import Player
from review_tui.media.probe import probe
from tests.media_factory import make_video

REPO = Path(__file__).resolve().parents[1]
GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"

# In a fresh interpreter: pictures the size of the pane's (15 KB) made and dropped as
# playback does, every other one kept, so the freed ones sit between kept ones as whole
# free pages the heap cannot shrink past; then the resident anonymous memory before and
# after give_back_free_memory().
SCRIPT = textwrap.dedent(
    """
    import json
    from review_tui.media.malloc import give_back_free_memory

    def anonymous_kb():
        with open("/proc/self/smaps_rollup") as rollup:
            return next(int(line.split()[1]) for line in rollup if line.startswith("Anonymous:"))

    pictures = [bytes([n % 256]) * 15000 for n in range(4000)]
    kept = pictures[::2]
    del pictures
    before = anonymous_kb()
    gave_back = give_back_free_memory()
    print(json.dumps({"before": before, "after": anonymous_kb(), "gave_back": gave_back, "kept": len(kept)}))
    """
)


@pytest.mark.skipif(not GLIBC, reason="malloc_trim is glibc's")
def test_freed_pictures_between_kept_ones_go_back_to_the_system() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["gave_back"] is True
    # 2,000 freed pictures of 15 KB: ~30 MB free inside the heap; most of it goes back.
    assert found["before"] - found["after"] > 20_000


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return probe(make_video(tmp_path_factory.mktemp("give_back") / "clip.mp4", seconds=3, size="160x120"))


def test_a_paused_player_gives_memory_back_when_it_lets_its_decoder_go(clip, monkeypatch) -> None:
    calls: list[float] = []

    def recording() -> bool:
        calls.append(time.monotonic())
        return give_back_free_memory()

    monkeypatch.setattr(video_engine, "give_back_free_memory", recording)
    monkeypatch.setattr("review_tui.media.player.KEEP_WARM_S", 0.3)
    player = Player(clip, duration_ms=clip.duration_ms, audio="off", prefetch=False)
    try:
        deadline = time.monotonic() + 10
        while player.latest_frame() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert player.latest_frame() is not None
        deadline = time.monotonic() + 10
        while (player.live_processes() or not calls) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not player.live_processes()  # the paused decoder was let go ...
        assert calls  # ... and what was freed handed back
    finally:
        player.close()
