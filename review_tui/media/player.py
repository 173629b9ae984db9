"""The playback engine: one clock, one video decoder, one audio output, behind a small API.

Threading model — why each thread exists:

* **The caller's thread** (the UI's main thread) only changes intentions: a command moves
  the clock at once (so ``position_ms()`` is right the moment the command returns), records
  what the pipelines must become (a request counter) and wakes the engine. It never waits
  for ffmpeg, so a key press never stalls the UI.
* **The engine thread** (``player``) makes the pipelines match the intentions: it starts and
  stops the ffmpeg processes after a seek, a speed change, play or pause, fetches the
  still frame after a paused seek, and while playing hands each video frame over when the
  clock reaches its pts (dropping frames that are already late), wraps A-B loops and stops
  at the end. It is the only thread that touches the decoders, so they need no locks.
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

import queue
import subprocess
import threading

from review_tui.media.audio import MAX_SPEED, MIN_SPEED, AudioOutput, PcmStream
from review_tui.media.clock import PlaybackClock
from review_tui.media.video import (
    QUEUE_FRAMES,
    Frame,
    FrameGrid,
    VideoDecoder,
    fit_size,
)
from review_tui.model import MediaInfo

__all__ = ["Frame", "Player"]

# Frame step when there is no video to step through.
STEP_WITHOUT_VIDEO_MS = 40
# Picture size until the UI says how big its pane is.
DEFAULT_BOX = (160, 90)
# Longest the engine sleeps while playing: loop ends and the end of media are noticed
# within this, and a frame is never later than this.
TICK_S = 0.01
# How long a paused seek waits for its frame before giving up (a broken file).
STILL_TIMEOUT_S = 10.0


class Player:
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
    ) -> None:
        self.media = media
        self._duration_ms = max(0, int(duration_ms))
        video = media.video if media is not None else None
        self._grid = FrameGrid(video.fps) if video is not None else None
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
        self._frame: Frame | None = None
        self._frame_serial = 0
        self._closed = False
        self.error: str | None = None  # the last failure of the engine, for the UI to show
        self.stats = {"frames_shown": 0, "frames_dropped": 0, "video_starts": 0, "audio_starts": 0}
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

    def set_video_size(self, width_px: int, height_px: int) -> None:
        if self.media is None or self.media.video is None:
            return
        size = fit_size(self.media.video, max(1, width_px), max(1, height_px))
        with self._wake:
            if size == self._size:
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
        return found

    # --- engine thread -------------------------------------------------------

    def _run(self) -> None:
        video_done = audio_done = 0
        try:
            while True:
                with self._wake:
                    if self._closed:
                        return
                    video_request, audio_request = self._video_request, self._audio_request
                    playing = self._playing
                    if (video_request, audio_request) == (video_done, audio_done) and not playing:
                        self._wake.wait(0.5)
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
            decoder, self._decoder = self._decoder, None
            if decoder is not None:
                decoder.close()
            source = self._output.detach()
            if source is not None:
                source.close()

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

    def _restart_video(self, request: int) -> None:
        if self._grid is None or self.media is None:
            return
        last = self._grid.last_index(self._duration_ms)
        target = min(self._grid.index_at(self.position_ms()), last)
        if not self._can_reuse_decoder(target):
            old, self._decoder = self._decoder, None
            try:
                # The new ffmpeg starts first: stopping the old one overlaps its start-up.
                self._decoder = VideoDecoder(
                    self.media, start_ms=self._grid.start_ms(target), size=self._size
                )
            finally:
                if old is not None:
                    old.close()
            self.stats["video_starts"] += 1
        if not self._playing:
            self._show_still(target, request)

    def _can_reuse_decoder(self, target: int) -> bool:
        decoder = self._decoder
        if decoder is None or decoder.ended or decoder.size != self._size:
            return False
        on_screen = self._frame
        if target == decoder.next_index - 1:
            return on_screen is not None and self._grid.index_at(on_screen.pts_ms) == target
        return decoder.next_index <= target <= decoder.next_index + QUEUE_FRAMES

    def _show_still(self, target: int, request: int) -> None:
        """Take frames up to ``target`` and show the last: the picture at a paused seek."""
        decoder = self._decoder
        assert decoder is not None
        shown: Frame | None = None
        waited = 0.0
        while decoder.next_index <= target and waited < STILL_TIMEOUT_S:
            if self._video_request != request or self._closed:
                return  # superseded by a newer command: do not wait for a stale picture
            try:
                frame = decoder.pop(timeout=0.02)
            except queue.Empty:
                waited += 0.02
                continue
            if frame is None:
                break
            shown = frame
        if shown is not None:
            self._publish(shown, dropped=0)

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
        decoder = self._decoder
        if decoder is not None:
            due: Frame | None = None
            taken = 0
            while True:
                try:
                    upcoming = decoder.peek(timeout=0)
                except queue.Empty:
                    break
                if upcoming is None:
                    break
                if upcoming.pts_ms > position:
                    wait_s = min(TICK_S, (upcoming.pts_ms - position) / 1000.0 / self._speed)
                    break
                due = decoder.pop(timeout=0)
                taken += 1
            if due is not None:
                self._publish(due, dropped=taken - 1)
        if position >= self._duration_ms:
            self._stop_at_end()
            return 0.0
        return max(0.001, wait_s)

    def _stop_at_end(self) -> None:
        with self._wake:
            if not self._playing:
                return
            self._playing = False
            self._clock.pause()
            self._clock.seek(self._duration_ms)
            self._audio_request += 1
            frame = self._frame
            if self._grid is not None and (
                frame is None
                or self._grid.index_at(frame.pts_ms) < self._grid.last_index(self._duration_ms)
            ):
                self._video_request += 1  # show the last picture, not the last one we kept up with

    def _publish(self, frame: Frame, *, dropped: int) -> None:
        with self._lock:
            self._frame = frame
            self._frame_serial += 1
        self.stats["frames_shown"] += 1
        self.stats["frames_dropped"] += dropped
