"""Sustained drawing: the whole app playing 720p 30 fps video in a real pseudo-terminal.

For each terminal size (80x24 and 160x45 cells) the app is started as a user would start it
(``python -m review_tui open FILE --audio null``) in a pty that claims truecolor and
synchronized output, waits for its first picture, gets Space, and after a warm-up is watched
for ``--seconds``:
  * video frames drawn per second: synchronized updates that put a new picture on screen
    (their lines of picture cells "▀" differ from the last picture's); all updates per
    second and output MB/s are printed too;
  * CPU as % of one core, of the app's own process (the Python UI and the player's threads)
    and of its whole process tree (with the ffmpeg decoders), from /proc.
Baseline in the same run: ``mpv --vo=tct --ao=null`` (mpv's own truecolor half-block output)
on the same file, same pty size, same window; its frames are counted where its cursor goes
back up to its first row, and its CPU is one process (it decodes inside).
Also, at 160x45 and 1x on the 720p file, the same with the code picker open over the playing
picture (the screen below a dialog is drawn eight times a second).
Targets: >= 29 frames/s at 160x45 with the app process <= 35 % of one core; the app process
<= 35 % of a core with a dialog open.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

import benchlib
import ptyrun

SIZES = ((80, 24), (160, 45))
WARM_UP_S = 1.5
SOURCE_FPS = 30
ROW_MOVE = re.compile(rb"\x1b\[(\d+);\d+[fH]")


def mpv_frame_starts(data: bytes) -> list[int]:
    """mpv's tct output addresses each row; a frame begins where the row number goes back."""
    starts: list[int] = []
    previous = None
    for match in ROW_MOVE.finditer(data):
        row = int(match.group(1))
        if previous is None or row <= previous:
            starts.append(match.start())
        previous = row
    return starts


def measure(process: ptyrun.PtyProcess, seconds: float, count) -> dict:
    time.sleep(WARM_UP_S)
    cpu_before, started = process.cpu_seconds(), time.monotonic()
    # Memory is sampled through the run: the peak is what a user's machine must hold.
    peak_rss = 0.0
    while time.monotonic() - started < seconds:
        peak_rss = max(peak_rss, process.rss_mb())
        time.sleep(min(0.5, max(0.0, seconds - (time.monotonic() - started))))
    cpu_after, ended = process.cpu_seconds(), time.monotonic()
    updates = [update for update in count() if started <= update.end_s < ended]
    span = ended - started
    pictures = ptyrun.new_pictures(updates)
    return {
        "fps": len(pictures) / span,
        "updates_per_s": len(updates) / span,
        "mb_per_s": sum(update.size for update in updates) / span / 1e6,
        "cpu_process": (cpu_after[0] - cpu_before[0]) / span * 100,
        "cpu_tree": (cpu_after[1] - cpu_before[1]) / span * 100,
        "cells": max((update.half_blocks for update in pictures), default=0),
        "rss_mb": peak_rss,
    }


def speed_keys(speed: float) -> str:
    """The app's `]` presses from 1x to ``speed`` (steps 1.25, 1.5, 2)."""
    steps = [1.25, 1.5, 2.0]
    return "]" * sum(1 for step in steps if step <= speed + 1e-9)


def run_app(media: Path, cols: int, rows: int, seconds: float, speed: float = 1.0, dialog_key: str = "") -> dict | None:
    with tempfile.TemporaryDirectory() as folder:
        argv, env = benchlib.app_command(media, Path(folder))
        process = ptyrun.PtyProcess(argv, cols=cols, rows=rows, env=ptyrun.terminal_env(env), cwd=str(benchlib.REPO))
        try:
            if process.wait_for(ptyrun.HALF_BLOCK, 30) is None:
                print(f"  review_tui at {cols}x{rows}: no picture within 30 s; last output:")
                print("   ", process.output()[0][-600:])
                return None
            time.sleep(0.5)  # the pane settles on its size and asks for frames that fit
            process.send(speed_keys(speed))
            process.send(" ")
            if dialog_key:  # a dialog over the playing picture, as tagging opens one
                time.sleep(0.3)
                process.send(dialog_key)
            return measure(process, seconds, process.updates)
        finally:
            process.close(quit_keys=b"q")


def run_mpv(mpv: str, media: Path, cols: int, rows: int, seconds: float, speed: float = 1.0) -> dict | None:
    argv = [mpv, "--vo=tct", "--ao=null", "--really-quiet", "--no-config", f"--speed={speed:g}", str(media)]
    process = ptyrun.PtyProcess(argv, cols=cols, rows=rows, env=ptyrun.terminal_env())
    try:
        if process.wait_for(b"\x1b[", 15) is None:
            return None
        return measure(process, seconds, lambda: process.pieces(mpv_frame_starts, "▄".encode()))
    finally:
        process.close(quit_keys=b"q")


def show(label: str, result: dict | None, baseline: dict | None) -> None:
    if result is None:
        print(f"    {label:<12} no result")
        return
    fps_ratio = benchlib.ratio(result["fps"], baseline["fps"]) if baseline else "  n/a"
    cpu_ratio = benchlib.ratio(result["cpu_tree"], baseline["cpu_tree"]) if baseline else "  n/a"
    rss_ratio = benchlib.ratio(result["rss_mb"], baseline["rss_mb"]) if baseline else "  n/a"
    print(
        f"    {label:<12} {result['fps']:5.1f} frames/s ({fps_ratio} mpv, {result['fps'] / SOURCE_FPS:4.0%} of the source)"
        f" · {result['updates_per_s']:5.1f} updates/s"
        f" · {result['mb_per_s']:5.2f} MB/s · picture {result['cells']} cells"
        f" · CPU process {result['cpu_process']:5.1f} %, tree {result['cpu_tree']:5.1f} % ({cpu_ratio} mpv)"
        f" · peak memory {result['rss_mb']:5.0f} MB ({rss_ratio} mpv)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds of playback per run")
    parser.add_argument("--no-mpv", action="store_true")
    parser.add_argument("--speeds", default="1.5,2", help="faster speeds measured at 160x45 too")
    parser.add_argument("--files", default="720p,1080p", help="720p (25 fps grid, 30 fps file) and/or 1080p (30 fps)")
    args = parser.parse_args()
    speeds = [float(value) for value in args.speeds.split(",") if value]

    benchlib.header(f"bench_render: {args.seconds:g} s of playback in a pty, speeds 1 and {args.speeds}")
    # 30 fps: with a 25 fps source no player could draw the 29 frames/s of the target.
    # Longer than the window at the top speed, so playback never reaches the end while measured.
    length = int((args.seconds + WARM_UP_S) * max([1.0, *speeds]) + 10)
    makers = {
        "720p": lambda: benchlib.camera_video(length, fps=SOURCE_FPS, keyint=10 * SOURCE_FPS),
        "1080p": lambda: benchlib.camera_1080p(length),
    }
    mpv = None if args.no_mpv else benchlib.mpv_path()
    verdicts: list[tuple[str, dict | None]] = []
    dialog_verdicts: list[tuple[str, dict | None]] = []
    for name in args.files.split(","):
        media = makers[name]()
        print(f"   file: {media.name}; TERM=xterm-256color COLORTERM=truecolor, sync output answered yes")
        runs = [((80, 24), 1.0), ((160, 45), 1.0)] if name == "720p" else [((160, 45), 1.0)]
        runs += [((160, 45), speed) for speed in speeds]
        for (cols, rows), speed in runs:
            print(f"  {name} {cols}x{rows} cells at {speed:g}x:")
            baseline = run_mpv(mpv, media, cols, rows, args.seconds, speed) if mpv else None
            ours = run_app(media, cols, rows, args.seconds, speed)
            show("mpv --vo=tct", baseline, baseline)
            show("review_tui", ours, baseline)
            if (cols, rows) == (160, 45):
                verdicts.append((f"{name} at {speed:g}x", ours))
            if (cols, rows, speed, name) == (160, 45, 1.0, "720p"):
                # The code picker (c) open while the video plays: the screen below it is drawn
                # again eight times a second by design (tui/screens/dialog.py), so only CPU is judged.
                under = run_app(media, cols, rows, args.seconds, speed, dialog_key="c")
                show("  dialog open", under, baseline)
                dialog_verdicts.append((f"{name} at {speed:g}x, code picker open", under))
    if not mpv:
        print("  mpv: baseline skipped (--no-mpv, or not installed: apt-get install -y mpv)")
    for label, result in verdicts:
        if result is None:
            print(f"  MISS  {label}: the app drew no picture at 160x45")
            continue
        benchlib.verdict(f"frames/s at 160x45, {label}", result["fps"], 29, "", at_least=True)
        benchlib.verdict(f"app process CPU at 160x45, {label}", result["cpu_process"], 35, " % of a core")
    for label, result in dialog_verdicts:
        if result is not None:
            benchlib.verdict(f"app process CPU at 160x45, {label}", result["cpu_process"], 35, " % of a core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
