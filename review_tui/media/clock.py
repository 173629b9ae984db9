"""The one playback clock: where in the recording we are, in milliseconds.

With audio, the sound card is the master: the position is the start position plus the audio
the device has really played, i.e. the frames its callback took minus the frames still
waiting in its buffer (the output latency), converted to media time (× speed, because the
audio was time-stretched by ``atempo``). Between two callbacks (every ~20 ms) the position
is interpolated with a monotonic clock so that it moves smoothly, and it never runs back.
Without audio, a monotonic clock scaled by the speed is the master.

Silence the device played because the decoder was late (a *gap*) is not media time, so the
clock stands still during a gap, and video waits with it: picture and sound stay together.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# A device that stops calling back for this long is treated as gone: the clock then runs on
# the monotonic clock from where the audio left it instead of freezing the playback.
STALL_S = 0.5


@dataclass(slots=True)
class _AudioTimeline:
    """What one audio source fed to the device since it was attached."""

    epoch: int
    sample_rate: int
    latency_frames: int
    fed_frames: int = 0  # media and gap frames, in the order the device plays them
    settled_gap_frames: int = 0  # gap frames certainly played already
    gaps: list[tuple[int, int]] = field(default_factory=list)  # (first fed frame, length)
    callback_time: float | None = None
    callback_frames: int = 0  # size of the last callback: how far interpolation may run

    def record(self, media_frames: int, gap_frames: int, now: float) -> None:
        self.fed_frames += media_frames
        if gap_frames:
            last = self.gaps[-1] if self.gaps else None
            if last is not None and last[0] + last[1] == self.fed_frames:
                self.gaps[-1] = (last[0], last[1] + gap_frames)
            else:
                self.gaps.append((self.fed_frames, gap_frames))
            self.fed_frames += gap_frames
        self.callback_time = now
        self.callback_frames = media_frames + gap_frames
        # Everything fed before the device's buffer has been played: fold those gaps away.
        played_for_sure = self.fed_frames - self.latency_frames
        while self.gaps and self.gaps[0][0] + self.gaps[0][1] <= played_for_sure:
            self.settled_gap_frames += self.gaps.pop(0)[1]

    def media_frames_played(self, now: float) -> float:
        if self.callback_time is None:
            return 0.0
        ahead = min((now - self.callback_time) * self.sample_rate, self.callback_frames)
        played = max(0.0, self.fed_frames - self.latency_frames + max(0.0, ahead))
        silent = float(self.settled_gap_frames)
        for start, length in self.gaps:
            if start >= played:
                break
            silent += min(length, played - start)
        return max(0.0, played - silent)


def _whole_ms(position: float) -> int:
    # The tolerance keeps float error (0.1 s summed up to 99.99999 ms) from losing a ms.
    return math.floor(position + 1e-6)


class PlaybackClock:
    """Position of the playback in media milliseconds, safe to read from any thread.

    ``now`` is the monotonic time source in seconds (injected by tests). With
    ``audio_driven=True`` a playing clock waits at its position until an audio source is
    attached and its first samples come out of the speaker.
    """

    def __init__(
        self,
        *,
        position_ms: int = 0,
        audio_driven: bool = False,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._audio_driven = audio_driven
        self._playing = False
        self._speed = 1.0
        self._base_ms = float(position_ms)  # position at the anchor
        self._anchor = now()  # monotonic time of the last rebase
        self._floor_ms = position_ms  # last position handed out: reads never go back
        self._audio: _AudioTimeline | None = None
        self._epoch = 0

    # --- reads ----------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def audio_driven(self) -> bool:
        return self._audio_driven

    def position_ms(self) -> int:
        with self._lock:
            if not self._playing:
                return self._floor_ms
            position = _whole_ms(self._running_position(self._now()))
            self._floor_ms = max(self._floor_ms, position)
            return self._floor_ms

    def _running_position(self, now: float) -> float:
        if not self._audio_driven:
            return self._base_ms + (now - self._anchor) * 1000.0 * self._speed
        audio = self._audio
        heard = audio.callback_time if audio is not None else None
        last_heard = heard if heard is not None else self._anchor
        if now - last_heard > STALL_S:
            # The device has gone quiet: keep time from where the audio left off.
            position = self._audio_position(now) if audio else self._base_ms
            self._audio_driven = False
            self._rebase(position, now)
            return position
        return self._audio_position(now) if audio else self._base_ms

    def _audio_position(self, now: float) -> float:
        audio = self._audio
        assert audio is not None
        seconds = audio.media_frames_played(now) / audio.sample_rate
        return self._base_ms + seconds * 1000.0 * self._speed

    def _rebase(self, position_ms: float, now: float) -> None:
        self._base_ms = position_ms
        self._anchor = now
        self._audio = None
        self._epoch += 1

    def _current(self, now: float) -> float:
        if not self._playing:
            return float(self._floor_ms)
        return max(float(self._floor_ms), self._running_position(now))

    # --- commands -------------------------------------------------------------

    def play(self) -> None:
        with self._lock:
            if self._playing:
                return
            self._rebase(float(self._floor_ms), self._now())
            self._playing = True

    def pause(self) -> None:
        with self._lock:
            now = self._now()
            position = _whole_ms(self._current(now))
            self._playing = False
            self._rebase(position, now)
            self._floor_ms = position

    def seek(self, position_ms: int) -> None:
        """Jump; any attached audio is detached (the caller starts a source at the new place)."""
        with self._lock:
            self._rebase(float(position_ms), self._now())
            self._floor_ms = int(position_ms)

    def set_speed(self, speed: float) -> None:
        """Change the rate from now on; audio is detached (it is decoded again at the new tempo)."""
        with self._lock:
            now = self._now()
            position = self._current(now)
            self._rebase(position, now)
            self._speed = float(speed)

    # --- audio ----------------------------------------------------------------

    def attach_audio(self, sample_rate: int, latency_frames: int) -> int:
        """Let an audio source that starts at the current position drive the clock.

        Returns the epoch the source must quote in :meth:`audio_fed`; reports carrying an
        older epoch (a source replaced by a seek) are ignored.
        """
        with self._lock:
            now = self._now()
            self._rebase(self._current(now), now)
            self._audio_driven = True
            self._audio = _AudioTimeline(self._epoch, sample_rate, latency_frames)
            return self._epoch

    def audio_fed(self, epoch: int, media_frames: int, gap_frames: int) -> None:
        """Called from the device callback: it just handed over ``media_frames`` of the
        recording followed by ``gap_frames`` of stop-gap silence."""
        with self._lock:
            audio = self._audio
            if audio is None or audio.epoch != epoch:
                return
            audio.record(media_frames, gap_frames, self._now())
