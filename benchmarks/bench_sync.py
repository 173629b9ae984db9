"""Picture, clock and transcript together during playback, with the NULL audio device.

Plays the 720p25 camera-like file and a 1080p30 one at 1x, 1.5x and 2x and samples every ~10 ms:
  * drift = |pts of latest_frame() - position_ms()|: how far the picture is from the clock
    (the one clock the sound and the transcript follow). A correct player is between 0 and
    one frame period (the frame on screen started at most one period ago).
  * for every transcript cue start S that plays: the media position at the first sample whose
    lit cue (Transcript.cue_at(position)) is that cue, minus S (sampling adds up to one
    sample gap x speed); and whether the text and the picture change together: the wall
    time from the picture holding S appearing to the cue lighting, minus the ideal gap
    (S - that picture's pts) / speed.
Baseline: one frame period (40 ms at 25 fps); every figure is also given as a ratio to it.
Targets: drift p95 <= 40 ms; a cue lights within one frame period of its start (p95) and
within one frame period of the picture of its start (max).
"""

from __future__ import annotations

import argparse
import itertools
import time

import benchlib

from review_tui.media.video import FrameGrid

SAMPLE_S = 0.010
START_MS = 10_000
PANE = (160, 90)


def wait_for_frame(player, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while player.latest_frame() is None and time.monotonic() < deadline:
        time.sleep(0.005)


def play_and_sample(player, transcript, grid: FrameGrid, speed: float, seconds: float) -> dict:
    player.pause()
    player.set_speed(speed)
    player.seek(START_MS)
    wanted = grid.start_ms(grid.index_at(START_MS))
    deadline = time.monotonic() + 10
    while (player.latest_frame() is None or player.latest_frame().pts_ms != wanted) and time.monotonic() < deadline:
        time.sleep(0.002)
    stats_before = dict(player.stats)
    drift: list[float] = []
    samples: list[tuple[float, int, int | None, int | None]] = []  # wall, position, frame pts, cue index
    started = time.perf_counter()
    player.play()
    moved_after = None
    while True:
        now = time.perf_counter() - started
        if now >= seconds:
            break
        position = player.position_ms()
        frame = player.latest_frame()
        cue = transcript.cue_at(position)
        pts = frame.pts_ms if frame is not None else None
        if moved_after is None and position > START_MS:
            moved_after = now
        if pts is not None:
            drift.append(abs(pts - position))
        samples.append((now, position, pts, cue.index if cue else None))
        time.sleep(SAMPLE_S)
    player.pause()
    stats = {key: player.stats[key] - stats_before.get(key, 0) for key in player.stats}
    return {"drift": drift, "samples": samples, "moved_after_s": moved_after, "stats": stats}


def cue_timing(samples, transcript, grid: FrameGrid, speed: float) -> tuple[list[float], list[float], dict[int, int], int]:
    """For every cue that started during the run:
    * lateness: media position at the first sample where it is lit, minus its start;
    * text vs picture: wall time from the picture holding its start appearing to the cue
      lighting, minus the ideal gap ((start - that picture's pts) / speed): 0 when the text
      changes exactly when the sound does, whatever the frame grid;
    * frame offsets: index of the frame on screen when it lit minus the frame holding its
      start (0: together; 1: the picture ran ahead a frame; -1: it lagged a frame);
    and how many cues never lit."""
    first_position = samples[0][1]
    last_position = samples[-1][1]
    lit_at: dict[int, tuple[float, int, int | None]] = {}
    for wall, position, pts, cue in samples:
        if cue is not None and cue not in lit_at:
            lit_at[cue] = (wall, position, pts)
    lateness, text_vs_picture, offsets, missed = [], [], {}, 0
    for cue in transcript.cues:
        if not first_position < cue.start_ms < last_position - 100:
            continue
        if cue.index not in lit_at:
            missed += 1
            continue
        wall_lit, position_lit, pts_lit = lit_at[cue.index]
        lateness.append(position_lit - cue.start_ms)
        picture_index = grid.index_at(cue.start_ms)
        picture_pts = grid.start_ms(picture_index)
        if pts_lit is not None:
            offset = grid.index_at(pts_lit) - picture_index
            offsets[offset] = offsets.get(offset, 0) + 1
        shown = next((wall for wall, _pos, pts, _cue in samples if pts is not None and pts >= picture_pts), None)
        if shown is not None:
            ideal_s = (cue.start_ms - picture_pts) / 1000 / speed
            text_vs_picture.append((wall_lit - shown - ideal_s) * 1000)
    return lateness, text_vs_picture, offsets, missed


def line(label: str, values: list[float], period: float) -> None:
    values = values or [float("nan")]
    p50, p95 = benchlib.percentile(values, 50), benchlib.percentile(values, 95)
    worst = max(values, key=abs)
    print(
        f"    {label:<34} p50 {p50:6.1f}  p95 {p95:6.1f}  max|.| {abs(worst):6.1f} ms"
        f"   vs frame period: p95 {benchlib.ratio(p95, period)}  max {benchlib.ratio(abs(worst), period)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="wall seconds per speed (full run: 300)")
    parser.add_argument("--speeds", default="1,1.5,2")
    parser.add_argument("--files", default="720p,1080p", help="720p25 (10 min) and/or 1080p30 (200 s)")
    args = parser.parse_args()

    benchlib.header(f"bench_sync: {args.seconds:g} s per speed, NULL audio device")
    makers = {"720p": lambda: benchlib.camera_video(600), "1080p": lambda: benchlib.camera_1080p(200)}
    for name in args.files.split(","):
        measure_file(makers[name](), args)
    return 0


def measure_file(path, args) -> None:
    media = benchlib.probe(path)
    grid = FrameGrid(media.video.fps)
    period = grid.period_ms
    transcript = benchlib.synthetic_transcript(media.duration_ms)
    print(f"   file: {path.name}; synthetic transcript: {len(transcript.cues)} cues starting off the frame grid")
    print(f"   baseline: one frame period = {period:.0f} ms")

    from review_tui.media.player import Player

    player = Player(media, duration_ms=media.duration_ms, audio="null")
    player.set_video_size(*PANE)
    print(f"   audio: {player.audio_status}; decoded at {player.video_size[0]}x{player.video_size[1]}")
    wait_for_frame(player)
    worst_drift_p95 = 0.0
    worst_lateness_p95 = 0.0
    worst_text_vs_picture = 0.0
    missed_total = 0
    try:
        for speed in (float(value) for value in args.speeds.split(",")):
            run = play_and_sample(player, transcript, grid, speed, args.seconds)
            lateness, text_vs_picture, offsets, missed = cue_timing(run["samples"], transcript, grid, speed)
            stats = run["stats"]
            moved = run["moved_after_s"]
            walls = [sample[0] for sample in run["samples"]]
            gaps = [(later - earlier) * 1000 for earlier, later in itertools.pairwise(walls)]
            print(
                f"  speed {speed:g}x: {len(run['samples'])} samples (gap p95 {benchlib.percentile(gaps, 95):.1f} ms,"
                f" max {max(gaps):.1f} ms: a cue can look late by up to a gap x speed), clock started after "
                f"{(moved or float('nan')) * 1000:.0f} ms, frames shown {stats['frames_shown']}, "
                f"dropped {stats['frames_dropped']}, decoder restarts {stats['video_starts']}"
            )
            line("drift |frame pts - position|", run["drift"], period)
            line("cue lit: position - cue start", lateness, period)
            line("cue lit vs its picture (wall, - ideal)", text_vs_picture, period)
            shown = ", ".join(f"{offset:+d}: {count}" for offset, count in sorted(offsets.items()))
            print(f"    frame on screen when a cue lit, relative to the frame holding its start: {shown}")
            if missed:
                print(f"    {missed} cue(s) never lit")
            worst_drift_p95 = max(worst_drift_p95, benchlib.percentile(run["drift"], 95))
            if lateness:
                worst_lateness_p95 = max(worst_lateness_p95, benchlib.percentile(lateness, 95))
            if text_vs_picture:
                worst_text_vs_picture = max(worst_text_vs_picture, max(abs(value) for value in text_vs_picture))
            missed_total += missed
    finally:
        player.close()

    benchlib.verdict("drift p95 (worst speed), vs the 40 ms target", worst_drift_p95, 40, " ms")
    benchlib.verdict("drift p95 (worst speed), vs one frame period", worst_drift_p95, period, " ms")
    benchlib.verdict("cue lit after its start, p95 (worst speed)", worst_lateness_p95, period, " ms")
    benchlib.verdict("cue lit vs its picture, max |error| (worst speed)", worst_text_vs_picture, period, " ms")
    if missed_total:
        print(f"  MISS  {missed_total} cue(s) never lit")


if __name__ == "__main__":
    raise SystemExit(main())
