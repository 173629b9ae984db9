"""What a recording holds (duration, container, first video and audio stream), without ffprobe.

The bundled static ffmpeg has no ffprobe, so we open the file with ffmpeg itself, ask for
zero seconds of output, and read the input description it prints on stderr. A second, cheap
run copies the packets of the last seconds (no decoding) to notice a file whose header
promises more than its data holds. The second starts with the first (``-sseof`` seeks from the
end the header declares, so it needs nothing from the first's answer): the two ffmpeg runs
overlap instead of adding up, ~35 ms of every start on the build machine.
"""

from __future__ import annotations

import math
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import ffmpeg as ffmpeg_python

from review_tui.media import ffmpeg
from review_tui.media.banner import Banner, audio_stream_from, parse_banner, video_stream_from
from review_tui.model import MediaError, MediaInfo, Problem, format_ms

# Generous: opening a file on a slow network share must not be mistaken for a broken file.
OPEN_TIMEOUT_S = 60.0
# How much of the end we read to see that the data reaches the declared duration.
END_WINDOW_S = 2.0
# Data may end this much before the declared end without being called truncated
# (audio priming, a last frame's duration, rounding in the printed duration).
TRUNCATION_TOLERANCE_S = 0.5


def probe(path: Path) -> MediaInfo:
    """Describe ``path``; a file ffmpeg cannot read raises a one-line :class:`MediaError`.

    ``duration_ms`` is what can be played: for a file whose data stops short of its declared
    duration it is where the data stops, and a warning gives both.
    """
    path = Path(path)
    _check_readable(path)
    end_reading = _start_reading_the_end(path)
    try:
        return _describe(path, _open_with_ffmpeg(path), end_reading)
    finally:
        _stop(end_reading)  # not needed (no duration, a failure) or already read: never left behind


def _describe(path: Path, stderr: str, end_reading: subprocess.Popen | None) -> MediaInfo:
    banner = parse_banner(stderr)
    if banner is None:
        raise _open_failure(path, stderr)
    name = path.name
    if not banner.streams:
        if _mp4_boxes_overrun(path):
            raise MediaError(f"{name}: {_MP4_INDEX_CUT} cut off")
        raise MediaError(f"{name}: file is damaged: ffmpeg finds no streams in it")
    if banner.video is None and banner.audio is None:
        raise MediaError(
            f"{name}: no audio or video in it (ffmpeg reads it as {banner.container})"
        )
    warnings: list[Problem] = []
    video = video_stream_from(banner.video, name, warnings) if banner.video else None
    audio = audio_stream_from(banner.audio, name, warnings) if banner.audio else None

    duration_ms = 0
    if banner.duration_s is None:
        warnings.append(
            Problem(name, "the file states no duration (a raw stream?): the timeline is unknown")
        )
    elif "Estimating duration from bitrate" in stderr:
        duration_ms = round(banner.duration_s * 1000)
        warnings.append(
            Problem(name, "duration is estimated from the bitrate and may be inaccurate")
        )
    else:
        duration_ms = _playable_ms(path, banner, round(banner.duration_s * 1000), warnings, end_reading)
    return MediaInfo(
        path=path,
        container=banner.container,
        duration_ms=duration_ms,
        video=video,
        audio=audio,
        warnings=tuple(warnings),
    )


# --- opening -----------------------------------------------------------------


def _check_readable(path: Path) -> None:
    """Fail early, with a plain reason, on what ffmpeg would only report vaguely."""
    name = path.name or str(path)
    if not path.exists():
        raise MediaError(f"{name}: no such file")
    if path.is_dir():
        raise MediaError(f"{name}: is a folder, not a media file")
    if not path.is_file():
        raise MediaError(f"{name}: not a regular file")
    try:
        with path.open("rb") as handle:
            first = handle.read(1)
    except PermissionError:
        raise MediaError(f"{name}: cannot read the file (permission denied)") from None
    except OSError as error:
        raise MediaError(f"{name}: cannot read the file ({error.strerror or error})") from None
    if not first:
        raise MediaError(f"{name}: file is empty")


def _open_with_ffmpeg(path: Path) -> str:
    # The input's description is printed as the file is opened, before any output is set up;
    # copying (not decoding) into the null muxer keeps ffmpeg from opening decoders and
    # decoding a first frame for nothing (measured on a 1080p file: 20 ms, 10 ms of CPU,
    # against 44 ms and 34 ms decoding).
    command = ffmpeg_python.input(ffmpeg.input_url(path)).output("-", f="null", t=0, c="copy")
    try:
        result = ffmpeg.run(command, quiet=False, timeout=OPEN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise MediaError(
            f"{path.name}: ffmpeg took over {OPEN_TIMEOUT_S:.0f} s to open the file"
        ) from None
    return result.stderr.decode("utf-8", "replace")


_MP4_INDEX_CUT = "file is truncated or unfinished: its mp4 index (moov atom) is"


def _open_failure(path: Path, stderr: str) -> MediaError:
    name = path.name
    guessed = "misdetection possible" in stderr  # ffmpeg had to guess from the file name
    if "No such file or directory" in stderr:
        return MediaError(f"{name}: no such file")
    if "Permission denied" in stderr:
        return MediaError(f"{name}: cannot read the file (permission denied)")
    if not guessed and _mp4_boxes_overrun(path):
        where = "missing" if "moov atom not found" in stderr else "cut off"
        return MediaError(f"{name}: {_MP4_INDEX_CUT} {where}")
    if not guessed and re.search(r"truncated|reached eof|End of file", stderr):
        return MediaError(f"{name}: file is truncated: its header ends early")
    if not guessed and "error reading header" in stderr:
        return MediaError(f"{name}: file is damaged: ffmpeg cannot read its header")
    if guessed or "Invalid data found when processing input" in stderr:
        return MediaError(f"{name}: not a media file ffmpeg can read")
    return MediaError(f"{name}: ffmpeg cannot open it ({_last_error(stderr)})")


def _mp4_boxes_overrun(path: Path) -> bool:
    """True when an mp4/mov/m4a file's top-level boxes claim more bytes than the file holds.

    ffmpeg reports a cut-off index as one of many header errors; the box sizes say plainly
    that bytes are missing rather than damaged.
    """
    offset = 0
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            while offset + 8 <= size:
                handle.seek(offset)
                head = handle.read(16)
                box_size, kind = int.from_bytes(head[:4], "big"), head[4:8]
                if offset == 0 and kind != b"ftyp":
                    return False
                if box_size == 1:  # a 64-bit size follows the type
                    box_size = int.from_bytes(head[8:16], "big")
                if box_size < 8:  # 0 means "to the end of the file"; less is not a box
                    return False
                offset += box_size
    except OSError:
        return False
    return offset != size


def _last_error(stderr: str) -> str:
    lines = [re.sub(r"^\[[^\]]*\]\s*", "", line).strip() for line in stderr.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return "no message"
    last = lines[-1]
    return last.split(": ", 1)[1] if last.startswith("Error opening input") else last


# --- does the data reach the declared end? ----------------------------------


def _playable_ms(
    path: Path, banner: Banner, duration_ms: int, warnings: list[Problem], end_reading: subprocess.Popen | None = None
) -> int:
    """The declared duration, or where the data stops when it stops short (with a warning).

    Copies packets (no decoding) from a little before the end (``end_reading``: that run,
    already started). If nothing comes, the data stops earlier: bisect on seek positions
    with short reads, then read once to the end from the last position that had data, so the
    cost stays a handful of short runs.
    """
    streams = [stream.index for stream in (banner.video, banner.audio) if stream is not None]
    declared_s = duration_ms / 1000
    seek_s = max(0.0, declared_s - END_WINDOW_S)
    end_s = None
    if end_reading is not None:
        # That run copied every video stream, then every audio one, numbered in that order.
        order = [stream.index for stream in banner.streams if stream.kind == "Video"]
        order += [stream.index for stream in banner.streams if stream.kind == "Audio"]
        ends = _finish(end_reading, path)
        end_s = _latest_end(ends, [order.index(index) for index in streams if index in order])
    if end_s is None:
        # Nothing there, or a stream beside ours that ffmpeg would not copy: ask again for
        # our streams alone, as the reading from the end always did.
        end_s = _packets_end(path, streams, seek_s)
    if end_s is None and seek_s > 0:
        found_s, empty_s = 0.0, seek_s
        precision_s = max(TRUNCATION_TOLERANCE_S, declared_s / 100)
        while empty_s - found_s > precision_s:
            middle_s = (found_s + empty_s) / 2
            if _packets_end(path, streams, middle_s, limit_s=TRUNCATION_TOLERANCE_S) is None:
                empty_s = middle_s
            else:
                found_s = middle_s
        end_s = _packets_end(path, streams, found_s)
    if end_s is None:
        raise MediaError(f"{path.name}: file is truncated: it has a header but no readable data")
    reached_s = end_s - banner.start_s
    if reached_s >= declared_s - TRUNCATION_TOLERANCE_S:
        return duration_ms
    reached_ms = max(0, math.floor(reached_s * 1000))
    warnings.append(
        Problem(
            path.name,
            f"file seems truncated: data stops at {format_ms(reached_ms)} "
            f"of {format_ms(duration_ms)}",
        )
    )
    return reached_ms


_TIMEBASE = re.compile(r"^#tb (\d+): (\d+)/(\d+)$")


def _start_reading_the_end(path: Path) -> subprocess.Popen | None:
    """Start copying the packets of the last END_WINDOW_S seconds of every audio and video
    stream, as the header declares the end; None if ffmpeg cannot be started (the open run
    then says why)."""
    source = ffmpeg_python.input(ffmpeg.input_url(path), sseof=f"{-END_WINDOW_S:.3f}")
    command = ffmpeg_python.output(source["v?"], source["a?"], "-", c="copy", f="framecrc", copyts=None)
    try:
        return ffmpeg.popen_capturing(command)
    except (OSError, MediaError):
        return None


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.returncode is not None:
        return
    process.kill()
    process.communicate()


def _finish(process: subprocess.Popen, path: Path) -> dict[int, float]:
    """Each output stream's end (``_stream_ends``) from a reading started with
    ``ffmpeg.popen_capturing``; a reading past OPEN_TIMEOUT_S is stopped and is an error."""
    try:
        stdout, _ = process.communicate(timeout=OPEN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise MediaError(
            f"{path.name}: ffmpeg took over {OPEN_TIMEOUT_S:.0f} s reading the end of the file"
        ) from None
    return _stream_ends(stdout)


def _packets_end(
    path: Path, streams: list[int], seek_s: float, *, limit_s: float | None = None
) -> float | None:
    """Seconds (file timestamps) where the last packet read from ``seek_s`` ends; None if none.

    ``-c copy`` into framecrc lists every packet's pts and duration without decoding;
    ``-copyts`` keeps the file's own timestamps so they compare with the declared end.
    """
    input_options: dict = {"ss": f"{seek_s:.3f}"}
    if limit_s is not None:
        input_options["t"] = f"{limit_s:.3f}"
    source = ffmpeg_python.input(ffmpeg.input_url(path), **input_options)
    selected = [source[str(index)] for index in streams]
    command = ffmpeg_python.output(*selected, "-", c="copy", f="framecrc", copyts=None)
    ends = _finish(ffmpeg.popen_capturing(command), path)
    # The selected streams are numbered 0, 1, ... in the output, in the order given.
    return _latest_end(ends, list(range(len(streams))))


def _latest_end(ends: dict[int, float], streams: list[int]) -> float | None:
    found = [ends[index] for index in streams if index in ends]
    return max(found) if found else None


def _stream_ends(framecrc: bytes) -> dict[int, float]:
    """Seconds where the last packet of each output stream ends, from ffmpeg's framecrc
    listing (a ``#tb`` line per stream, then one line per packet)."""
    timebases: dict[str, Fraction] = {}
    ends: dict[int, Fraction] = {}
    for line in framecrc.decode("ascii", "replace").splitlines():
        if line.startswith("#"):
            if timebase := _TIMEBASE.match(line):
                timebases[timebase[1]] = Fraction(int(timebase[2]), int(timebase[3]))
            continue
        columns = [column.strip() for column in line.split(",")]
        if len(columns) < 5 or columns[0] not in timebases:
            continue
        try:
            pts, packet_duration = int(columns[2]), int(columns[3])
        except ValueError:
            continue
        if pts == -(2**63):  # AV_NOPTS_VALUE: a packet without a timestamp
            continue
        packet_end = (pts + max(0, packet_duration)) * timebases[columns[0]]
        index = int(columns[0])
        ends[index] = max(ends.get(index, packet_end), packet_end)
    return {index: float(end) for index, end in ends.items()}
