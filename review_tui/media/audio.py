"""Sound: PCM decoded by ffmpeg from time T (``atempo`` for speed), played through miniaudio.

One output device lives as long as the player and is always running; it plays whatever
:class:`PcmStream` is attached (silence when none), and after every callback tells the
:class:`~review_tui.media.clock.PlaybackClock` how much of the recording it took, which is
what makes the clock follow the sound card.

Opening a device on a machine without sound makes ALSA print a screenful of errors on the
process's stdout/stderr, straight over the terminal UI; :func:`_silenced_terminal` points
file descriptors 1 and 2 at /dev/null at the OS level while miniaudio probes.
"""

from __future__ import annotations

import array
import math
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import ffmpeg as ffmpeg_python

from review_tui.lean_import import import_lean

# miniaudio imports numpy, urllib.request and html only for features we never use (lean_import.py).
miniaudio = import_lean("miniaudio", hide=("numpy",), defer_modules=("urllib.request", "html"))

from review_tui.media import ffmpeg
from review_tui.media.clock import PlaybackClock
from review_tui.media.video import open_stream, stop_ffmpeg
from review_tui.model import MediaError

SAMPLE_RATE = 48000
CHANNELS = 2
BYTES_PER_FRAME = 2 * CHANNELS  # s16le
PERIOD_MS = 20  # one device callback
PERIODS = 3  # callbacks' worth of audio the device buffers ahead: the output latency
# Decoded audio held ahead of the device, so that a busy moment on two cores is no gap.
BUFFER_MS = 750
READ_CHUNK = 8192
MIN_SPEED, MAX_SPEED = 0.5, 2.0
AUDIO_MODES = ("auto", "null", "off")


def _pcm_stream(path: Path, start_ms: int, speed: float, duration_ms: int | None = None):
    input_options: dict = {"ss": f"{max(0, start_ms) / 1000:.3f}"}
    if duration_ms is not None:
        input_options["t"] = f"{max(0, duration_ms) / 1000:.3f}"
    sound = ffmpeg_python.input(ffmpeg.input_url(path), **input_options)["a:0"]
    if abs(speed - 1.0) > 1e-6:
        sound = sound.filter("atempo", f"{speed:.4f}")
    return sound.output(
        "pipe:", format="s16le", acodec="pcm_s16le", ac=CHANNELS, ar=SAMPLE_RATE, vn=None, sn=None
    )


def decode_pcm(path: Path, start_ms: int, duration_ms: int) -> bytes:
    """Signed 16-bit little-endian stereo PCM at 48 kHz of ``duration_ms`` from ``start_ms``."""
    result = ffmpeg.run(_pcm_stream(Path(path), start_ms, 1.0, duration_ms), timeout=120)
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise MediaError(f"{Path(path).name}: cannot decode audio ({detail[0]})")
    return result.stdout


def rms_level(pcm: bytes) -> float:
    """Root mean square of s16le samples, 0..1 (a full-scale sine gives about 0.71)."""
    usable = len(pcm) - len(pcm) % 2
    if usable == 0:
        return 0.0
    samples = array.array("h")
    samples.frombytes(pcm[:usable])
    if sys.byteorder == "big":
        samples.byteswap()
    return math.sqrt(sum(sample * sample for sample in samples) / len(samples)) / 32768.0


class PcmStream:
    """One ffmpeg process decoding from ``start_ms`` at ``speed``; a reader thread keeps up
    to :data:`BUFFER_MS` of PCM ready for the device callback, which must never wait."""

    def __init__(self, path: Path, start_ms: int, speed: float = 1.0) -> None:
        self.start_ms = start_ms
        self.speed = speed
        self._buffer = bytearray()
        self._capacity = SAMPLE_RATE * BYTES_PER_FRAME * BUFFER_MS // 1000
        self._space = threading.Condition()
        self._ended = False
        self._closed = False
        try:
            self.process = open_stream(_pcm_stream(Path(path), start_ms, speed))
        except OSError as error:
            raise MediaError(f"{Path(path).name}: cannot start ffmpeg ({error})") from None
        self._reader = threading.Thread(target=self._read, name="audio-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while True:
                with self._space:
                    while len(self._buffer) >= self._capacity and not self._closed:
                        self._space.wait(0.1)
                    if self._closed:
                        return
                chunk = stdout.read(READ_CHUNK)
                if not chunk:
                    break
                with self._space:
                    self._buffer += chunk
        except (OSError, ValueError):
            pass  # closed under us
        finally:
            with self._space:
                self._ended = True

    def take(self, frames: int) -> tuple[bytes, bool]:
        """Up to ``frames`` frames that are ready now, and whether the stream has ended
        (nothing more will ever come). Never blocks for long: called from the callback."""
        wanted = frames * BYTES_PER_FRAME
        with self._space:
            data = bytes(self._buffer[:wanted])
            del self._buffer[:wanted]
            ended = self._ended and not self._buffer
            self._space.notify()
        return data, ended

    def close(self) -> None:
        with self._space:
            self._closed = True
            self._space.notify_all()
        stop_ffmpeg(self.process, self._reader)


@contextmanager
def _silenced_terminal() -> Iterator[None]:
    """Send everything written to fds 1 and 2 (by C libraries too) to /dev/null meanwhile."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError, OSError):
            pass
    try:
        saved = [os.dup(1), os.dup(2)]
    except OSError:  # no stdout/stderr at all (a service): nothing to protect
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def _open_device(backends: list[miniaudio.Backend] | None) -> miniaudio.PlaybackDevice:
    return miniaudio.PlaybackDevice(
        output_format=miniaudio.SampleFormat.SIGNED16,
        nchannels=CHANNELS,
        sample_rate=SAMPLE_RATE,
        buffersize_msec=PERIOD_MS,
        callback_periods=PERIODS,
        backends=backends,
        app_name="review-tui",
    )


def _device_name(device: miniaudio.PlaybackDevice) -> str:
    info = miniaudio.ffi.new("ma_device_info *")
    result = miniaudio.lib.ma_context_get_device_info(
        device._context, miniaudio.lib.ma_device_type_playback, miniaudio.ffi.NULL, info
    )
    if result != miniaudio.lib.MA_SUCCESS:
        return device.backend
    return miniaudio.ffi.string(info.name).decode("utf-8", "replace") or device.backend


class AudioOutput:
    """The output device. ``mode``: "auto" (the default device, else the NULL backend),
    "null" (the NULL backend: silent, but it consumes audio in real time like a sound card,
    so the clock still runs on it) or "off" (no device)."""

    def __init__(self, mode: str = "auto") -> None:
        if mode not in AUDIO_MODES:
            raise ValueError(f"audio mode must be one of {', '.join(AUDIO_MODES)}, not {mode!r}")
        self.mode = mode
        self.device: miniaudio.PlaybackDevice | None = None
        self.device_name = ""
        self.status = "audio off"
        self.period_frames = SAMPLE_RATE * PERIOD_MS // 1000
        self._feed: tuple[PcmStream, PlaybackClock, int] | None = None
        self._last_chunk = b""
        self._lock = threading.Lock()
        if mode == "off":
            return
        self.status = "no audio device"
        with _silenced_terminal():
            self.device = self._open(mode)
            if self.device is None:
                return
            self.device_name = _device_name(self.device)
            generator = self._generate()
            next(generator)
            self.device.start(generator)
        if self.device.backend.lower() != "null":
            self.status = f"audio: {self.device_name}"

    @staticmethod
    def _open(mode: str) -> miniaudio.PlaybackDevice | None:
        if mode == "auto":
            try:
                return _open_device(None)
            except miniaudio.MiniaudioError:
                pass  # no sound card, no server: the NULL backend keeps time instead
        try:
            return _open_device([miniaudio.Backend.NULL])
        except miniaudio.MiniaudioError:
            return None  # then the monotonic clock keeps time

    @property
    def enabled(self) -> bool:
        return self.device is not None

    @property
    def latency_frames(self) -> int:
        return self.period_frames * PERIODS

    def attach(self, source: PcmStream, clock: PlaybackClock) -> None:
        """Play ``source`` from the next callback on, driving ``clock`` (already at the
        source's start position)."""
        epoch = clock.attach_audio(SAMPLE_RATE, self.latency_frames)
        with self._lock:
            self._feed = (source, clock, epoch)

    def detach(self) -> PcmStream | None:
        """Stop playing the current source (the device goes on with silence); returns it so
        the caller can close it outside the audio thread's way."""
        with self._lock:
            feed, self._feed = self._feed, None
            self._last_chunk = b""
        return feed[0] if feed else None

    def current_source(self) -> PcmStream | None:
        feed = self._feed
        return feed[0] if feed else None

    def level(self) -> float:
        """Loudness of the sound handed to the device last (0..1)."""
        return rms_level(self._last_chunk)

    def _generate(self) -> Iterator[bytes]:
        frames = yield b""
        while True:
            frames = yield self._fill(frames)

    def _fill(self, frames: int) -> bytes:
        # An exception escaping here would stop the device and print a traceback over the
        # UI from inside miniaudio, so nothing may escape.
        try:
            if frames > 0 and self.period_frames != frames:
                self.period_frames = frames
            with self._lock:
                feed = self._feed
            if feed is None:
                return bytes(frames * BYTES_PER_FRAME)
            source, clock, epoch = feed
            data, ended = source.take(frames)
            media_frames = len(data) // BYTES_PER_FRAME
            self._last_chunk = data
            padding = frames - media_frames
            # After the end, the silence is the recording going on without sound.
            gap = 0 if ended else padding
            clock.audio_fed(epoch, media_frames + (padding - gap), gap)
            return data + bytes(padding * BYTES_PER_FRAME)
        except Exception:  # noqa: BLE001 - see above
            return bytes(frames * BYTES_PER_FRAME)

    def close(self) -> None:
        source = self.detach()
        if source is not None:
            source.close()
        device, self.device = self.device, None
        if device is not None:
            device.close()


def describe_output() -> str:
    """What `review-tui doctor` says about sound: the device "auto" would play on."""
    output = AudioOutput("auto")
    try:
        if output.device is None:
            return "none: no audio backend could be opened; playback runs on the system clock"
        backend = output.device.backend
        if backend.lower() == "null":
            return "no audio device (silent NULL output keeps time)"
        return f"{output.device_name} ({backend})"
    finally:
        output.close()
