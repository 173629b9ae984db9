"""Exports that call ffmpeg: the HTML review with stills, and clips for deliberate practice.

HTML: ``write_html`` with a still per key moment, on the demo with its sample review (16
tags) and on a synthetic 60-minute 640x360 session with 150 tags. Baseline in the same
run: the bundled ffmpeg alone taking the same stills (one ``-ss T -i FILE -frames:v 1``
scaled to 320 px, mjpeg into a pipe, per tag, as the export does). Runs are interleaved
(ffmpeg, ours, ...) and medians reported. Memory: Python's peak allocation during the
export (tracemalloc) must not grow with the number of stills, because each still goes
straight to the file: the 150-still peak is compared with the 16-still one.

Clips: ``write_clips`` for 10 tags of the 60-minute session, 3 s either side, against the
same ffmpeg cutting the same spans with the same encoder settings but nothing burned in
(and, for reference, with the same subtitles burned in, run directly). Peak RSS of the
ffmpeg children is printed too.

Targets: HTML with stills <= 1.5x ffmpeg taking the stills alone; clips (with subtitles,
title and contact sheet) <= 1.5x ffmpeg's plain cuts; Python peak for 150 stills <= 2x the
peak for 16 and under 8 MB.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import resource
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import benchlib
import ffmpeg as ffmpeg_python

from review_tui.codebook import load_codebook
from review_tui.media import ffmpeg
from review_tui.media.stills import CLIP_CRF, CLIP_PRESET, STILL_QUALITY, STILL_WIDTH
from review_tui.model import Transcript
from review_tui.report import build_report
from review_tui.report.clips import FONTS_DIR, ass_document, clip_span, lines_between, write_clips
from review_tui.report.html import write_html
from review_tui.session import load_session
from review_tui.store import ReviewStore

HOUR_S = 3600
TAGS = 150
CLIPS = 10
CODES = (
    "withdrawal.minimal_response", "confrontation.criticises_therapist", "defense.tactical",
    "phase.pressure", "anxiety.striated", "feeling.anger", "alliance.links_people",
    "intervention.question", "supervision.strength", "supervision.missed_opportunity",
)


@dataclass
class _Session:
    """What build_report reads from a session, for the synthetic hour."""

    title: str
    transcript: Transcript | None
    duration_ms: int


def hour_video() -> Path:
    """A 60-minute 640x360 25 fps h264+aac file with a keyframe every 10 s, made once."""
    benchlib.CACHE.mkdir(exist_ok=True)
    path = benchlib.CACHE / "hour_640x360_25fps.mp4"
    if path.is_file() and path.stat().st_size > 0:
        return path
    partial = path.with_suffix(".part.mp4")
    picture = ffmpeg_python.input(f"testsrc2=size=640x360:rate=25:duration={HOUR_S}", f="lavfi")
    tone = ffmpeg_python.input(f"sine=frequency=440:sample_rate=48000:duration={HOUR_S}", f="lavfi")
    stream = ffmpeg_python.output(
        picture, tone, str(partial), vcodec="libx264", preset="ultrafast", crf=30, pix_fmt="yuv420p",
        g=250, keyint_min=250, sc_threshold=0, acodec="aac", ac=2, movflags="+faststart",
    )
    print(f"making {path.name} (once; cached, a few minutes) ...", flush=True)
    result = ffmpeg.run(stream, timeout=3600)
    if result.returncode != 0:
        raise SystemExit(f"ffmpeg failed making {path}: {result.stderr.decode(errors='replace')[-400:]}")
    partial.replace(path)
    return path


def demo_report(folder: Path):
    source = benchlib.DEMO_MEDIA.parent
    for item in source.iterdir():
        if item.is_file():
            shutil.copy(item, folder / item.name)
    media = folder / benchlib.DEMO_MEDIA.name
    session = load_session(media)
    store = ReviewStore.open(folder / "demo.review.sqlite", media_fingerprint=None,
                             transcript_fingerprint=None, codebook=load_codebook())
    store.import_review(json.loads((folder / "sample_review.json").read_text(encoding="utf-8")))
    report = build_report(store, session, date=datetime.date.today())
    store.close()
    return report, media


def hour_report(folder: Path, media: Path, *, seed: int = 7):
    """150 tags spread over the hour (some ranges, ruptures with repairs), 10 of them clips."""
    rng = random.Random(seed)
    duration_ms = HOUR_S * 1000
    store = ReviewStore.open(folder / "hour.review.sqlite", media_fingerprint=None,
                             transcript_fingerprint=None, codebook=load_codebook())
    author = store.reviewer("Bench Supervisor", "supervisor")
    clip_at = {round((index + 0.5) * duration_ms / CLIPS) for index in range(CLIPS)}
    for start in sorted(clip_at):
        store.add_tag(start_ms=start, end_ms=None, code_id="supervision.practice_clip", rating=None,
                      note="practise this turn", author=author)
    count, index = CLIPS, 0
    while count < TAGS:
        start = rng.randrange(0, duration_ms - 40_000)
        end = start + rng.randrange(2_000, 15_000) if index % 3 == 0 else None
        code = CODES[index % len(CODES)]
        tag = store.add_tag(start_ms=start, end_ms=end, code_id=code, rating=rng.choice([None, 2, 3, 4]),
                            note=f"note {index}: what happened here and what to try instead", author=author)
        count, index = count + 1, index + 1
        if code.startswith("confrontation") and count < TAGS:
            repair = store.add_tag(start_ms=start + 30_000, end_ms=None, code_id="repair.acknowledges_own_part",
                                   rating=4, note="", author=author)
            store.link(tag.id, repair.id, "repair")
            count += 1
    session = _Session("hour", benchlib.synthetic_transcript(duration_ms), duration_ms)
    report = build_report(store, session, date=datetime.date.today())
    store.close()
    return report


def ffmpeg_stills(media: Path, times_ms: list[int]) -> float:
    started = time.perf_counter()
    for at_ms in times_ms:
        stream = (
            ffmpeg_python.input(str(media), ss=f"{at_ms / 1000:.3f}")
            .video.filter("scale", STILL_WIDTH, -2)
            .output("pipe:", format="image2pipe", vcodec="mjpeg", vframes=1, **{"q:v": STILL_QUALITY})
        )
        subprocess.run(ffmpeg.compile_args(stream), capture_output=True, check=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - started


def our_html(report, media: Path, out: Path) -> float:
    started = time.perf_counter()
    write_html(report, out, media_path=media)
    return time.perf_counter() - started


def python_peak(report, media: Path, out: Path) -> int:
    """Peak bytes Python allocates during one export (a separate run: tracing slows it)."""
    tracemalloc.start()
    try:
        write_html(report, out, media_path=media)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_html(name: str, report, media: Path, folder: Path, runs: int) -> tuple[float, float, int]:
    times = [moment.tag.start_ms for moment in report.moments]
    ours, base = [], []
    for _ in range(runs):
        base.append(ffmpeg_stills(media, times))
        ours.append(our_html(report, media, folder / f"{name}.html"))
    peak = python_peak(report, media, folder / f"{name}.html")
    size = (folder / f"{name}.html").stat().st_size
    ours_m, base_m = benchlib.median(ours), benchlib.median(base)
    print(f"  {name}: {len(times)} stills, page {size / 1e6:.2f} MB; ours {ours_m:.2f} s, "
          f"ffmpeg alone {base_m:.2f} s ({benchlib.ratio(ours_m, base_m)}); Python peak {peak / 1e6:.2f} MB")
    return ours_m, base_m, peak


def ffmpeg_cuts(report, media: Path, folder: Path, *, burn: bool) -> float:
    """The same spans and encoder settings as write_clips, run straight from here."""
    chosen = [m for m in report.moments if m.tag.code_id == "supervision.practice_clip"]
    started = time.perf_counter()
    for number, moment in enumerate(chosen):
        start_ms, end_ms = clip_span(moment, 3000, 3000, report.duration_ms)
        seconds = f"{(end_ms - start_ms) / 1000:.3f}"
        source = ffmpeg_python.input(str(media), ss=f"{start_ms / 1000:.3f}", t=seconds)
        picture = source.video.filter("scale", 640, 360).filter("setsar", 1)
        if burn:
            subtitles = folder / f"base-{number}.ass"
            subtitles.write_text(ass_document(moment, lines_between(report, moment, start_ms, end_ms),
                                              start_ms, end_ms, (640, 360)), encoding="utf-8")
            picture = picture.filter("subtitles", str(subtitles), fontsdir=str(FONTS_DIR))
        stream = ffmpeg_python.output(
            picture, source.audio, str(folder / f"base-{number}.mp4"), format="mp4", vcodec="libx264",
            preset=CLIP_PRESET, crf=CLIP_CRF, pix_fmt="yuv420p", acodec="aac", audio_bitrate="128k", ac=2,
            t=seconds, movflags="+faststart",
        )
        subprocess.run(ffmpeg.compile_args(stream), capture_output=True, check=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - started


def bench_clips(report, media: Path, folder: Path, runs: int) -> tuple[float, float]:
    ours, plain, burned = [], [], []
    for run in range(runs):
        plain.append(ffmpeg_cuts(report, media, folder, burn=False))
        started = time.perf_counter()
        written = write_clips(report, folder / f"clips-{run}", media_path=media)
        ours.append(time.perf_counter() - started)
        burned.append(ffmpeg_cuts(report, media, folder, burn=True))
    ours_m, plain_m, burned_m = (benchlib.median(values) for values in (ours, plain, burned))
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  {len(written) - 1} clips + contact sheet: ours {ours_m:.2f} s; ffmpeg plain cuts {plain_m:.2f} s "
          f"({benchlib.ratio(ours_m, plain_m)}); ffmpeg cuts with the same subtitles {burned_m:.2f} s "
          f"({benchlib.ratio(ours_m, burned_m)}); largest ffmpeg child {child_peak:.0f} MB RSS")
    return ours_m, plain_m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    benchlib.header("bench_export: HTML with stills, clips")
    media = hour_video()
    with tempfile.TemporaryDirectory(prefix="bench-export-") as name:
        folder = Path(name)
        demo, demo_media = demo_report(folder)
        hour = hour_report(folder, media)
        print("HTML review with a still per key moment")
        demo_ours, demo_base, demo_peak = bench_html("demo", demo, demo_media, folder, args.runs)
        hour_ours, hour_base, hour_peak = bench_html("hour", hour, media, folder, args.runs)
        print("Clips for deliberate practice")
        clips_ours, clips_base = bench_clips(hour, media, folder, args.runs)
        print(f"  this process's peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        print("Targets")
        benchlib.verdict("demo HTML vs ffmpeg stills alone", demo_ours / demo_base, 1.5, "x")
        benchlib.verdict("60-min HTML vs ffmpeg stills alone", hour_ours / hour_base, 1.5, "x")
        benchlib.verdict("Python peak, 150 stills vs 16", hour_peak / demo_peak, 2.0, "x")
        benchlib.verdict("Python peak, 150 stills", hour_peak / 1e6, 8.0, " MB")
        benchlib.verdict("10 clips vs ffmpeg plain cuts", clips_ours / clips_base, 1.5, "x")


if __name__ == "__main__":
    main()
