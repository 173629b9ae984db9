"""Read the input description ffmpeg prints on stderr (its "banner") into plain values.

Pure text parsing, no I/O: probe.py runs ffmpeg and decides what the values mean for a
review. The layout parsed is ffmpeg's ``av_dump_format`` output, e.g.::

    Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/rec/session.mp4':
      Duration: 00:52:10.04, start: 0.000000, bitrate: 2100 kb/s
      Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709,
        progressive), 1920x1080 [SAR 1:1 DAR 16:9], 1950 kb/s, 29.97 fps, 29.97 tbr, ...
          Side data:
            Display Matrix: rotation of -90.00 degrees
      Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from review_tui.model import AudioStream, Problem, VideoStream

# Frame rate used when the file gives none, so that frame stepping still works.
FALLBACK_FPS = 25.0

_NAMED_LAYOUTS = {
    "mono": 1,
    "stereo": 2,
    "downmix": 2,
    "binaural": 2,
    "quad": 4,
    "hexagonal": 6,
    "cube": 8,
    "octagonal": 8,
    "hexadecagonal": 16,
}


@dataclass(slots=True)
class BannerStream:
    """One stream line of ffmpeg's input banner, split into its fields."""

    index: int  # the N of "Stream #0:N", which is also ffmpeg's map index
    kind: str  # "Video", "Audio", "Subtitle", "Data", "Attachment"
    fields: list[str]  # the description after "Video: ", split on top-level commas
    details: list[str] = field(default_factory=list)  # indented metadata and side data lines

    @property
    def is_cover_art(self) -> bool:
        # A still picture stored in a music file (m4a, mp3) is not a video to play.
        tail = self.fields[-1] if self.fields else ""
        return "(attached pic)" in tail or "(timed thumbnails)" in tail


@dataclass(slots=True)
class Banner:
    """ffmpeg's description of an input, as printed when it opens the file."""

    container: str  # the demuxer name(s) after "Input #0,"
    duration_s: float | None  # None when ffmpeg prints "Duration: N/A"
    start_s: float
    streams: list[BannerStream]

    @property
    def video(self) -> BannerStream | None:
        """The first video stream that is a moving picture (cover art is skipped)."""
        return next((s for s in self.streams if s.kind == "Video" and not s.is_cover_art), None)

    @property
    def audio(self) -> BannerStream | None:
        return next((s for s in self.streams if s.kind == "Audio"), None)


_INPUT = re.compile(r"^Input #0, (?P<container>.+?), from '")
_DURATION = re.compile(r"^\s+Duration: (?P<duration>N/A|[\d:.]+)(?:, start: (?P<start>-?[\d.]+))?")
_STREAM = re.compile(r"^\s+Stream #0:(?P<index>\d+)\S*: (?P<kind>\w+): (?P<description>.*)$")
_END_OF_INPUT = ("Stream mapping:", "Output #", "Press [q]")


def parse_banner(stderr: str) -> Banner | None:
    """The description of input #0 in ffmpeg's stderr, or None when ffmpeg printed none."""
    lines = stderr.splitlines()
    start = next((i for i, line in enumerate(lines) if _INPUT.match(line)), None)
    if start is None:
        return None
    banner = Banner(_INPUT.match(lines[start])["container"], None, 0.0, [])
    for line in lines[start + 1 :]:
        if line.startswith(_END_OF_INPUT):
            break
        if line.startswith("["):  # a log line from another thread, interleaved
            continue
        if match := _DURATION.match(line):
            banner.duration_s = _clock_seconds(match["duration"])
            banner.start_s = float(match["start"]) if match["start"] else 0.0
        elif match := _STREAM.match(line):
            fields = _split_fields(match["description"])
            banner.streams.append(BannerStream(int(match["index"]), match["kind"], fields))
        elif banner.streams and line.startswith("    "):
            banner.streams[-1].details.append(line.strip())
    return banner


def _clock_seconds(text: str) -> float | None:
    if text == "N/A":
        return None
    total = 0.0
    for part in text.split(":"):
        total = total * 60 + float(part)
    return total


def _split_fields(description: str) -> list[str]:
    """Split on ", " outside brackets: "yuv420p(tv, bt709)" stays one field."""
    fields: list[str] = []
    depth = 0
    current = ""
    for position, char in enumerate(description):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        if char == "," and depth == 0 and description[position + 1 : position + 2] == " ":
            fields.append(current.strip())
            current = ""
            continue
        current += char
    fields.append(current.strip())
    return fields


def _codec(stream: BannerStream) -> str:
    return stream.fields[0].split()[0] if stream.fields and stream.fields[0] else "unknown"


_SIZE = re.compile(r"^(\d+)x(\d+)(?:\s*\[SAR (\d+):(\d+) DAR \d+:\d+\])?")
_RATE = re.compile(r"^([\d.]+)(k?) (fps|tbr)\b")
_DISPLAY_MATRIX = re.compile(r"display\s*matrix: rotation of (-?[\d.]+) degrees", re.IGNORECASE)
_ROTATE_TAG = re.compile(r"^rotate\s*: (-?[\d.]+)$")


def video_stream_from(stream: BannerStream, name: str, warnings: list[Problem]) -> VideoStream:
    """Codec, coded size, fps (else tbr), rotation and SAR; gaps become warnings on ``name``."""
    width = height = 0
    sample_aspect = Fraction(1, 1)
    rates: dict[str, float] = {}
    for text in stream.fields:
        if (size := _SIZE.match(text)) and not width:
            width, height = int(size[1]), int(size[2])
            # SAR 0:1 is ffmpeg's "unknown": square pixels is the only sane reading.
            if size[3] and int(size[3]) > 0 and int(size[4]) > 0:
                sample_aspect = Fraction(int(size[3]), int(size[4]))
        elif rate := _RATE.match(text):
            rates.setdefault(rate[3], float(rate[1]) * (1000 if rate[2] else 1))
    fps = rates.get("fps") or rates.get("tbr") or 0.0
    if fps <= 0:
        warnings.append(Problem(name, f"video states no frame rate; assuming {FALLBACK_FPS:g} fps"))
        fps = FALLBACK_FPS
    if not width or not height:
        warnings.append(Problem(name, "video states no picture size"))
    return VideoStream(
        codec=_codec(stream),
        width=width,
        height=height,
        fps=fps,
        rotation=_rotation(stream.details),
        sample_aspect=sample_aspect,
    )


def _rotation(details: list[str]) -> int:
    """Clockwise degrees to turn the coded picture for display, snapped to 0/90/180/270.

    ffmpeg prints the display matrix angle counter-clockwise ("rotation of 90.00 degrees"
    is what ``-display_rotation 90`` writes, and autorotate then turns the picture 90°
    anticlockwise), so clockwise is its negation. The old ``rotate`` tag was already
    clockwise. The matrix wins when both are present, as it does in ffmpeg.
    """
    clockwise: float | None = None
    for line in details:
        if matrix := _DISPLAY_MATRIX.search(line):
            clockwise = -float(matrix[1])
            break
        if clockwise is None and (tag := _ROTATE_TAG.match(line)):
            clockwise = float(tag[1])
    if clockwise is None:
        return 0
    return int(round(clockwise / 90.0)) * 90 % 360


def audio_stream_from(stream: BannerStream, name: str, warnings: list[Problem]) -> AudioStream:
    """Codec, sample rate and channel count; gaps become warnings on ``name``."""
    sample_rate = 0
    channels = 0
    for position, text in enumerate(stream.fields):
        if hz := re.match(r"^(\d+) Hz$", text):
            sample_rate = int(hz[1])
            if position + 1 < len(stream.fields):
                channels = _channel_count(stream.fields[position + 1])
            break
    if not sample_rate or not channels:
        warnings.append(Problem(name, f"audio format not understood: {', '.join(stream.fields)}"))
    return AudioStream(codec=_codec(stream), sample_rate=sample_rate, channels=channels)


def _channel_count(layout: str) -> int:
    """Channels in ffmpeg's layout name: "mono", "5.1(side)", "7.1.4", "3 channels"."""
    if counted := re.match(r"^(\d+) channels\b", layout):
        return int(counted[1])
    base = layout.split("(")[0].strip()
    if base in _NAMED_LAYOUTS:
        return _NAMED_LAYOUTS[base]
    if re.fullmatch(r"\d+(?:\.\d+)+", base):
        return sum(int(part) for part in base.split("."))
    if ambisonic := re.match(r"^ambisonic (\d+)", base):
        return (int(ambisonic[1]) + 1) ** 2
    return 0
