"""Memory over a long session, faster than real time: does anything grow with use?

What it does. The real :class:`~review_tui.media.player.Player` (its engine thread, decoders,
frame ring, keyframe pictures and prefetcher, real ffmpeg processes), in this process, on a
10-minute 320x180 25 fps h264 file with a keyframe every 10 s (a camera's GOP, at a size
that decodes fast), pictures at 94x52 (the video pane of a 160x45 terminal). The session is
cut into chunks of 10 minutes of media each; ``--hours`` of media in all (3 by default):

  * playback through the chunk with the player's clock at ``--speed`` (default 32x; sound
    off, since sound would pace it): the engine takes what the decoder has ready and puts
    it in the ring, as at 1x, only sooner. On two shared cores a decoder does not keep up
    with 800 frames a second, so it falls behind and is started again where the clock is
    (the player's rule past 2 s behind): the run churns decoders too (their count is
    printed), and shows a fraction of the 270,000 frames of 3 hours;
  * then paused: ``--seeks`` seeks (→ ← ±5 s, shift+→ +30 s, frame steps, a replay
    played for a moment, and jumps to "lines and tags" told to the player first with
    ``set_likely_targets``, as the app does), each waited for until its exact frame is up;
  * every third chunk the picture size changes (the ring empties and fills again, the
    keyframe pictures are decoded again);
  * each chunk also starts and stops a sound decoder (``PcmStream``) a few times.

After each chunk, once the player has let its paused decoder go, it samples this process's
PSS, its threads and open file descriptors, and the live ffmpeg processes. It prints the
growth of PSS in MB per hour of session (least squares over the chunks after the first
hour, when the ring, caches and keyframe pictures have filled), and the last sample against
the first sample of that settled part as a ratio. Targets: <= 1 MB per hour of session;
threads, descriptors and ffmpeg processes the same at the end as after the first hour.

What it does not cover. The Textual UI (its caches are bounded LRUs, measured apart by
bench_memory.py at 2x in a pty), the SQLite store, real time: a leak that grows with wall
time rather than with frames, seeks or decoders (a timer, a growing log) would not show.
Sound is decoded in short bursts, not for 3 hours. The ffmpeg processes live for a chunk
at most, so a leak inside ffmpeg over hours of one process would not show either.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time

import benchlib
import ptyrun

from review_tui.media.audio import PcmStream
from review_tui.media.player import Player

CHUNK_MS = 10 * 60 * 1000
SIZES = [(94, 52), (80, 44)]
SETTLE_HOURS = 1.0


def wait_until(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def sample(player: Player) -> dict[str, float]:
    wait_until(lambda: not player.live_processes(), 10.0)  # the paused decoder let go
    pid = os.getpid()
    return {
        "pss_mb": ptyrun.process_pss_kb(pid) / 1024,
        "threads": threading.active_count(),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "ffmpeg": len(ptyrun.descendants(pid)),
        "ring_mb": player.memory_bytes() / 1024 / 1024,
    }


def play_chunk(player: Player, start_ms: int, speed: float) -> int:
    """Play from ``start_ms`` to the end of the chunk (or of the file) at ``speed``."""
    player.seek(start_ms)
    player._clock.set_speed(speed)  # beyond the UI's 2x: the engine only reads the clock
    player.play()
    end_ms = min(start_ms + CHUNK_MS, player.duration_ms)
    wait_until(lambda: player.position_ms() >= end_ms or not player.playing, CHUNK_MS / speed / 1000 * 3 + 10)
    player.pause()
    player._clock.set_speed(1.0)
    return player.position_ms() - start_ms


def seek_burst(player: Player, count: int, rng: random.Random) -> int:
    """``count`` paused seeks of every kind; returns how many reached their exact frame."""
    exact = 0
    duration = player.duration_ms
    for number in range(count):
        kind = number % 6
        if kind == 0:
            player.seek_relative(5000)
        elif kind == 1:
            player.seek_relative(-5000)
        elif kind == 2:
            player.seek_relative(30000)
        elif kind == 3:
            player.step_frame(+1 if rng.random() < 0.7 else -1)
        elif kind == 4:  # a line or tag the UI told about, then jumped to
            here = player.position_ms()
            hints = [min(duration, here + rng.randint(1000, 40000)), max(0, here - rng.randint(1000, 40000))]
            player.set_likely_targets(hints)
            wait_until(lambda: not player._prefetcher.pending, 2.0)
            player.seek(hints[0])
        else:  # `b`: back 5 s and play a moment
            player.replay(5000)
            time.sleep(0.15)
            player.pause()
        if player.position_ms() >= duration - 1000:
            player.seek(rng.randint(0, duration // 2))
        if wait_until(player.picture_is_exact, 5.0):
            exact += 1
    return exact


def sound_churn(media, times: int) -> None:
    for number in range(times):
        stream = PcmStream(media.path, number * 7000 % max(1, media.duration_ms - 2000), 1.0 + (number % 3) / 2)
        wait_until(lambda: len(stream._buffer) > 9600, 3.0)
        stream.take(4800)
        stream.close()


def growth_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (hours, MB)."""
    if len(points) < 2:
        return float("nan")
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=3.0, help="hours of media played through in all")
    parser.add_argument("--speed", type=float, default=32.0, help="the clock's speed while playing")
    parser.add_argument("--seeks", type=int, default=100, help="paused seeks after each 10-minute chunk")
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    benchlib.header(f"bench_soak: {args.hours:g} h of session at {args.speed:g}x, {args.seeks} seeks per 10 min")
    media = benchlib.probe(benchlib.camera_video(600, size="320x180"))
    print(f"   file: {media.path.name} (600 s, 320x180 25 fps, keyframe every 10 s)")
    rng = random.Random(args.seed)
    player = Player(media, duration_ms=media.duration_ms, audio="off", wait_for_size=True)
    player.set_video_size(*SIZES[0])
    chunks = max(1, round(args.hours * 3_600_000 / CHUNK_MS))
    rows: list[tuple[float, dict[str, float]]] = []
    played_ms = seeks = exact = 0
    started = time.monotonic()
    try:
        wait_until(lambda: player.latest_frame() is not None, 30)
        position = 0
        for chunk in range(chunks):
            if chunk % 3 == 2:
                player.set_video_size(*SIZES[(chunk // 3 + 1) % 2])
            played_ms += play_chunk(player, position, args.speed)
            position = player.position_ms() if player.position_ms() < player.duration_ms - 1000 else 0
            exact += seek_burst(player, args.seeks, rng)
            seeks += args.seeks
            sound_churn(media, 5)
            session_h = (chunk + 1) * CHUNK_MS / 3_600_000
            found = sample(player)
            rows.append((session_h, found))
            print(f"  {session_h:5.2f} h  PSS {found['pss_mb']:6.1f} MB  ring+keyframes {found['ring_mb']:4.1f} MB"
                  f"  threads {found['threads']:3.0f}  fds {found['fds']:3.0f}  ffmpeg {found['ffmpeg']:.0f}"
                  f"  ({time.monotonic() - started:5.0f} s)", flush=True)
            if player.error:
                print(f"  player error: {player.error}")
                player.error = None
    finally:
        stats = dict(player.stats)
        player.close()
    wall_s = time.monotonic() - started
    print(f"  played {played_ms / 3_600_000:.2f} h of media in {wall_s:.0f} s wall ({played_ms / 1000 / wall_s:.0f}x real time);"
          f" {seeks} paused seeks, {exact} reached their exact frame; decoders started {stats['video_starts']},"
          f" frames shown {stats['frames_shown']}, dropped {stats['frames_dropped']}")
    settled = [(hours, found) for hours, found in rows if hours > SETTLE_HOURS] or rows
    slope = growth_per_hour([(hours, found["pss_mb"]) for hours, found in settled])
    first, last = settled[0][1], rows[-1][1]
    print(f"  settled from {settled[0][0]:.2f} h: PSS {first['pss_mb']:.1f} -> {last['pss_mb']:.1f} MB"
          f" ({benchlib.ratio(last['pss_mb'], first['pss_mb'])}), {slope:+.2f} MB per hour of session")
    benchlib.verdict("PSS growth per hour of session", slope, 1.0, " MB/h")
    same = all(last[key] <= first[key] for key in ("threads", "fds", "ffmpeg"))
    print(f"  threads {first['threads']:.0f} -> {last['threads']:.0f}, fds {first['fds']:.0f} -> {last['fds']:.0f},"
          f" ffmpeg {first['ffmpeg']:.0f} -> {last['ffmpeg']:.0f}: {'PASS' if same else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
