"""A clock-only stand-in for the Player: real time (media.clock.PlaybackClock), no decoding,
no threads. For app tests that need a moving playhead but no picture."""

from __future__ import annotations

from review_tui.media.clock import PlaybackClock


class ClockPlayer:
    def __init__(self, duration_ms: int) -> None:
        self._duration_ms = duration_ms
        self._clock = PlaybackClock()
        self._loop: tuple[int, int | None] | None = None
        self.error: str | None = None
        self.seeks: list[int] = []
        self.likely_targets: list[int] = []
        self.background_released = False

    # --- reads ---
    @property
    def playing(self) -> bool:
        return self._clock.playing

    @property
    def speed(self) -> float:
        return self._clock.speed

    @property
    def loop(self) -> tuple[int, int | None] | None:
        return self._loop

    @property
    def duration_ms(self) -> int:
        return self._duration_ms

    @property
    def audio_status(self) -> str:
        return "no audio (test clock)"

    @property
    def frame_serial(self) -> int:
        return 0

    def position_ms(self) -> int:
        return max(0, min(self._duration_ms, self._clock.position_ms()))

    def latest_frame(self):
        return None

    def level(self) -> float:
        return 0.0

    # --- commands ---
    def toggle(self) -> None:
        (self._clock.pause if self._clock.playing else self._clock.play)()

    def seek(self, ms: int) -> None:
        self.seeks.append(ms)
        self._clock.seek(max(0, min(self._duration_ms, int(ms))))

    def seek_relative(self, delta_ms: int) -> None:
        self.seek(self.position_ms() + delta_ms)

    def step_frame(self, direction: int) -> None:
        self._clock.pause()
        self.seek(self.position_ms() + (40 if direction > 0 else -40))

    def set_speed(self, speed: float) -> None:
        self._clock.set_speed(speed)

    def cycle_loop(self):
        position = self.position_ms()
        if self._loop is None:
            self._loop = (position, None)
        elif self._loop[1] is None:
            self._loop = (min(self._loop[0], position), max(self._loop[0], position))
        else:
            self._loop = None
        return self._loop

    def replay(self, back_ms: int = 5000) -> None:
        self.seek(self.position_ms() - back_ms)
        self._clock.play()

    def set_video_size(self, width_px: int, height_px: int) -> None:
        pass

    def set_likely_targets(self, targets_ms) -> None:
        self.likely_targets = list(targets_ms)

    def release_background(self) -> None:
        self.background_released = True

    def close(self) -> None:
        self._clock.pause()
