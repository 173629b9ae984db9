"""Pictures already decoded, kept by grid index so a seek back into them needs no ffmpeg.

Replaying the last seconds again and again is the core gesture of a supervision meeting;
every frame the player decodes (while playing, and at a paused seek) goes into a
:class:`FrameRing`, and `b`, `←` and frame-back inside it are answered from memory. The ring
holds one picture size (the pane's): a resize makes the old pictures useless, so they go.
It is bounded in bytes, and the picture stored longest ago leaves first — after a replay that
is the one furthest behind the position.

:class:`FrameRing` is shared by the caller's thread (a seek looks in it at once) and the
engine thread (which fills it), so every method takes its lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from review_tui.media.video import Frame

# Default bound, chosen against the memory target (app + ffmpeg <= 1.2x mpv): at most 8 MB
# (~7 s of a 160x90 picture) and at most 12 s of frames (two `b` presses back, the gesture
# the ring is for; 4.4 MB of the 94x52 picture of a 160x45 terminal at 25 fps, where 8 MB
# held 22 s). Measured: each MB of ring is a MB of the app's peak memory. A bound set by
# the user (frame_ring_mb) is in bytes only.
DEFAULT_RING_MB = 8.0
DEFAULT_RING_S = 12.0


class FrameRing:
    def __init__(self, max_bytes: int, max_frames: int | None = None) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self.max_frames = max_frames
        self._frames: OrderedDict[int, Frame] = OrderedDict()
        self._size: tuple[int, int] | None = None
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._frames)

    def indexes(self) -> list[int]:
        with self._lock:
            return sorted(self._frames)

    def put(self, index: int, frame: Frame) -> None:
        """Keep ``frame`` as grid frame ``index``; a picture of another size empties the ring."""
        cost = len(frame.rgb)
        with self._lock:
            size = (frame.width, frame.height)
            if size != self._size:
                self._frames.clear()
                self._bytes = 0
                self._size = size
            old = self._frames.pop(index, None)
            if old is not None:
                self._bytes -= len(old.rgb)
            if cost > self.max_bytes:
                return
            self._frames[index] = frame
            self._bytes += cost
            limit = self.max_frames
            while self._bytes > self.max_bytes or (limit is not None and len(self._frames) > limit):
                _, dropped = self._frames.popitem(last=False)
                self._bytes -= len(dropped.rgb)

    def get(self, index: int, size: tuple[int, int]) -> Frame | None:
        """Frame ``index`` at ``size``, if kept."""
        with self._lock:
            if size != self._size:
                return None
            return self._frames.get(index)

    def nearest(self, index: int, size: tuple[int, int]) -> tuple[int, Frame] | None:
        """The kept frame closest in time to ``index`` (the earlier one of two as close)."""
        with self._lock:
            if size != self._size or not self._frames:
                return None
            best = min(self._frames, key=lambda kept: (abs(kept - index), kept))
            return best, self._frames[best]

    def run_end(self, index: int, size: tuple[int, int]) -> int:
        """The last index of the unbroken run of kept frames from ``index`` on
        (``index - 1`` when ``index`` itself is not kept): where decoding must resume."""
        with self._lock:
            if size != self._size:
                return index - 1
            end = index
            while end in self._frames:
                end += 1
            return end - 1

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()
            self._bytes = 0
            self._size = None
