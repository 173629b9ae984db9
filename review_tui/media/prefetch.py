"""While paused, decode the exact frames of the likely next seeks into the frame ring.

A supervisor who pauses usually presses → or ← (±5 s) or shift+→ (+30 s) next, or jumps to
the next or previous transcript line or tag. The seek keys' targets follow from the
position; the lines and tags are the UI's to know, and it hands their times over
(``Player.set_likely_targets``). While the player is paused and idle its engine thread
decodes those targets' frames, one small step at a time (a pop with a short timeout), so
that any command is handled within ~20 ms; the frames go into the frame ring, where the
seek then finds its exact frame at once. A seek to a target still being fetched takes that
decoder over instead of starting another.
"""

from __future__ import annotations

import queue
import subprocess
import time
from collections.abc import Sequence

from review_tui.media.keyframes import lower_priority
from review_tui.media.pictures import SeekPictures
from review_tui.media.video import FrameGrid, VideoDecoder
from review_tui.model import MediaInfo

# The seek keys' steps (bindings.py): → and ← ±5 s, shift+→ +30 s, in the order pressed most.
LIKELY_STEPS_MS = (5000, -5000, 30000)
# Frames kept before each target as well, as a paused seek keeps them (frame-back).
LEAD_FRAMES = 12
STEP_TIMEOUT_S = 0.02
# After a plan (a command, new hints) nothing is started for this long: the command's picture
# is being drawn and written to the terminal on the UI's thread, and starting an ffmpeg (a
# fork and exec) or handing the UI a ready frame to draw ahead takes the interpreter's lock
# from it (traced in a 160x45 pty: a paused seek's screen update reached the terminal 2-8 ms
# later when a prefetch decoder started meanwhile). A human's next key is far later than this.
HOLD_AFTER_PLAN_S = 0.04


def planned_times(position_ms: int, likely_ms: Sequence[int]) -> list[int]:
    """The times to fetch, in order: the seek keys' and the UI's hints taken in turn (+5 s,
    the first hint, -5 s, the second, +30 s, the rest), so one of each gesture is ready
    before the second of any; duplicates are left for the caller to drop."""
    steps = [position_ms + step for step in LIKELY_STEPS_MS]
    hints = list(likely_ms)
    ordered: list[int] = []
    for turn in range(max(len(steps), len(hints))):
        ordered += steps[turn : turn + 1] + hints[turn : turn + 1]
    return ordered


class Prefetcher:
    """Engine-thread only."""

    def __init__(self, media: MediaInfo, grid: FrameGrid, pictures: SeekPictures) -> None:
        self.media = media
        self.grid = grid
        self.pictures = pictures
        self._targets: list[int] = []
        self._size: tuple[int, int] = (0, 0)
        self._decoder: VideoDecoder | None = None
        self._target: int | None = None
        self._held_until = 0.0

    def plan(
        self,
        position_ms: int,
        duration_ms: int,
        size: tuple[int, int],
        likely_ms: Sequence[int] = (),
    ) -> None:
        """Fetch the targets of the seek keys from ``position_ms`` (the same arithmetic as
        ``Player.seek_relative``) and the times in ``likely_ms`` (the UI's lines and tags,
        most likely first), instead of whatever was planned before. A fetch under way for a
        target still wanted goes on."""
        targets = [self._index(ms, duration_ms) for ms in planned_times(position_ms, likely_ms)]
        here = self._index(position_ms, duration_ms)
        targets = [target for target in dict.fromkeys(targets) if target != here]
        decoder, target = self._decoder, self._target
        if decoder is not None and target in targets and size == self._size and not decoder.ended:
            targets.remove(target)  # on its way already: keep that decoder
        else:
            self._stop_current()
        self._size = size
        self._targets = targets
        self._held_until = time.monotonic() + HOLD_AFTER_PLAN_S

    def held_s(self) -> float:
        """Seconds before :meth:`step` will start anything new (0: it may now)."""
        if self._decoder is not None or not self._targets:
            return 0.0
        return max(0.0, self._held_until - time.monotonic())

    def _index(self, ms: int, duration_ms: int) -> int:
        clamped = min(max(0, int(ms)), duration_ms)
        return min(self.grid.index_at(clamped), self.grid.last_index(duration_ms))

    @property
    def targets(self) -> list[int]:
        """Grid indexes still to fetch, in order (the one being fetched not included)."""
        return list(self._targets)

    @property
    def pending(self) -> bool:
        return self._decoder is not None or bool(self._targets)

    @property
    def process(self) -> subprocess.Popen | None:
        return self._decoder.process if self._decoder is not None else None

    def step(self) -> None:
        """Start the next target's decode, or take one frame of the current one. The caller
        waits out :meth:`held_s` first (so that a command meanwhile wakes it)."""
        if self._decoder is None and not self.pictures.released.is_set():
            self.pictures.released.wait(STEP_TIMEOUT_S)  # the UI is still starting
            return
        strip = self.pictures.strip
        if self._decoder is None and strip is not None and not strip.done.is_set():
            # The keyframe pictures first (a picture for any seek): one niced ffmpeg at a
            # time beside the player's own, not two (measured: ~35 MB more at start-up).
            strip.done.wait(STEP_TIMEOUT_S)
            return
        if self._decoder is None:
            while self._targets:
                target = self._targets.pop(0)
                kept = self.pictures.exact(target, self._size)
                if kept is not None:
                    self.pictures.announce(kept)  # in the ring already: only its cells to draw
                else:
                    start = max(0, target - LEAD_FRAMES)
                    self._decoder = VideoDecoder(
                        self.media, start_ms=self.grid.start_ms(start), size=self._size
                    )
                    # A guess must never slow the answer to a key: below the UI's priority.
                    lower_priority(self._decoder.process)
                    self._target = target
                    return
            return
        decoder, target = self._decoder, self._target
        assert target is not None
        index = decoder.next_index
        try:
            frame = decoder.pop(timeout=STEP_TIMEOUT_S)
        except queue.Empty:
            return
        if frame is not None:
            self.pictures.keep(index, frame)
            if index == target:
                self.pictures.announce(frame)
        if frame is None or index >= target:
            self._stop_current()

    def take(self, target: int, size: tuple[int, int]) -> VideoDecoder | None:
        """The decoder on its way to ``target`` at ``size``, handed over (or None)."""
        decoder = self._decoder
        if decoder is None or self._target != target or size != self._size or decoder.ended:
            return None
        if decoder.next_index > target:
            return None
        self._decoder, self._target = None, None
        return decoder

    def _stop_current(self) -> None:
        decoder, self._decoder, self._target = self._decoder, None, None
        if decoder is not None:
            decoder.close()

    def close(self) -> None:
        self._targets = []
        self._stop_current()
