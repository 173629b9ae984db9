"""Video frames of a given pixel size from time T, each with its presentation time.

Frames live on the source's frame grid: frame ``n`` is shown from ``n / fps``. ffmpeg seeks
to the keyframe before T (input ``-ss``), decodes forward, and the ``fps`` filter, running
on the file's own timestamps (``-copyts -start_at_zero``), hands out exactly one picture
per grid slot from slot ``n0 = floor(T * fps)`` on: the picture on screen at that slot. So
output frame ``k`` is grid frame ``n0 + k`` and its pts needs no guessing — and a file with
a variable frame rate is shown on the same regular grid.

Rotation: ffmpeg turns the picture upright itself (autorotate is on by default), so we
scale to the display size (sample aspect ratio and rotation applied) and mark the pixels
square with ``setsar=1``.
"""

from __future__ import annotations

import math
import queue
import subprocess
import threading
from dataclasses import dataclass

import ffmpeg as ffmpeg_python

from review_tui.media import ffmpeg
from review_tui.model import MediaError, MediaInfo, VideoStream

# Frames decoded ahead of the one on screen: enough to ride out a slow frame, small enough
# that memory stays flat on a two-hour file.
QUEUE_FRAMES = 4
# Decoder threads. One: measured on 720p25 and 1080p30 camera-like files, one thread decodes
# as fast as two here (frame threading adds a frame of latency and its own buffers) and
# keeps ~13 MB less at 1080p; a second ffmpeg (audio) and the UI share the two cores anyway.
DECODE_THREADS = 1
# Seek this many grid frames before the wanted one, so that rounding of the seek point can
# never drop the frame we want.
SEEK_MARGIN_FRAMES = 1.5
# From this much downscaling on, the h264 deblocking filter's work is invisible after the
# scaler has averaged blocks together; skipping it makes a seek ~15% quicker.
SKIP_DEBLOCK_SCALE = 4
# glibc's malloc set up for the long-lived ffmpeg processes (the decoders, the sound, the
# keyframe pictures), through the environment glibc reads at their start: ffmpeg runs a
# thread per stage (demuxer, decoder, filter graph, encoder, muxer), and glibc gives each
# thread an arena of its own that keeps its freed pages; and it raises its mmap threshold
# after the first large free, so that later large buffers land in those arenas too. One
# arena, threshold held at glibc's own starting value (128 KiB). Measured at 2x on the 720p
# camera file: the video decoder's private memory 21.7 -> 19.2 MB, the sound process's
# 11.4 -> 9.3 MB; 1080p30 decodes as fast (600 frames in 1.1-1.3 s either way).
STREAM_MALLOC_ENV = {"MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_THRESHOLD_": "131072"}


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded picture, scaled to the pane."""

    pts_ms: int  # presentation time of this frame
    width: int  # pixels (= terminal cells across for half-block drawing)
    height: int  # pixels (= 2 x cell rows for half-block drawing)
    rgb: bytes  # width*height*3 bytes, row-major RGB24


@dataclass(frozen=True, slots=True)
class FrameGrid:
    """The regular grid of frame start times at ``fps``."""

    fps: float

    @property
    def period_ms(self) -> float:
        return 1000.0 / self.fps

    def index_at(self, ms: int) -> int:
        """The frame on screen at ``ms``."""
        # The tolerance absorbs float error at exact boundaries (e.g. 1001/30000 steps).
        return max(0, math.floor(ms * self.fps / 1000.0 + 1e-6))

    def start_ms(self, index: int) -> int:
        """The first whole millisecond at which frame ``index`` is on screen."""
        return max(0, math.ceil(index * 1000.0 / self.fps - 1e-6))

    def last_index(self, duration_ms: int) -> int:
        return max(0, math.ceil(duration_ms * self.fps / 1000.0 - 1e-6) - 1)


def fit_size(stream: VideoStream, box_width: int, box_height: int) -> tuple[int, int]:
    """The largest picture inside the box with the display aspect; height is kept even so
    that it maps onto whole half-block cell rows."""
    aspect = stream.aspect
    width = max(1, box_width)
    height = round(width / aspect)
    if height > box_height:
        height = max(1, box_height)
        width = max(1, round(height * aspect))
    if height > 1:
        height -= height % 2
    return width, height


def frame_stream(
    media: MediaInfo, first_index: int, width: int, height: int, *, keyframes_only: bool = False
):
    """The ffmpeg command (an ffmpeg-python node) writing grid frames ``first_index``,
    ``first_index + 1``, ... as rgb24 at ``width`` x ``height`` to stdout.

    ``keyframes_only`` decodes only keyframes (for scrubbing): much faster, and each picture
    is then the last keyframe at or before its slot.
    """
    assert media.video is not None
    fps = media.video.fps
    seek_s = max(0.0, (first_index - SEEK_MARGIN_FRAMES) / fps)
    input_options: dict = {
        "ss": f"{seek_s:.6f}",
        "copyts": None,
        "start_at_zero": None,
        "threads": DECODE_THREADS,
    }
    if width * SKIP_DEBLOCK_SCALE <= media.video.display_size[0]:
        input_options["skip_loop_filter"] = "all"
    if keyframes_only:
        # The keyframe before the seek point is the picture we want, so ffmpeg must not
        # drop it as "before the start".
        input_options.update(skip_frame="nokey", noaccurate_seek=None)
    # Scaled before the fps filter: that filter holds a frame back to choose each slot's
    # picture, and it then holds a pane-sized one instead of a full-size one (measured: the
    # 720p decoder's private memory 19.5 -> 18.2 MB; 3 MB at 1080p). Scaling is per picture,
    # so the pictures are the same either way.
    picture = (
        ffmpeg_python.input(ffmpeg.input_url(media.path), **input_options)["v:0"]
        .filter("scale", width, height, flags="fast_bilinear")
        .filter("fps", fps=f"{fps:.6f}", start_time=f"{first_index / fps:.6f}")
        .filter("setsar", 1)
    )
    # The fps filter already made the rate regular; the muxer must not add or drop frames.
    return picture.output(
        "pipe:", format="rawvideo", pix_fmt="rgb24", an=None, sn=None, fps_mode="passthrough"
    )


class VideoDecoder:
    """One ffmpeg process decoding grid frames from the frame on screen at ``start_ms`` on,
    read by a thread into a small queue; :meth:`pop` takes them in order."""

    def __init__(
        self,
        media: MediaInfo,
        *,
        start_ms: int,
        size: tuple[int, int],
        queue_frames: int = QUEUE_FRAMES,
        keyframes_only: bool = False,
    ) -> None:
        if media.video is None:
            raise MediaError(f"{media.path.name}: no video stream to decode")
        self.grid = FrameGrid(media.video.fps)
        self.width, self.height = size
        self.first_index = self.grid.index_at(start_ms)
        self._frames: queue.Queue[Frame | None] = queue.Queue(maxsize=queue_frames)
        self._stop = threading.Event()
        self._delivered_end = False
        self._next_index = self.first_index
        self._peeked: Frame | None = None
        command = frame_stream(
            media, self.first_index, self.width, self.height, keyframes_only=keyframes_only
        )
        try:
            self.process = open_stream(command)
        except OSError as error:
            raise MediaError(f"{media.path.name}: cannot start ffmpeg ({error})") from None
        self._reader = threading.Thread(target=self._read, name="video-reader", daemon=True)
        self._reader.start()

    @property
    def next_index(self) -> int:
        """Grid index of the next frame :meth:`pop` will return."""
        return self._next_index

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    def _read(self) -> None:
        frame_bytes = self.width * self.height * 3
        index = self.first_index
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while not self._stop.is_set():
                data = read_exactly(stdout, frame_bytes)
                if data is None:
                    break
                frame = Frame(self.grid.start_ms(index), self.width, self.height, data)
                if not self._put(frame):
                    return
                index += 1
        except (OSError, ValueError):
            pass  # the pipe was closed under us by close()
        self._put(None)

    def _put(self, item: Frame | None) -> bool:
        while not self._stop.is_set():
            try:
                self._frames.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def peek(self, timeout: float | None = None) -> Frame | None:
        """The next frame without taking it, waiting up to ``timeout`` seconds (0: not at
        all). ``None`` at the end of the file; :class:`queue.Empty` if nothing came in time."""
        if self._peeked is None and not self._delivered_end:
            item = self._frames.get(timeout=timeout) if timeout != 0 else self._frames.get_nowait()
            if item is None:
                self._delivered_end = True
            self._peeked = item
        return self._peeked

    def pop(self, timeout: float | None = None) -> Frame | None:
        """Take the next frame (see :meth:`peek`)."""
        frame = self.peek(timeout)
        if frame is not None:
            self._peeked = None
            self._next_index += 1
        return frame

    @property
    def ended(self) -> bool:
        return self._delivered_end

    def close(self) -> None:
        """Stop the reader and the ffmpeg process; safe to call twice."""
        self._stop.set()
        try:
            while True:  # a reader blocked on the full queue is free to see the stop at once
                self._frames.get_nowait()
        except queue.Empty:
            pass
        stop_ffmpeg(self.process, self._reader)


def open_stream(command) -> subprocess.Popen[bytes]:
    """Start a long-lived ffmpeg command (an ffmpeg-python node), stdout piped, with
    :data:`STREAM_MALLOC_ENV` in its environment."""
    return ffmpeg.popen(command, extra_env=STREAM_MALLOC_ENV)


def stop_ffmpeg(process: subprocess.Popen, reader: threading.Thread) -> None:
    """Kill an ffmpeg that streams into a pipe and wait for it and for its reader thread."""
    if process.poll() is None:
        process.kill()
    process.wait()
    # The reader sees end-of-pipe once ffmpeg is gone; close the pipe only after it left.
    reader.join(timeout=2.0)
    if process.stdout is not None:
        process.stdout.close()


def read_exactly(stream, count: int) -> bytes | None:
    """``count`` bytes from a pipe, or None if it ends first."""
    buffer = bytearray(count)
    view = memoryview(buffer)
    filled = 0
    while filled < count:
        got = stream.readinto(view[filled:])
        if not got:
            return None
        filled += got
    return bytes(buffer)
