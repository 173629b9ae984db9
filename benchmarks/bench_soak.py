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

After each chunk, once the player has let its paused decoder and prefetch go (no ffmpeg
child and no reader thread left: a settled state, waited for up to 20 s; a sample that did
not settle is marked and left out of the fit), it samples this process's PSS, the bytes of
pictures it holds (ring + keyframes, bounded by design), its threads and open file
descriptors, and the live ffmpeg processes. It prints the growth of PSS in MB per hour of
session (least squares over the settled chunks after the first hour, when the ring, caches
and keyframe pictures have filled), the same for PSS less the held pictures (what is left
when the bounded pictures' coming and going is taken out), and the last sample against the
first sample of that part as a ratio. Targets: <= 1 MB per hour of session;
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
# A sample waits up to this long for the player to let every decoder go (see settled()).
SETTLE_TIMEOUT_S = 20.0
SETTLE_PAUSE_S = 0.5
READER_THREADS = {"video-reader", "audio-reader"}


def wait_until(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def anonymous_mb() -> float:
    """This process's anonymous memory (its heap, malloc's and Python's arenas, stacks): PSS
    without the shared libraries' pages, whose share moves with how many other processes on
    the machine map the same libraries at that moment."""
    anonymous_kb = ptyrun.rollup_kb(os.getpid()).get("Anonymous")
    return anonymous_kb / 1024 if anonymous_kb is not None else float("nan")


def settled(player: Player) -> bool:
    """No ffmpeg process and no reader thread of a decoder or a sound stream left: the
    player has let its paused decoder and its prefetch go. A sample taken with a decoder
    still alive holds that decoder's queue, thread and pages, so the slope would follow
    where decoders happened to be alive rather than growth."""
    readers = [thread for thread in threading.enumerate() if thread.name in READER_THREADS]
    return not player.live_processes() and not ptyrun.descendants(os.getpid()) and not readers


def sample(player: Player) -> dict[str, float]:
    calm = wait_until(lambda: settled(player), SETTLE_TIMEOUT_S)
    if calm:
        time.sleep(SETTLE_PAUSE_S)  # the engine thread is back waiting (and has freed what it held)
    pid = os.getpid()
    pss = ptyrun.process_pss_kb(pid) / 1024
    held = player.memory_bytes() / 1024 / 1024
    return {
        "pss_mb": pss,
        "anon_mb": anonymous_mb(),
        "threads": threading.active_count(),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "ffmpeg": len(ptyrun.descendants(pid)),
        "ring_mb": held,
        "unheld_mb": pss - held,
        "settled": calm,
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
                  f"  PSS less those {found['unheld_mb']:5.1f} MB  anonymous {found['anon_mb']:5.1f} MB"
                  f"  threads {found['threads']:3.0f}  fds {found['fds']:3.0f}  ffmpeg {found['ffmpeg']:.0f}"
                  f"{'' if found['settled'] else '  NOT SETTLED (a decoder still alive)'}"
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
    later = [(hours, found) for hours, found in rows if hours > SETTLE_HOURS] or rows
    # Samples taken with a decoder still alive (the wait timed out) are printed, counted and
    # left out of the fit; if none is settled, all are used and the count says so.
    fitted = [(hours, found) for hours, found in later if found["settled"]] or later
    slope = benchlib.growth_per_hour([(hours, found["pss_mb"]) for hours, found in fitted])
    slope_unheld = benchlib.growth_per_hour([(hours, found["unheld_mb"]) for hours, found in fitted])
    slope_anon = benchlib.growth_per_hour([(hours, found["anon_mb"]) for hours, found in fitted])
    first, last = fitted[0][1], fitted[-1][1]
    print(f"  after {SETTLE_HOURS:g} h, {len(fitted)} of {len(later)} samples settled (no decoder alive) and fitted")
    print(f"  from {fitted[0][0]:.2f} h: PSS {first['pss_mb']:.1f} -> {last['pss_mb']:.1f} MB"
          f" ({benchlib.ratio(last['pss_mb'], first['pss_mb'])}), {slope:+.2f} MB per hour of session;"
          f" less the held pictures (bounded: ring + keyframes) {slope_unheld:+.2f} MB per hour;"
          f" anonymous memory {first['anon_mb']:.1f} -> {last['anon_mb']:.1f} MB, {slope_anon:+.2f} MB per hour")
    benchlib.verdict("PSS growth per hour of session", slope, 1.0, " MB/h")
    # Seen: PSS +6 MB for two samples with anonymous memory unchanged (another process on the
    # machine stopped sharing a library's pages); what the player allocates is anonymous.
    benchlib.verdict("anonymous memory growth per hour of session", slope_anon, 1.0, " MB/h")
    final = rows[-1][1]
    same = all(final[key] <= first[key] for key in ("threads", "fds", "ffmpeg"))
    print(f"  threads {first['threads']:.0f} -> {final['threads']:.0f}, fds {first['fds']:.0f} -> {final['fds']:.0f},"
          f" ffmpeg {first['ffmpeg']:.0f} -> {final['ffmpeg']:.0f}: {'PASS' if same else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
