"""The playback engine: one clock, one video decoder, one audio output, behind a small API.

Threading model — why each thread exists:

* **The caller's thread** (the UI's main thread) only changes intentions: a command moves
  the clock at once (so ``position_ms()`` is right the moment the command returns), records
  what the pipelines must become (a request counter) and wakes the engine. It never waits
  for ffmpeg, so a key press never stalls the UI. A seek also puts the best picture already
  in memory on screen before it returns (pictures.py): the exact frame if the frame ring
  holds it, else the kept keyframe or frame closest in time to the target.
* **The engine thread** (``player``) makes the pipelines match the intentions: it starts and
  stops the ffmpeg processes after a seek, a speed change, play or pause, fetches the
  exact still frame after a paused seek (it replaces any stand-in: paused, an inexact picture
  never stays), and while playing hands each video frame over when the clock reaches its
  pts (from the frame ring when it holds it, so a replay needs no decode; dropping frames
  that are already late), wraps A-B loops and stops at the end. Every frame it takes from a
  decoder goes into the ring. It is the only thread that touches the decoders.
  Paused and idle, it decodes the frames of the likely next seeks (the seek keys', and the
  lines and tags the UI names in ``set_likely_targets``) into the ring, a frame at a time
  between checks for commands (prefetch.py); a few seconds after that it closes its decoder.
* **The keyframe thread** (keyframes.py) decodes the file's keyframes once, niced, after
  the first picture is on screen.
* **The video reader thread** (one per decoder) reads raw frames from ffmpeg's pipe into a
  small bounded queue, so decoding runs ahead while the engine sleeps between frames.
* **The audio reader thread** (one per PCM stream) keeps under a second of decoded sound
  ready, because the device callback must never wait for a pipe.
* **miniaudio's device thread** calls back every 20 ms for sound and reports what it took
  to the clock: the sound card's pace is the playback's pace.

Reads (``position_ms``, ``latest_frame``, ``frame_serial``, ``playing``...) are single
attribute reads or go through the clock's lock, so the UI may poll them at any rate.
"""

from __future__ import annotations

import subprocess
import threading
import time

from review_tui.media.audio import MAX_SPEED, MIN_SPEED, AudioOutput, PcmStream
from review_tui.media.clock import PlaybackClock
from review_tui.media.malloc import fewer_malloc_arenas
from review_tui.media.pictures import DEFAULT_STRIP_MB, SeekPictures
from review_tui.media.prefetch import Prefetcher
from review_tui.media.video import Frame, FrameGrid, VideoDecoder, fit_size
from review_tui.media.video_engine import KEEP_WARM_S, TICK_S, VideoPipeline
from review_tui.model import MediaInfo

__all__ = ["Frame", "Player"]

# Frame step when there is no video to step through.
STEP_WITHOUT_VIDEO_MS = 40
# Picture size until the UI says how big its pane is.
DEFAULT_BOX = (160, 90)


class Player(VideoPipeline):
    """Plays ``media`` (or, with ``media=None``, just keeps time over ``duration_ms`` for a
    transcript-only session). See the module docstring for the threads."""

    def __init__(
        self,
        media: MediaInfo | None,
        *,
        duration_ms: int,
        audio: str = "auto",
        start_ms: int = 0,
        wait_for_size: bool = False,
        ring_mb: float | None = None,  # None: the default bound (pictures.py)
        keyframes_mb: float = DEFAULT_STRIP_MB,
        prefetch: bool = True,
        hold_background: bool = False,  # no keyframe pictures nor prefetch until release_background
    ) -> None:
        fewer_malloc_arenas()  # before the player's threads exist
        self.media = media
        self._duration_ms = max(0, int(duration_ms))
        video = media.video if media is not None else None
        self._grid = FrameGrid(video.fps) if video is not None else None
        self._pictures = (
            SeekPictures(media, ring_mb=ring_mb, keyframes_mb=keyframes_mb)
            if video is not None
            else None
        )
        if hold_background and self._pictures is not None:
            self._pictures.hold()
        self._prefetcher = (
            Prefetcher(media, self._grid, self._pictures)
            if prefetch and media is not None and self._grid is not None and self._pictures is not None
            else None
        )
        has_sound = media is not None and media.audio is not None
        self._output = AudioOutput(audio if has_sound else "off")
        if audio == "off":
            self._audio_status = "audio off"
        elif not has_sound:
            self._audio_status = "no audio stream"
        else:
            self._audio_status = self._output.status
        start = self._clamp(start_ms)
        self._clock = PlaybackClock(position_ms=start, audio_driven=self._output.enabled)
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._playing = False
        self._speed = 1.0
        self._loop: tuple[int, int | None] | None = None
        self._size = fit_size(video, *DEFAULT_BOX) if video is not None else (0, 0)
        # Bumped when the picture must be fetched again. With ``wait_for_size`` the first
        # picture waits for set_video_size: a UI knows its pane only once laid out, and a
        # first decode at a default size would be thrown away (measured: ~0.3 s of start-up).
        self._video_request = 0 if wait_for_size else 1
        self._audio_request = 1  # bumped when the sound must be restarted or stopped
        self._likely_ms: tuple[int, ...] = ()  # set_likely_targets
        self._hints_request = 0  # bumped when those change
        self._frame: Frame | None = None
        self._frame_serial = 0
        self._closed = False
        self.error: str | None = None  # the last failure of the engine, for the UI to show
        self.stats = {
            "frames_shown": 0,
            "frames_dropped": 0,
            "video_starts": 0,
            "audio_starts": 0,
            "answered_exact": 0,  # seeks whose exact frame was on screen when seek() returned
            "answered_stand_in": 0,  # seeks that showed a stand-in first
        }
        # Engine-thread state.
        self._decoder: VideoDecoder | None = None
        self._previous_ms = start
        self._thread = threading.Thread(target=self._run, name="player", daemon=True)
        self._thread.start()

    # --- reads (any thread) ----------------------------------------------------

    def position_ms(self) -> int:
        return self._clamp(self._clock.position_ms())

    def latest_frame(self) -> Frame | None:
        return self._frame

    @property
    def frame_serial(self) -> int:
        return self._frame_serial

    def picture_is_exact(self) -> bool:
        """Whether the picture on screen is the frame at the position (False for a seek's
        stand-in until the exact frame replaces it)."""
        frame, grid = self._frame, self._grid
        if frame is None or grid is None:
            return frame is None
        return grid.index_at(frame.pts_ms) == self._target_index()

    def memory_bytes(self) -> int:
        """Bytes of decoded pictures kept for seeks (the frame ring and keyframes)."""
        return self._pictures.nbytes if self._pictures is not None else 0

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def loop(self) -> tuple[int, int | None] | None:
        return self._loop

    @property
    def duration_ms(self) -> int:
        return self._duration_ms

    @property
    def audio_status(self) -> str:
        return self._audio_status

    @property
    def frame_period_ms(self) -> float:
        """Length of one video frame (the step of :meth:`step_frame`)."""
        return self._grid.period_ms if self._grid else float(STEP_WITHOUT_VIDEO_MS)

    @property
    def video_size(self) -> tuple[int, int]:
        """Pixel size frames are decoded at; (0, 0) without video."""
        return self._size

    def level(self) -> float:
        return self._output.level() if self._playing else 0.0

    def _clamp(self, ms: int) -> int:
        return min(max(0, int(ms)), self._duration_ms)

    # --- commands (caller's thread) -------------------------------------------

    def play(self) -> None:
        with self._wake:
            if self._closed or self._playing:
                return
            if self.position_ms() >= self._duration_ms:
                restart = self._loop[0] if self._loop else 0
                self._clock.seek(restart)
                self._video_request += 1
            self._playing = True
            self._clock.play()
            self._audio_request += 1
            self._wake.notify_all()

    def pause(self) -> None:
        with self._wake:
            if not self._playing:
                return
            self._playing = False
            self._clock.pause()
            self._audio_request += 1
            # Paused where playback left off, the seek keys' targets are new guesses: fetch them
            # (the replan an unchanged set of UI hints would not ask for).
            self._hints_request += 1
            self._wake.notify_all()

    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def seek(self, ms: int) -> None:
        with self._wake:
            if self._closed:
                return
            self._clock.seek(self._clamp(ms))
            self._video_request += 1
            self._audio_request += 1
            self._answer_from_memory()
            self._wake.notify_all()

    def seek_relative(self, delta_ms: int) -> None:
        self.seek(self.position_ms() + int(delta_ms))

    def step_frame(self, direction: int) -> None:
        self.pause()
        sign = 1 if direction > 0 else -1
        position = self.position_ms()
        if self._grid is None:
            self.seek(position + sign * STEP_WITHOUT_VIDEO_MS)
            return
        last = self._grid.last_index(self._duration_ms)
        index = min(max(0, self._grid.index_at(position) + sign), last)
        self.seek(self._grid.start_ms(index))

    def set_speed(self, speed: float) -> None:
        speed = min(max(float(speed), MIN_SPEED), MAX_SPEED)
        with self._wake:
            if speed == self._speed:
                return
            self._speed = speed
            self._clock.set_speed(speed)
            self._audio_request += 1
            self._wake.notify_all()

    def cycle_loop(self) -> tuple[int, int | None] | None:
        position = self.position_ms()
        with self._lock:
            if self._loop is None:
                self._loop = (position, None)
            elif self._loop[1] is None:
                start = self._loop[0]
                if position != start:  # a loop of no length would only ever jump
                    self._loop = (min(start, position), max(start, position))
            else:
                self._loop = None
            return self._loop

    def replay(self, back_ms: int = 5000) -> None:
        self.seek(self.position_ms() - int(back_ms))
        self.play()

    def set_ready_frame_hook(self, hook) -> None:
        """``hook(frame)`` is called, from the engine thread, with each frame held ready for a
        likely seek while paused (its own exact frame), so the UI can draw it ahead."""
        if self._pictures is not None:
            self._pictures.on_ready = hook

    def set_video_size(self, width_px: int, height_px: int) -> None:
        if self.media is None or self.media.video is None:
            return
        size = fit_size(self.media.video, max(1, width_px), max(1, height_px))
        with self._wake:
            if size == self._size and self._video_request:  # request 0: waiting for this very call
                return
            self._size = size
            self._video_request += 1
            self._wake.notify_all()

    def close(self) -> None:
        with self._wake:
            if self._closed:
                return
            self._closed = True
            self._playing = False
            self._clock.pause()
            self._wake.notify_all()
        self._thread.join(timeout=5.0)
        self._output.close()

    def live_processes(self) -> list[subprocess.Popen]:
        """The ffmpeg processes currently owned (``subprocess.Popen``), for tests and doctor."""
        found = [self._decoder.process] if self._decoder is not None else []
        source = self._output.current_source()
        if source is not None:
            found.append(source.process)
        keyframes = self._pictures.live_process() if self._pictures is not None else None
        prefetching = self._prefetcher.process if self._prefetcher is not None else None
        found += [process for process in (keyframes, prefetching) if process is not None]
        return found

    # --- engine thread -------------------------------------------------------

    def _run(self) -> None:
        video_done = audio_done = hints_done = 0
        busy_at = time.monotonic()
        try:
            while True:
                with self._wake:
                    if self._closed:
                        return
                    video_request, audio_request = self._video_request, self._audio_request
                    playing = self._playing
                    idle = (video_request, audio_request) == (video_done, audio_done) and not playing
                    # Not before the first picture: its size is not known yet.
                    replan = idle and video_done > 0 and self._hints_request != hints_done
                    if replan:
                        hints_done = self._hints_request
                    resting = idle and not replan and not (self._prefetcher is not None and self._prefetcher.pending)
                    held_s = self._prefetcher.held_s() if idle and not replan and not resting else 0.0
                    if held_s > 0:  # the command's picture is going out: see prefetch.py
                        self._wake.wait(held_s)
                        continue
                    if not resting:
                        busy_at = time.monotonic()
                    else:
                        warm_left = KEEP_WARM_S - (time.monotonic() - busy_at)
                        if self._decoder is None or warm_left > 0:
                            self._wake.wait(0.5 if self._decoder is None else min(0.5, warm_left))
                            continue
                if resting:  # paused a while: the kept decoder's ffmpeg costs more than it saves
                    self._rest_decoder()
                    continue
                if replan:  # new lines and tags around the position: fetch those too
                    self._plan_prefetch()
                    continue
                if idle:  # paused with nothing asked: fetch the likely next seeks' frames
                    try:
                        self._prefetcher.step()
                    except Exception as error:  # noqa: BLE001 - a helper: seeks work without it
                        self.error = str(error) or type(error).__name__
                        self._prefetcher.close()
                    continue
                try:
                    if audio_request != audio_done:
                        audio_done = audio_request
                        self._restart_audio()
                    if video_request != video_done:
                        video_done = video_request
                        self._restart_video(video_request)
                        self._previous_ms = self.position_ms()
                    wait_s = self._advance() if playing else 0.0
                except Exception as error:  # noqa: BLE001 - the one place engine failures surface
                    self.error = str(error) or type(error).__name__
                    wait_s = 0.2
                with self._wake:
                    pending = (self._video_request, self._audio_request) != (video_done, audio_done)
                    if wait_s > 0 and not pending and not self._closed:
                        self._wake.wait(wait_s)
        finally:
            if self._prefetcher is not None:
                self._prefetcher.close()
            decoder, self._decoder = self._decoder, None
            if decoder is not None:
                decoder.close()
            source = self._output.detach()
            if source is not None:
                source.close()
            if self._pictures is not None:
                self._pictures.close()

    def _restart_audio(self) -> None:
        old = self._output.detach()
        if old is not None:
            old.close()
        if not self._playing or not self._output.enabled or self.media is None:
            return
        # An audio-driven clock stands still until the source is attached, so this position
        # is where the sound will start.
        source = PcmStream(self.media.path, self._clock.position_ms(), self._speed)
        self.stats["audio_starts"] += 1
        self._output.attach(source, self._clock)

    def _advance(self) -> float:
        """One tick of playback; returns how long to sleep before the next."""
        position = self.position_ms()
        previous, self._previous_ms = self._previous_ms, position
        loop = self._loop
        # "<=" on the left: play started exactly at B (the loop just set there) loops too.
        if loop is not None and loop[1] is not None and previous <= loop[1] <= position and position > previous:
            self.seek(loop[0])
            return 0.0
        wait_s = TICK_S
        if self._grid is not None and self._pictures is not None:
            wait_s = self._advance_video(position)
        if position >= self._duration_ms:
            self._stop_at_end()
            return 0.0
        return max(0.001, wait_s)

    def _publish(self, frame: Frame, *, dropped: int, request: int | None = None) -> None:
        with self._lock:
            if request is not None and request != self._video_request:
                return  # a newer seek already put its own picture up
            self._frame = frame
            self._frame_serial += 1
        self.stats["frames_shown"] += 1
        self.stats["frames_dropped"] += dropped
