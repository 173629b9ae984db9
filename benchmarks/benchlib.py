"""Shared pieces of the benchmarks: cached test media, statistics, verdicts, machine facts.

Every benchmark compares against a baseline measured in the same run, because these
machines are noisy: a ratio survives a busy neighbour, an absolute number does not.
"""

from __future__ import annotations

import datetime
import functools
import math
import os
import platform
import shutil
import statistics
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CACHE = BENCH_DIR / ".cache"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# The imports below come after the path fix, so that a checkout runs without installing.
import ffmpeg as ffmpeg_python

from review_tui.media import ffmpeg
from review_tui.model import Cue, Transcript

DEMO_MEDIA = REPO / "review_tui" / "examples" / "formulaic" / "formulaic.mp4"


# --- media -----------------------------------------------------------------------


def camera_video(seconds: int, *, size: str = "1280x720", fps: int = 25, keyint: int = 250) -> Path:
    """An h264 + aac file shaped like a clinic camera's (a keyframe every ``keyint`` frames),
    made once and kept in benchmarks/.cache/."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"camera_{size}_{fps}fps_{seconds}s_g{keyint}.mp4"
    if path.is_file() and path.stat().st_size > 0:
        return path
    partial = path.with_suffix(".part.mp4")
    picture = ffmpeg_python.input(f"testsrc2=size={size}:rate={fps}:duration={seconds}", f="lavfi")
    tone = ffmpeg_python.input(f"sine=frequency=440:sample_rate=48000:duration={seconds}", f="lavfi")
    stream = ffmpeg_python.output(
        picture,
        tone,
        str(partial),
        vcodec="libx264",
        preset="ultrafast",
        pix_fmt="yuv420p",
        g=keyint,
        keyint_min=keyint,
        sc_threshold=0,
        acodec="aac",
        ac=2,
        movflags="+faststart",
    )
    print(f"making {path.name} (once; cached) ...", flush=True)
    result = ffmpeg.run(stream, timeout=1800)
    if result.returncode != 0:
        raise SystemExit(f"ffmpeg failed making {path}: {result.stderr.decode(errors='replace')[-400:]}")
    partial.replace(path)
    return path


def camera_1080p(seconds: int) -> Path:
    """A 1920x1080 30 fps file with a keyframe every 10 s, like a newer clinic camera's."""
    return camera_video(seconds, size="1920x1080", fps=30, keyint=300)


def probe(path: Path):
    from review_tui.media.probe import probe as probe_media

    return probe_media(path)


def synthetic_transcript(duration_ms: int, *, every_ms: int = 2317, length_ms: int = 1900) -> Transcript:
    """Cues starting off the 40 ms frame grid (every 2.317 s), alternating speakers, so a cue
    change can land anywhere inside a frame period."""
    cues = []
    start = 500
    index = 0
    while start + length_ms < duration_ms:
        speaker = "therapist" if index % 2 == 0 else "patient"
        cues.append(Cue(index, start, start + length_ms, f"line {index}", speaker))
        index += 1
        start += every_ms
    return Transcript(source=None, format="srt", encoding="utf-8", cues=cues)


_WORDS = (
    "I think that my mother never really listened when I tried to tell her what was wrong "
    "and his voice would go quiet whenever we talked about it so I stopped trying you know "
    "it is hard to say this out loud but I am angry about it still and I feel nothing at all"
).split()


def synthetic_srt(cues: int) -> Path:
    """A session-like SRT of ``cues`` cues, made once and cached."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"session_{cues}.srt"
    if path.is_file() and path.stat().st_size:
        return path
    blocks = []
    start = 1000
    for number in range(1, cues + 1):
        length = 1200 + (number * 397) % 3000
        words = [_WORDS[(number * 7 + k) % len(_WORDS)] for k in range(6 + number % 9)]
        if number % 11 == 0:
            words[2] = f"<i>{words[2]}</i>"
        text = " ".join(words)
        if number % 3 == 0:
            middle = len(words) // 2
            text = " ".join(words[:middle]) + "\n" + " ".join(words[middle:])
        who = "Th" if number % 2 else "Pt"
        blocks.append(
            f"{number}\n{srt_time(start)} --> {srt_time(start + length)}\n{who}: {text}\n"
        )
        start += length + 150 + (number * 13) % 400
    partial = path.with_suffix(".part")
    partial.write_text("\n".join(blocks), encoding="utf-8")
    partial.replace(path)
    return path


def srt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


# --- numbers -----------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def growth_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (hours, MB): how fast something grows, in MB per hour."""
    if len(points) < 2:
        return float("nan")
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else float("nan")


def ratio(value: float, baseline: float) -> str:
    if not baseline or math.isnan(baseline) or math.isnan(value):
        return "  n/a"
    return f"{value / baseline:5.2f}x"


def verdict(label: str, value: float, limit: float, unit: str = "", *, at_least: bool = False) -> bool:
    """Print one target line, PASS or MISS, and say which it was."""
    ok = value >= limit if at_least else value <= limit
    sign = ">=" if at_least else "<="
    print(f"  {'PASS' if ok else 'MISS'}  {label}: {value:.2f}{unit} (target {sign} {limit:g}{unit})")
    return ok


# --- the machine -------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def machine_line() -> str:
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"{now} · {os.cpu_count()} cores · {cpu_model()} · Python {platform.python_version()}"


def header(title: str) -> None:
    print(f"== {title}")
    print(f"   {machine_line()}")
    print(f"   ffmpeg: {ffmpeg.find_ffmpeg().version}")


def mpv_path() -> str | None:
    return shutil.which("mpv")


# --- launching the app ----------------------------------------------------------------


@functools.cache
def compile_package() -> None:
    """Write review_tui's bytecode cache, as installing the package (pip compiles on install)
    or its first run would. Without it, a machine that sets PYTHONDONTWRITEBYTECODE (this
    project's build machine does) compiles all our modules from source at every start, ~80 ms
    that no user pays, while the baseline's Textual comes precompiled from its wheel."""
    import compileall

    compileall.compile_dir(str(REPO / "review_tui"), quiet=1)


def app_command(media: Path, folder: Path) -> tuple[list[str], dict[str, str]]:
    """argv and environment that open ``media`` in review_tui with the NULL audio device,
    its review file, config and data dir inside ``folder`` (so no saved resume point or
    user setting changes what is measured), from compiled bytecode as installed."""
    compile_package()
    argv = [sys.executable, "-m", "review_tui", "open", str(media), "--audio", "null",
            "--review", str(folder / "bench.review.sqlite")]
    env = {
        "PYTHONPATH": str(REPO),
        "REVIEW_TUI_CONFIG": str(folder / "no-config.toml"),
        "REVIEW_TUI_DATA_DIR": str(folder / "data"),
        # A named reviewer: otherwise the app opens on the reviewer prompt, which takes the keys.
        "REVIEW_TUI_REVIEWER": "Benchmark:supervisor",
    }
    return argv, env
