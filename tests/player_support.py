"""What the player tests share: every frame of a clip decoded straight (the reference the
player's pictures are compared with), a player at a given picture size, and waits."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from review_tui.media.player import Player
from review_tui.media.video import Frame, VideoDecoder
from review_tui.model import MediaInfo


def decode_every_frame(clip: MediaInfo, size: tuple[int, int]) -> list[Frame]:
    """Every frame of ``clip`` at ``size``, decoded from the start by one decoder."""
    decoder = VideoDecoder(clip, start_ms=0, size=size)
    found = []
    while (frame := decoder.pop(timeout=10)) is not None:
        found.append(frame)
    decoder.close()
    return found


def player_at(clip: MediaInfo, size: tuple[int, int]) -> Iterator[Player]:
    """A paused player on ``clip`` drawing at ``size`` from its first picture (for a fixture)."""
    player = Player(clip, duration_ms=clip.duration_ms, audio="null", wait_for_size=True)
    player.set_video_size(*size)
    yield player
    player.close()


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the player")
        time.sleep(0.005)


def wait_for_frame(player: Player, pts_ms: int) -> bytes:
    wait_for(lambda: (frame := player.latest_frame()) is not None and frame.pts_ms == pts_ms)
    return player.latest_frame().rgb
