"""What the player can show without waiting for ffmpeg: the frame ring and the keyframe strip.

A seek is answered from here in the caller's thread, before the engine has started any
ffmpeg: the exact frame if the ring holds it (a replay of the last seconds), else the picture closest in time to the
target that the ring or the keyframe strip holds (usually a keyframe next to it). The engine then decodes the exact frame and replaces
the stand-in; see player.py.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from review_tui.media.frame_ring import DEFAULT_RING_MB, DEFAULT_RING_S, FrameRing
from review_tui.media.keyframes import DEFAULT_STRIP_MB, KeyframeStrip
from review_tui.media.video import Frame
from review_tui.model import MediaInfo

MB = 1024 * 1024

__all__ = ["DEFAULT_RING_MB", "DEFAULT_RING_S", "DEFAULT_STRIP_MB", "SeekPictures"]


class SeekPictures:
    def __init__(self, media: MediaInfo, *, ring_mb: float | None, keyframes_mb: float) -> None:
        """``ring_mb`` None: the default bound, in bytes and in seconds of frames."""
        self.media = media
        if ring_mb is None:
            fps = media.video.fps if media.video is not None else 25.0
            self.ring = FrameRing(int(DEFAULT_RING_MB * MB), max_frames=math.ceil(DEFAULT_RING_S * fps))
        else:
            self.ring = FrameRing(int(ring_mb * MB))
        self.keyframes_bytes = int(keyframes_mb * MB)
        self.strip: KeyframeStrip | None = None
        # Background decoding (the keyframe strip, and the prefetch that waits for it) may be
        # held back until the UI has painted its first screen: started earlier, its reader
        # thread and ffmpeg compete with the UI's start-up for the same two cores.
        self.released = threading.Event()
        self.released.set()
        self._wanted_strip: tuple[int, int] | None = None
        self._strip_lock = threading.Lock()
        # Told of each frame held ready for a likely seek (prefetch.py), from the engine
        # thread: the UI draws its cells ahead, so that seek only hands them over.
        self.on_ready: Callable[[Frame], None] | None = None

    def announce(self, frame: Frame) -> None:
        """``frame`` is the exact frame of a likely next seek, in memory now."""
        hook = self.on_ready
        if hook is not None:
            try:
                hook(frame)
            except Exception:  # noqa: BLE001 - drawing ahead is a help: seeks work without it
                self.on_ready = None

    def hold(self) -> None:
        """Start no background decoding until :meth:`release`."""
        self.released.clear()

    def release(self) -> None:
        with self._strip_lock:
            self.released.set()
            wanted, self._wanted_strip = self._wanted_strip, None
        if wanted is not None:
            self.ensure_strip(wanted)

    def exact(self, index: int, size: tuple[int, int]) -> Frame | None:
        return self.ring.get(index, size)

    def stand_in(self, index: int, size: tuple[int, int]) -> Frame | None:
        """The picture held closest in time to ``index`` at ``size``, before or after it: a
        forward jump from early in a long GOP shows the next keyframe, not the old picture."""
        found = self.ring.nearest(index, size)
        strip = self.strip
        if strip is not None and strip.size == size:
            keyframe = strip.nearest(index)
            if keyframe is not None and (found is None or abs(keyframe[0] - index) < abs(found[0] - index)):
                found = keyframe
        return found[1] if found is not None else None

    def keep(self, index: int, frame: Frame) -> None:
        self.ring.put(index, frame)

    def decode_from(self, index: int, size: tuple[int, int]) -> int:
        """The first frame from ``index`` on that the ring does not hold."""
        return self.ring.run_end(index, size) + 1

    def ensure_strip(self, size: tuple[int, int]) -> None:
        """Start decoding the keyframes at ``size`` unless that is done or under way (or,
        while held, once released)."""
        with self._strip_lock:
            if not self.released.is_set():
                self._wanted_strip = size
                return
            if self.keyframes_bytes <= 0 or (self.strip is not None and self.strip.size == size):
                return
            old, self.strip = self.strip, KeyframeStrip(self.media, size, self.keyframes_bytes)
        if old is not None:
            old.close()

    def live_process(self):
        strip = self.strip
        process = strip.process if strip is not None else None
        return process if process is not None and process.poll() is None else None

    @property
    def nbytes(self) -> int:
        strip = self.strip
        return self.ring.nbytes + (strip.nbytes if strip is not None else 0)

    def close(self) -> None:
        strip, self.strip = self.strip, None
        if strip is not None:
            strip.close()
        self.ring.clear()
