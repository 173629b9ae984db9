"""Memory over a session: the app and its ffmpeg processes against mpv on the same file.

The whole app in a 160x45 pty on the 10-minute 720p25 camera-like file (keyframe every 10 s):
paused seeks first (→ ×6, ← ×3, `b` ×3: the frame ring and keyframe pictures fill), then
playback at 2x for ``--seconds``; the process tree's memory is sampled every 2 s:
  * RSS summed over the tree (as `ps` would add it up: the ffmpeg binary's pages mapped by
    two decoders count twice), and
  * PSS summed over the tree (each shared page counted once across the tree: what the tree
    costs the machine).
At the tree's peak it also prints the app process's own PSS and its ffmpeg children's (each
kind's: the video decoder, the sound), and the most children alive at once (where the
memory goes).
Baseline in the same run: ``mpv --vo=tct --ao=null --speed=2`` in the same pty on the same
file for the same time (one process: its RSS and PSS).
Flatness: over the second half of the run (the first fills caches and the ring by design),
the growth from its first quarter's average to its last quarter's, in MB per minute.
Targets: peak app + ffmpeg <= 1.2x mpv; growth ~0 MB/min (a 3-hour session stays flat).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import benchlib
import ptyrun

COLS, ROWS = 160, 45
SAMPLE_S = 2.0


def child_kind(pid: int) -> str:
    """What an ffmpeg child of the app does, from its command line (its output format)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            args = cmdline.read().split(b"\0")
    except OSError:
        return "gone"
    if b"s16le" in args:
        return "sound"
    if b"rawvideo" in args:
        return "video"
    return "other"


def sample(process: ptyrun.PtyProcess, seconds: float) -> list[tuple]:
    """(seconds since start, RSS MB, PSS MB, the main process's own PSS MB, processes under
    it, {kind of child: [its PSS, its RSS, the part of that RSS mapped from files] in MB})
    every SAMPLE_S for ``seconds``."""
    found = []
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < seconds and not process.exited:
        children = ptyrun.descendants(process.pid)
        kinds: dict[str, list[float]] = {}
        for child in children:
            rss, from_files = ptyrun.process_rss_split_kb(child)
            totals = kinds.setdefault(child_kind(child), [0.0, 0.0, 0.0])
            for column, kb in enumerate((ptyrun.process_pss_kb(child), rss, from_files)):
                totals[column] += kb / 1024
        own = ptyrun.process_pss_kb(process.pid) / 1024
        found.append((elapsed, process.rss_mb(), process.pss_mb(), own, len(children), kinds))
        time.sleep(SAMPLE_S)
    return found


def where_it_goes(samples: list[tuple]) -> str:
    """At the tree's peak PSS: the main process's share and its children's."""
    peak = max(samples, key=lambda s: s[2])
    kinds = ", ".join(f"{kind} {pss:.0f}" for kind, (pss, _, _) in sorted(peak[5].items()))
    # Each ffmpeg maps the same binary: its pages are in every child's RSS, once in the PSS.
    files = ", ".join(f"{kind} {rss:.0f} of which {from_files:.0f} from files"
                      for kind, (_, rss, from_files) in sorted(peak[5].items()))
    return (f"at the peak: main process {peak[3]:.0f} MB PSS, {peak[4]} child process(es) {peak[2] - peak[3]:.0f} MB PSS"
            f"{f' ({kinds}; RSS: {files})' if kinds else ''}; at most {max(s[4] for s in samples)} children alive at once")


def growth_mb_per_min(samples: list, column: int) -> float:
    # The first half fills caches, the ring and the keyframe pictures by design (measured:
    # the app's memory levels off within ~40 s at 2x); growth is judged on the second half.
    settled = samples[len(samples) // 2 :]
    quarter = max(1, len(settled) // 4)
    early, late = settled[:quarter], settled[-quarter:]
    if not early or not late:
        return float("nan")
    span_min = (statistics.mean(s[0] for s in late) - statistics.mean(s[0] for s in early)) / 60
    change = statistics.mean(s[column] for s in late) - statistics.mean(s[column] for s in early)
    return change / span_min if span_min > 0 else float("nan")


def run_app(media: Path, seconds: float) -> list:
    with tempfile.TemporaryDirectory() as folder:
        argv, env = benchlib.app_command(media, Path(folder))
        process = ptyrun.PtyProcess(argv, cols=COLS, rows=ROWS, env=ptyrun.terminal_env(env), cwd=str(benchlib.REPO))
        try:
            if process.wait_for(ptyrun.HALF_BLOCK, 60) is None:
                raise SystemExit("review_tui: no picture within 60 s")
            time.sleep(2.0)
            for key in ["\x1b[C"] * 6 + ["\x1b[D"] * 3:
                process.send(key)
                time.sleep(0.6)
            for _ in range(3):
                process.send(" ")
                time.sleep(2.0)
                process.send("b")
                time.sleep(1.0)
                process.send(" ")
                time.sleep(0.5)
            process.send("]]]")  # 1x -> 1.25 -> 1.5 -> 2
            process.send(" ")
            return sample(process, seconds)
        finally:
            process.close(quit_keys=b"q")


def others_running(binary: str, own_pid: int) -> int:
    """Processes of the same binary as ``binary`` other than ``own_pid`` (anyone's)."""
    target = os.path.realpath(binary)
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != own_pid:
            try:
                count += os.path.realpath(f"/proc/{entry}/exe") == target
            except OSError:
                continue
    return count


def run_mpv(mpv: str, media: Path, seconds: float) -> list:
    argv = [mpv, "--vo=tct", "--ao=null", "--really-quiet", "--no-config", "--speed=2", str(media)]
    process = ptyrun.PtyProcess(argv, cols=COLS, rows=ROWS, env=ptyrun.terminal_env())
    try:
        if process.wait_for(b"\x1b[", 15) is None:
            raise SystemExit("mpv: no output within 15 s")
        found = sample(process, seconds)
        # Another mpv on the machine maps the same libraries, and PSS splits their pages
        # between the two: the baseline's PSS then reads low (seen: 70 and 93 MB, not ~100).
        others = others_running(mpv, process.pid)
        if others:
            print(f"   NOTE: {others} other mpv process(es) running at the end of the baseline: its PSS reads"
                  " lower than alone; compare the RSS ratio, or run again on a quiet machine")
        return found
    finally:
        process.close(quit_keys=b"q")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0, help="wall seconds of 2x playback per program")
    args = parser.parse_args()
    mpv = benchlib.mpv_path()
    if mpv is None:
        raise SystemExit("bench_memory needs mpv as its baseline: apt-get install -y mpv")
    benchlib.header(f"bench_memory: {args.seconds:g} s at 2x, pty {COLS}x{ROWS}")
    media = benchlib.camera_video(600)
    print(f"   file: {media.name}")
    base = run_mpv(mpv, media, args.seconds)
    ours = run_app(media, args.seconds)
    for label, samples in (("mpv (baseline)", base), ("review_tui + ffmpeg", ours)):
        peak_rss = max(s[1] for s in samples)
        peak_pss = max(s[2] for s in samples)
        print(f"  {label:<22} peak RSS {peak_rss:6.0f} MB ({benchlib.ratio(peak_rss, max(s[1] for s in base))})"
              f" · peak PSS {peak_pss:6.0f} MB ({benchlib.ratio(peak_pss, max(s[2] for s in base))})"
              f" · growth RSS {growth_mb_per_min(samples, 1):+5.2f} MB/min, PSS {growth_mb_per_min(samples, 2):+5.2f} MB/min")
        print(f"  {'':<22} {where_it_goes(samples)}")
    benchlib.verdict("peak PSS / mpv", max(s[2] for s in ours) / max(s[2] for s in base), 1.2, "x")
    benchlib.verdict("peak RSS (summed) / mpv", max(s[1] for s in ours) / max(s[1] for s in base), 1.2, "x")
    benchlib.verdict("PSS growth over the run", growth_mb_per_min(ours, 2), 0.5, " MB/min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
