"""The playback clock, driven by an injected time source: no sleeping, no sound card."""

from __future__ import annotations

import pytest

from review_tui.media.clock import STALL_S, PlaybackClock

RATE = 48000
PERIOD = 960  # 20 ms callbacks
LATENCY = 3 * PERIOD  # the device buffers three callbacks ahead


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeDevice:
    """Calls back like miniaudio's NULL backend: fills its buffer at once, then asks for one
    period each time a period has been played."""

    def __init__(self, clock: PlaybackClock, time: FakeTime) -> None:
        self.clock = clock
        self.time = time
        self.epoch = clock.attach_audio(RATE, LATENCY)
        for _ in range(LATENCY // PERIOD):
            self.clock.audio_fed(self.epoch, PERIOD, 0)

    def play_period(self, media: int = PERIOD, gap: int = 0) -> None:
        self.time.advance(PERIOD / RATE)
        self.clock.audio_fed(self.epoch, media, gap)


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def playing_on_audio(time: FakeTime, periods: int, *, speed: float = 1.0):
    """A clock at 0 driven by a device that has played ``periods`` periods of sound."""
    clock = PlaybackClock(audio_driven=True, now=time)
    clock.play()
    clock.set_speed(speed)
    device = FakeDevice(clock, time)
    for _ in range(periods):
        device.play_period()
    return clock, device


def test_monotonic_clock_plays_pauses_and_seeks(time: FakeTime) -> None:
    clock = PlaybackClock(position_ms=1000, now=time)
    time.advance(5)
    assert clock.position_ms() == 1000  # paused: time passing changes nothing
    clock.play()
    time.advance(1.5)
    assert clock.position_ms() == 2500
    clock.pause()
    time.advance(3)
    assert clock.position_ms() == 2500
    clock.seek(400)
    assert clock.position_ms() == 400
    clock.play()
    time.advance(0.25)
    assert clock.position_ms() == 650
    clock.seek(10_000)  # a seek while playing keeps playing from the new place
    time.advance(0.1)
    assert clock.position_ms() == 10_100


def test_speed_change_rebases_at_the_current_position(time: FakeTime) -> None:
    clock = PlaybackClock(now=time)
    clock.play()
    time.advance(1.0)
    clock.set_speed(2.0)
    assert clock.position_ms() == 1000  # no jump at the change
    time.advance(1.0)
    assert clock.position_ms() == 3000
    clock.set_speed(0.5)
    time.advance(2.0)
    assert clock.position_ms() == 4000


def test_audio_driven_clock_waits_for_the_first_sound(time: FakeTime) -> None:
    clock = PlaybackClock(position_ms=2000, audio_driven=True, now=time)
    clock.play()
    time.advance(0.1)  # the audio decoder is still starting
    assert clock.position_ms() == 2000
    device = FakeDevice(clock, time)
    # The three buffered periods have been handed over but not yet heard.
    assert clock.position_ms() == 2000
    for _ in range(50):
        device.play_period()
    # 50 periods of 20 ms have come out of the speaker since the device started.
    assert clock.position_ms() == 3000


def test_audio_clock_interpolates_between_callbacks_and_never_runs_ahead(time: FakeTime) -> None:
    clock, _ = playing_on_audio(time, 10)
    assert clock.position_ms() == 200
    time.advance(0.010)
    assert clock.position_ms() == 210  # half way to the next callback
    time.advance(0.5)
    # The device stopped asking; the clock goes no further than the audio it was given.
    assert clock.position_ms() == 220


def test_audio_clock_reads_never_go_backwards(time: FakeTime) -> None:
    clock, device = playing_on_audio(time, 1)
    time.advance(0.030)  # a late callback: interpolation stopped at one period
    before = clock.position_ms()
    # The late callback brings only silence (the decoder ran dry): media time is behind
    # what was interpolated, but a read must not go back.
    clock.audio_fed(device.epoch, 0, PERIOD)
    readings = [before]
    for _ in range(20):
        time.advance(0.002)
        readings.append(clock.position_ms())
    assert readings == sorted(readings)


def test_silence_while_the_decoder_is_late_is_not_media_time(time: FakeTime) -> None:
    clock, device = playing_on_audio(time, 10)
    assert clock.position_ms() == 200
    for _ in range(5):  # 100 ms of stop-gap silence handed to the device
        device.play_period(media=0, gap=PERIOD)
    for _ in range(3):  # then sound again; the silence is still in the device's buffer
        device.play_period()
    assert clock.position_ms() == 260
    for _ in range(10):
        device.play_period()
    # 23 + 3 periods of sound fed, minus the 3 still buffered: 23 periods heard = 460 ms.
    assert clock.position_ms() == 460


def test_audio_at_double_speed_covers_twice_the_media_time(time: FakeTime) -> None:
    clock, _ = playing_on_audio(time, 50, speed=2.0)
    assert clock.position_ms() == 2000


def test_reports_from_a_replaced_source_are_ignored(time: FakeTime) -> None:
    clock, old = playing_on_audio(time, 10)
    clock.seek(30_000)
    old.play_period()  # the old source's last callback arrives after the seek
    assert clock.position_ms() == 30_000
    new = FakeDevice(clock, time)
    for _ in range(5):
        new.play_period()
    assert clock.position_ms() == 30_100


def test_pause_freezes_an_audio_driven_clock(time: FakeTime) -> None:
    clock, device = playing_on_audio(time, 25)
    clock.pause()
    frozen = clock.position_ms()
    assert frozen == 500
    device.play_period()
    time.advance(2.0)
    assert clock.position_ms() == frozen


def test_a_silent_device_hands_over_to_the_monotonic_clock(time: FakeTime) -> None:
    clock, _ = playing_on_audio(time, 10)
    time.advance(STALL_S + 0.001)  # the device stopped calling back
    stalled_at = clock.position_ms()
    assert stalled_at == 220
    time.advance(1.0)
    assert clock.position_ms() == stalled_at + 1000
