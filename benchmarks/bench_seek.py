"""Paused seek: how long from ``Player.seek(ms)`` until the picture at ms is ready.

Against, at the same 30 points of a 10-minute 720p camera-like file (keyframe every 10 s):
  * baseline — the same ffmpeg binary seeking on its own: ``-ss T -i FILE -frames:v 1``,
    scaled to the same 160x90 rgb24 and read from a pipe, timed from launch to the last
    byte of the frame (the Player also starts a fresh ffmpeg for a far seek);
  * mpv, when installed — one long-lived paused mpv (``--vo=null``) told over its JSON IPC
    to ``seek T absolute+exact``, timed to its ``playback-restart`` event (the first frame
    at the target is decoded and ready), i.e. a player that keeps the file open as ours does.
The three are measured point by point in turn, so background noise hits them alike.

Targets: our median <= 1.5x the ffmpeg baseline, our p90 <= 150 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import socket
import subprocess
import tempfile
import time

import benchlib
import ffmpeg as ffmpeg_python

from review_tui.media import ffmpeg
from review_tui.media.video import FrameGrid

PANE = (160, 90)
POLL_S = 0.001
GIVE_UP_S = 10.0


def seek_points(duration_ms: int, count: int, seed: int) -> list[int]:
    chooser = random.Random(seed)
    return [chooser.randrange(1000, duration_ms - 1000) for _ in range(count)]


def player_seek_ms(player, target_ms: int, grid: FrameGrid) -> float:
    wanted_pts = grid.start_ms(grid.index_at(target_ms))
    started = time.perf_counter()
    player.seek(target_ms)
    while time.perf_counter() - started < GIVE_UP_S:
        frame = player.latest_frame()
        if frame is not None and frame.pts_ms == wanted_pts:
            return (time.perf_counter() - started) * 1000
        time.sleep(POLL_S)
    return float("nan")


def ffmpeg_seek_ms(path, target_ms: int, width: int, height: int) -> float:
    stream = (
        ffmpeg_python.input(ffmpeg.input_url(path), ss=f"{target_ms / 1000:.3f}")["v:0"]
        .filter("scale", width, height)
        .output("pipe:", format="rawvideo", pix_fmt="rgb24", vframes=1)
    )
    wanted = width * height * 3
    started = time.perf_counter()
    process = ffmpeg.popen(stream)
    got = 0
    while got < wanted:
        chunk = process.stdout.read(wanted - got)
        if not chunk:
            break
        got += len(chunk)
    elapsed = (time.perf_counter() - started) * 1000
    process.kill()
    process.wait()
    process.stdout.close()
    return elapsed if got == wanted else float("nan")


class MpvIpc:
    """A paused mpv driven over its JSON IPC socket."""

    def __init__(self, mpv: str, path, width: int, height: int, folder: str) -> None:
        self.socket_path = os.path.join(folder, "mpv.sock")
        self.process = subprocess.Popen(
            [mpv, "--idle=no", "--pause", "--vo=null", "--ao=null", "--no-terminal",
             "--hr-seek=yes", f"--vf=scale={width}:{height}",
             f"--input-ipc-server={self.socket_path}", str(path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not os.path.exists(self.socket_path):
            if time.monotonic() > deadline:
                raise RuntimeError("mpv did not open its IPC socket")
            time.sleep(0.01)
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.socket_path)
        self.buffer = b""
        self.seek_ms(0)  # wait until the file is open and a first frame decoded

    def _events(self, timeout_s: float):
        self.sock.settimeout(timeout_s)
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                yield json.loads(line)
            self.buffer += self.sock.recv(65536)

    def seek_ms(self, target_ms: int) -> float:
        command = {"command": ["seek", target_ms / 1000, "absolute+exact"]}
        started = time.perf_counter()
        self.sock.sendall(json.dumps(command).encode() + b"\n")
        try:
            for message in self._events(GIVE_UP_S):
                if message.get("event") == "playback-restart":
                    return (time.perf_counter() - started) * 1000
        except (TimeoutError, OSError):
            pass
        return float("nan")

    def close(self) -> None:
        self.sock.close()
        self.process.kill()
        self.process.wait()


def report(label: str, values: list[float], baseline_median: float) -> None:
    good = [value for value in values if not math.isnan(value)]
    print(
        f"  {label:<26} median {benchlib.median(good):7.1f} ms  p90 {benchlib.percentile(good, 90):7.1f} ms"
        f"  max {max(good, default=float('nan')):7.1f} ms  ratio (median) {benchlib.ratio(benchlib.median(good), baseline_median)}"
        + (f"  ({len(values) - len(good)} timed out)" if len(good) < len(values) else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--audio", default="null", choices=("null", "off"), help="player audio mode")
    parser.add_argument("--no-mpv", action="store_true")
    args = parser.parse_args()

    benchlib.header("bench_seek: paused seek to a frame at a 160x90 pane")
    path = benchlib.camera_video(600)
    media = benchlib.probe(path)
    grid = FrameGrid(media.video.fps)
    points = seek_points(media.duration_ms, args.points, args.seed)
    print(f"   file: {path.name} ({media.duration_ms / 1000:.0f} s, keyframe every 10 s), {len(points)} points, seed {args.seed}")

    from review_tui.media.player import Player

    player = Player(media, duration_ms=media.duration_ms, audio=args.audio)
    player.set_video_size(*PANE)
    width, height = player.video_size
    player_seek_ms(player, 0, grid)  # warm up: the first frame and the decoder's start
    mpv_path = None if args.no_mpv else benchlib.mpv_path()
    ours, baseline, by_mpv = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        mpv = MpvIpc(mpv_path, path, width, height, folder) if mpv_path else None
        try:
            for target in points:
                baseline.append(ffmpeg_seek_ms(path, target, width, height))
                ours.append(player_seek_ms(player, target, grid))
                if mpv is not None:
                    by_mpv.append(mpv.seek_ms(target))
        finally:
            player.close()
            if mpv is not None:
                mpv.close()

    good_baseline = [value for value in baseline if not math.isnan(value)]
    base_median = benchlib.median(good_baseline)
    print(f"   decoded at {width}x{height}")
    report("ffmpeg -ss (baseline)", baseline, base_median)
    report("review_tui Player.seek", ours, base_median)
    if by_mpv:
        report("mpv IPC seek (reference)", by_mpv, base_median)
    else:
        print("  mpv: reference skipped (--no-mpv, or not installed: apt-get install -y mpv)")
    good = [value for value in ours if not math.isnan(value)]
    benchlib.verdict("median / baseline median", benchlib.median(good) / base_median, 1.5, "x")
    benchlib.verdict("p90", benchlib.percentile(good, 90), 150, " ms")
    if len(good) < len(ours):
        print(f"  MISS  {len(ours) - len(good)} seeks never showed their frame within {GIVE_UP_S:g} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
