"""The file's keyframes, decoded once at the pane's size in the background: a picture for any
seek at once.

A camera writes a keyframe every few seconds (often 10); an exact frame far from one takes
hundreds of milliseconds to decode, where a keyframe is a single cheap decode. So the player
keeps every keyframe's picture and, at a seek it has no exact frame for, shows the keyframe
before the target at once, then the exact frame when it is decoded.

Two ffmpeg runs, niced so that playback keeps the cores: one lists the key packets' times
(``-c copy`` into framecrc: packets are read, nothing is decoded), one decodes only the key
packets, scaled (``-discard nokey`` makes the mp4 demuxer skip the other samples unread). The n-th picture is
the n-th listed keyframe; if the counts disagree the pictures are not trusted and dropped.
The pictures are bounded in bytes: over the bound, every k-th keyframe is kept.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import subprocess
import threading
from fractions import Fraction

import ffmpeg as ffmpeg_python

from review_tui.media import ffmpeg
from review_tui.media.video import Frame, FrameGrid, open_stream, read_exactly, stop_ffmpeg
from review_tui.model import MediaInfo

DEFAULT_STRIP_MB = 8.0
# Below the player's own ffmpeg processes and the UI: this work only ever helps later seeks.
NICENESS = 10
LIST_TIMEOUT_S = 120.0
_TIMEBASE = re.compile(r"^#tb (\d+): (\d+)/(\d+)$")


def _keyframes_only() -> dict:
    # The demuxer drops what is not key (mp4: without reading it); it still lets the odd
    # first packet through, so the listing skips non-key lines and the decoder non-key frames.
    return {"discard": "nokey"}


def list_keyframes_ms(media: MediaInfo) -> list[int]:
    """Presentation times (ms, from the start of the file) of the video's keyframes."""
    # Every packet is listed, not only key ones: with B-frames, a demuxer told to drop the
    # others reports a keyframe at its decoding time instead of its presentation time.
    command = ffmpeg_python.input(ffmpeg.input_url(media.path)).output(
        "-", map="0:v:0", c="copy", f="framecrc"
    )
    process = ffmpeg.popen(command)
    lower_priority(process)
    try:
        listing, _ = process.communicate(timeout=LIST_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return []
    timebase: Fraction | None = None
    times: list[int] = []
    for line in listing.decode("ascii", "replace").splitlines():
        if line.startswith("#"):
            if match := _TIMEBASE.match(line):
                timebase = Fraction(int(match[2]), int(match[3]))
            continue
        columns = [column.strip() for column in line.split(",")]
        if timebase is None or len(columns) < 5 or any(c.startswith("F=") for c in columns[5:]):
            continue  # framecrc marks every packet that is not a plain keyframe with F=...
        try:
            pts = int(columns[2])
        except ValueError:
            continue
        if pts != -(2**63):  # a packet without a timestamp cannot be placed
            times.append(max(0, math.floor(pts * timebase * 1000)))
    return sorted(times)


def lower_priority(process: subprocess.Popen) -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, process.pid, NICENESS)
    except OSError:
        pass  # not allowed here: it still works, only less politely


def restore_priority(process: subprocess.Popen) -> None:
    """Back to our own priority (raising it again may be refused without privileges)."""
    try:
        os.setpriority(os.PRIO_PROCESS, process.pid, os.getpriority(os.PRIO_PROCESS, 0))
    except OSError:
        pass  # then it finishes at the lower priority


class KeyframeStrip:
    """Keyframe pictures of ``media`` at ``size``, filled by a thread of its own."""

    def __init__(self, media: MediaInfo, size: tuple[int, int], max_bytes: int) -> None:
        assert media.video is not None
        self.media = media
        self.size = size
        self.max_bytes = max(0, int(max_bytes))
        self.grid = FrameGrid(media.video.fps)
        self.keyframe_indexes: list[int] = []
        self._pictures: dict[int, Frame] = {}
        self._sorted: list[int] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._process: subprocess.Popen | None = None
        self.done = threading.Event()
        self.error: str | None = None
        self._thread = threading.Thread(target=self._fill, name="keyframes", daemon=True)
        self._thread.start()

    @property
    def process(self) -> subprocess.Popen | None:
        """The decoding ffmpeg, once started (for tests and the player's process list)."""
        return self._process

    @property
    def nbytes(self) -> int:
        return len(self._pictures) * self.size[0] * self.size[1] * 3

    def __len__(self) -> int:
        return len(self._pictures)

    def nearest(self, index: int) -> tuple[int, Frame] | None:
        """The kept keyframe picture closest in time to grid frame ``index``."""
        with self._lock:
            kept = self._sorted
            after = bisect.bisect_left(kept, index)
            candidates = kept[max(0, after - 1) : after + 1]
            if not candidates:
                return None
            found = min(candidates, key=lambda candidate: (abs(candidate - index), candidate))
            return found, self._pictures[found]

    def _fill(self) -> None:
        try:
            times = list_keyframes_ms(self.media)
            if self._stop.is_set() or not times:
                return
            self.keyframe_indexes = [self.grid.index_at(ms) for ms in times]
            frame_bytes = self.size[0] * self.size[1] * 3
            affordable = self.max_bytes // frame_bytes if frame_bytes else 0
            if affordable <= 0:
                return
            stride = max(1, math.ceil(len(times) / affordable))
            self._decode(stride, frame_bytes)
        except Exception as error:  # noqa: BLE001 - a helper: seeks work without it
            self.error = str(error) or type(error).__name__
        finally:
            self.done.set()

    def _decode(self, stride: int, frame_bytes: int) -> None:
        width, height = self.size
        command = (
            ffmpeg_python.input(ffmpeg.input_url(self.media.path), threads=1, skip_frame="nokey", **_keyframes_only())[
                "v:0"
            ]
            .filter("scale", width, height, flags="fast_bilinear")
            .filter("setsar", 1)
            .output("pipe:", format="rawvideo", pix_fmt="rgb24", an=None, sn=None, fps_mode="passthrough")
        )
        process = self._process = open_stream(command)
        lower_priority(process)
        found: dict[int, Frame] = {}
        count = 0
        stdout = process.stdout
        assert stdout is not None
        while not self._stop.is_set():
            data = read_exactly(stdout, frame_bytes)
            if data is None:
                break
            if count < len(self.keyframe_indexes) and count % stride == 0:
                index = self.keyframe_indexes[count]
                found[index] = Frame(self.grid.start_ms(index), width, height, data)
                with self._lock:  # publish as we go: the first seeks need not wait for all
                    self._pictures = dict(found)
                    self._sorted = sorted(found)
            count += 1
        if self._stop.is_set():
            return
        process.wait()
        if count != len(self.keyframe_indexes) and not self._stop.is_set():
            # The n-th picture is no longer known to be the n-th keyframe.
            with self._lock:
                self._pictures, self._sorted = {}, []
            self.error = f"keyframes: {count} pictures for {len(self.keyframe_indexes)} keyframes"

    def close(self) -> None:
        self._stop.set()
        process = self._process
        if process is not None:
            stop_ffmpeg(process, self._thread)
        self._thread.join(timeout=2.0)
