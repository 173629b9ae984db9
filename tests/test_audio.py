"""Audio: PCM from ffmpeg, the tempo filter, the NULL device as a clock, and a quiet terminal."""

from __future__ import annotations

import array
import itertools
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from review_tui.media.audio import (
    BYTES_PER_FRAME,
    SAMPLE_RATE,
    AudioOutput,
    PcmStream,
    decode_pcm,
    rms_level,
)
from review_tui.media.clock import PlaybackClock
from tests.media_factory import make_audio

REPO = Path(__file__).resolve().parents[1]
NO_SOUND_CARD = not Path("/dev/snd").exists()


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> Path:
    """3 s of a 330 Hz tone, stored at the device's rate so no resampling blurs comparisons."""
    folder = tmp_path_factory.mktemp("audio")
    return make_audio(folder / "tone.wav", seconds=3.0, sample_rate=SAMPLE_RATE)


def _samples(pcm: bytes) -> array.array:
    samples = array.array("h")
    samples.frombytes(pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _zero_crossings_per_second(pcm: bytes) -> float:
    left = _samples(pcm)[::2]
    crossings = sum(1 for a, b in itertools.pairwise(left) if (a < 0) != (b < 0))
    return crossings / (len(left) / SAMPLE_RATE)


def test_decode_pcm_returns_the_asked_span_as_stereo_48k(tone: Path) -> None:
    pcm = decode_pcm(tone, 1000, 500)
    assert len(pcm) == SAMPLE_RATE // 2 * BYTES_PER_FRAME
    whole = decode_pcm(tone, 0, 3000)
    offset = SAMPLE_RATE * BYTES_PER_FRAME  # one second in
    assert pcm == whole[offset : offset + len(pcm)]
    # A 330 Hz tone crosses zero 660 times a second.
    assert _zero_crossings_per_second(pcm) == pytest.approx(660, rel=0.02)


def test_rms_level_of_known_signals() -> None:
    assert rms_level(b"") == 0.0
    assert rms_level(bytes(4000)) == 0.0
    half_scale = array.array("h", [16384, -16384] * 500)
    if sys.byteorder == "big":
        half_scale.byteswap()
    assert rms_level(half_scale.tobytes()) == pytest.approx(0.5)


def _read_all(stream: PcmStream) -> bytes:
    collected = bytearray()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        data, ended = stream.take(4800)
        collected += data
        if ended:
            return bytes(collected)
        if not data:
            time.sleep(0.01)
    raise AssertionError("the PCM stream never ended")


@pytest.mark.parametrize("speed", [0.5, 2.0])
def test_tempo_changes_the_duration_but_keeps_the_pitch(tone: Path, speed: float) -> None:
    stream = PcmStream(tone, 1000, speed)
    try:
        pcm = _read_all(stream)
    finally:
        stream.close()
    seconds = len(pcm) / BYTES_PER_FRAME / SAMPLE_RATE
    assert seconds == pytest.approx(2.0 / speed, rel=0.03)  # the 2 s after the start point
    assert _zero_crossings_per_second(pcm) == pytest.approx(660, rel=0.03)


def test_closing_a_stream_stops_its_ffmpeg(tone: Path) -> None:
    stream = PcmStream(tone, 0)
    stream.close()
    assert stream.process.poll() is not None
    stream.close()  # twice is harmless


def test_audio_off_opens_no_device() -> None:
    output = AudioOutput("off")
    assert not output.enabled
    assert output.status == "audio off"
    output.close()


def test_unknown_audio_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="auto, null, off"):
        AudioOutput("loud")


def test_null_device_drives_the_clock_at_wall_speed(tone: Path) -> None:
    output = AudioOutput("null")
    assert output.status == "no audio device"
    assert output.device_name == "NULL Playback Device"
    clock = PlaybackClock(audio_driven=True)
    source = PcmStream(tone, 0)
    try:
        clock.play()
        output.attach(source, clock)
        deadline = time.monotonic() + 5
        while clock.position_ms() == 0 and time.monotonic() < deadline:
            time.sleep(0.005)  # the clock waits until the first sound is heard
        first_ms, first_wall = clock.position_ms(), time.monotonic()
        assert first_ms > 0
        assert output.level() > 0.05  # the tone is being played
        time.sleep(1.0)
        moved_ms = clock.position_ms() - first_ms
        elapsed_ms = (time.monotonic() - first_wall) * 1000
    finally:
        output.close()
        source.close()
    assert abs(moved_ms - elapsed_ms) < 50
    assert output.level() == 0.0


def test_the_end_of_the_sound_does_not_stop_the_clock(tone: Path) -> None:
    output = AudioOutput("null")
    clock = PlaybackClock(position_ms=2900, audio_driven=True)
    source = PcmStream(tone, 2900)  # only 100 ms of sound left
    try:
        clock.play()
        output.attach(source, clock)
        # The silence after the end is time passing in the recording, not a stall: the clock
        # passes 3200 (a stalled one stays near 3000 however long it is given; a loaded
        # machine may take longer than the 0.3 s this needs on an idle one).
        deadline = time.monotonic() + 5
        while (position := clock.position_ms()) <= 3200 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        output.close()
        source.close()
    assert position > 3200


_OPEN_AUTO = """
import json, sys
from review_tui.media.audio import AudioOutput
output = AudioOutput("auto")
result = {"status": output.status, "device": output.device_name}
output.close()
with open(sys.argv[1], "w") as handle:
    json.dump(result, handle)
"""

_OPEN_BARE = """
import miniaudio
try:
    miniaudio.PlaybackDevice().close()
except miniaudio.MiniaudioError:
    pass
"""


def _run_python(code: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        check=False,
        env=env,
        timeout=60,
        cwd=REPO,
    )


def test_opening_auto_writes_nothing_to_the_terminal(tmp_path: Path) -> None:
    result_file = tmp_path / "result.json"
    opened = _run_python(_OPEN_AUTO, str(result_file))
    assert opened.returncode == 0
    assert opened.stdout == b""
    assert opened.stderr == b""
    result = json.loads(result_file.read_text())
    if NO_SOUND_CARD:
        assert result == {"status": "no audio device", "device": "NULL Playback Device"}
    else:
        assert result["status"].startswith(("audio: ", "no audio device"))


@pytest.mark.skipif(not NO_SOUND_CARD, reason="the noise only comes without a sound card")
def test_without_the_redirection_the_probe_would_print() -> None:
    # The control for the test above: miniaudio opened bare does scribble on stderr here.
    bare = _run_python(_OPEN_BARE)
    assert bare.stderr != b""


@pytest.mark.parametrize("name", ["take:2.wav", "2024-05-01T10:00.wav"])
def test_a_name_with_a_colon_is_decoded_as_a_file(
    tone: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    (tmp_path / name).write_bytes(tone.read_bytes())
    monkeypatch.chdir(tmp_path)  # relative, as typed: "take:" would be a protocol to ffmpeg
    assert decode_pcm(Path(name), 1000, 500) == decode_pcm(tone, 1000, 500)
    stream = PcmStream(Path(name), 0)
    try:
        deadline = time.monotonic() + 10
        got = b""
        while len(got) < 4800 * BYTES_PER_FRAME and time.monotonic() < deadline:
            data, ended = stream.take(4800)
            got += data
            if ended:
                break
            time.sleep(0.01)
    finally:
        stream.close()
    # The tone itself, not the silence of an input that failed to open.
    assert len(got) >= 4800 * BYTES_PER_FRAME
    assert got[: 4800 * BYTES_PER_FRAME] == decode_pcm(tone, 0, 100)
