"""The whole app over a long session in a real pty: does its memory grow with time and use?

What it does. ``python -m review_tui open FILE`` in a 160x45 pty on the 10-minute 720p25
camera-like file (keyframe every 10 s) with a session-like transcript (a line every ~3 s,
speaker prefixes), the NULL audio device, playing at 2x for ``--minutes`` of wall time
(90 minutes is a 3-hour session). While it plays, every ``--act-every`` seconds it does one
of the things a supervisor does, in turn: a tag (``c``, a code, Enter, Enter), a replay
(``b``), the help screen opened and closed, the tag list shown and hidden, a seek → ; every
2.5 minutes it goes back 5 minutes (shift+← ten times), so it plays on through the file
again and again instead of stopping at its end.

Every ``--every`` seconds it samples the app process (not its ffmpeg children, which come
and go with seeks and replays): PSS, anonymous memory (PSS without the libraries' pages,
whose share moves with other processes on the machine), threads, open file descriptors; and
the whole tree's PSS. It prints the growth per hour of session (least squares over the
samples after the first third of the run, or ``--settle`` minutes, whichever is later: the
ring, the keyframe pictures and the UI's bounded caches fill first) and the last sample
against the first fitted one.

Target: <= 1 MB per hour of session for the app's anonymous memory and PSS (as
bench_soak.py, which puts 3 hours through the player alone, faster than real time); threads
and descriptors no more at the end than after the settling. This covers what bench_soak does not: the Textual
UI, the store (a tag every few minutes), timers and anything that grows with wall time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import benchlib
import ptyrun

COLS, ROWS = 160, 45
SPEED = 2.0
BACK_EVERY_S = 150.0  # at 2x: 5 minutes of media, then shift+← x10 goes back 5 minutes
RIGHT, SHIFT_LEFT, ESCAPE = b"\x1b[C", b"\x1b[1;2D", b"\x1b"
# What a supervisor does while watching, one every --act-every seconds, in turn.
ACTS = {
    "tag": [b"c", b"1", b"\r", b"\r"],
    "replay": [b"b"],
    "help": [b"?", ESCAPE],
    "tag list": [b"T", b"T"],
    "seek": [RIGHT],
}


def session_transcript(folder: Path, duration_ms: int) -> Path:
    """The cached session-like SRT cut to the file's length."""
    blocks = benchlib.synthetic_srt(400).read_text(encoding="utf-8").split("\n\n")
    kept = [block for block in blocks if _start_ms(block) < duration_ms - 3000]
    path = folder / "session.srt"
    path.write_text("\n\n".join(kept), encoding="utf-8")
    return path


def _start_ms(block: str) -> int:
    stamp = block.split("\n")[1].split(" --> ")[0]
    hours, minutes, rest = stamp.split(":")
    seconds, millis = rest.split(",")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def sample(process: ptyrun.PtyProcess) -> dict[str, float]:
    pid = process.pid
    rollup = ptyrun.rollup_kb(pid)
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
        threads = next(int(line.split()[1]) for line in status if line.startswith("Threads:"))
    return {
        "pss_mb": rollup.get("Pss", 0) / 1024,
        "anon_mb": rollup.get("Anonymous", 0) / 1024,
        "tree_mb": process.pss_mb(),
        "threads": threads,
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "children": len(ptyrun.descendants(pid)),
    }


def act(process: ptyrun.PtyProcess, keys: list[bytes]) -> None:
    for key in keys:
        process.send(key)
        time.sleep(0.4)  # a dialog opens before its keys arrive (a burst is tested elsewhere)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="wall minutes of 2x playback (90: a 3-hour session)")
    parser.add_argument("--every", type=float, default=15.0, help="seconds between samples")
    parser.add_argument("--act-every", type=float, default=20.0, help="seconds between a supervisor's actions")
    parser.add_argument("--settle", type=float, default=5.0, help="wall minutes left out of the fit at least")
    args = parser.parse_args()
    benchlib.header(f"bench_app_soak: {args.minutes:g} min at {SPEED:g}x ({args.minutes * SPEED / 60:.1f} h of session), pty {COLS}x{ROWS}")
    media = benchlib.camera_video(600)
    info = benchlib.probe(media)
    print(f"   file: {media.name}")
    rows: list[tuple[float, dict[str, float]]] = []
    counts = dict.fromkeys(ACTS, 0)
    with tempfile.TemporaryDirectory() as folder:
        argv, env = benchlib.app_command(media, Path(folder))
        argv += ["--transcript", str(session_transcript(Path(folder), info.duration_ms))]
        process = ptyrun.PtyProcess(argv, cols=COLS, rows=ROWS, env=ptyrun.terminal_env(env), cwd=str(benchlib.REPO))
        try:
            if process.wait_for(ptyrun.HALF_BLOCK, 60) is None:
                raise SystemExit("review_tui: no picture within 60 s")
            time.sleep(2.0)
            process.send(b"]]]")  # 1x -> 1.25 -> 1.5 -> 2
            process.send(b" ")
            started = time.monotonic()
            next_sample = next_act = started
            next_back = started + BACK_EVERY_S
            turn = 0
            while (elapsed := time.monotonic() - started) < args.minutes * 60:
                if process.exited:
                    raise SystemExit(f"review_tui exited after {elapsed:.0f} s")
                now = time.monotonic()
                if now >= next_back:
                    act(process, [SHIFT_LEFT] * 10)
                    next_back += BACK_EVERY_S
                elif now >= next_act:
                    name = list(ACTS)[turn % len(ACTS)]
                    act(process, ACTS[name])
                    counts[name] += 1
                    turn += 1
                    next_act += args.act_every
                if now >= next_sample:
                    found = sample(process)
                    rows.append((elapsed, found))
                    print(f"  {elapsed / 60:5.1f} min ({elapsed * SPEED / 3600:4.2f} h of session)  app PSS {found['pss_mb']:5.1f} MB"
                          f"  anonymous {found['anon_mb']:5.1f} MB  tree PSS {found['tree_mb']:5.1f} MB"
                          f"  threads {found['threads']:3.0f}  fds {found['fds']:3.0f}  ffmpeg {found['children']:.0f}", flush=True)
                    next_sample += args.every
                process.forget_output()
                time.sleep(0.2)
        finally:
            process.close(quit_keys=b"q")
    print("  actions: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    settle_s = max(args.settle * 60, args.minutes * 60 / 3)
    fitted = [(elapsed * SPEED / 3600, found) for elapsed, found in rows if elapsed >= settle_s]
    if len(fitted) < 2:
        raise SystemExit("too short a run to fit a slope: give more --minutes")
    first, last = fitted[0][1], fitted[-1][1]
    slopes = {key: benchlib.growth_per_hour([(hours, found[key]) for hours, found in fitted]) for key in ("pss_mb", "anon_mb", "tree_mb")}
    print(f"  fitted from {fitted[0][0]:.2f} h of session, {len(fitted)} samples:"
          f" app PSS {first['pss_mb']:.1f} -> {last['pss_mb']:.1f} MB ({benchlib.ratio(last['pss_mb'], first['pss_mb'])}),"
          f" {slopes['pss_mb']:+.2f} MB per hour of session; anonymous {first['anon_mb']:.1f} -> {last['anon_mb']:.1f} MB,"
          f" {slopes['anon_mb']:+.2f} MB/h; tree PSS (with whichever decoders were alive) {slopes['tree_mb']:+.2f} MB/h")
    benchlib.verdict("app anonymous memory growth per hour of session", slopes["anon_mb"], 1.0, " MB/h")
    benchlib.verdict("app PSS growth per hour of session", slopes["pss_mb"], 1.0, " MB/h")
    # Decoders' reader threads and pipes come and go with seeks: a single sample may catch
    # one more; the most seen in the first and the last quarter of the fit are compared.
    quarter = max(1, len(fitted) // 4)
    most = {key: (max(f[key] for _, f in fitted[:quarter]), max(f[key] for _, f in fitted[-quarter:])) for key in ("threads", "fds")}
    same = all(late <= early for early, late in most.values())
    print(f"  most threads {most['threads'][0]:.0f} -> {most['threads'][1]:.0f}, fds {most['fds'][0]:.0f} -> {most['fds'][1]:.0f}"
          f" (first and last quarter of the fit): {'PASS' if same else 'MISS'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
