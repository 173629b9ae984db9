"""Seek keys in a real pty, paused: key -> first picture changed, and key -> exact frame.

The whole app (``python -m review_tui open FILE``) at 160x45 on a 10-minute 1280x720 25 fps
file with a keyframe every 10 s (as a clinic camera writes it), and a transcript with a cue
every 20 s off the keyframes. Keys: → and ← (±5 s), shift+→ (+30 s), a cue jump (↓ then
Enter in the transcript: the time is taken from Enter), and `b` after 6 s of playing (the
replay gesture; it plays on, so only its first picture is timed).

  * first picture: the first screen update after the key whose picture cells differ from
    the picture before it;
  * exact: the last picture change before the screen has been still for SETTLE_S. Paused,
    the last picture is the exact frame (the player replaces every stand-in; unit-tested in
    tests/test_player_seek.py), so that moment is when the exact frame reached the screen.

Baselines in the same run, same pty size, same file, same key sequence (keys interleaved
between the three programs, so noise hits all alike): ``mpv --vo=tct --hr-seek=no`` (its
arrow keys land on a keyframe: its first picture is its whole answer) and ``mpv --vo=tct
--hr-seek=yes`` (exact). mpv has no `b` nor cue jump: those rows compare with mpv's ←.
Goals: first picture <= 1.0x mpv's keyframe seek; exact <= 1.0x mpv's exact seek.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import benchlib
import ptyrun
from bench_render import mpv_frame_starts

COLS, ROWS = 160, 45
SETTLE_S = 1.2
GIVE_UP_S = 6.0
REPLAY_LOOK_S = 0.5  # `b`'s first picture is looked for in what arrived this long after it
KEYS = {"right": b"\x1b[C", "left": b"\x1b[D", "shift+right": b"\x1b[1;2C"}
MPV_KEYS = {"right": b"\x1b[C", "left": b"\x1b[D", "shift+right": b"\x1b[A"}  # mpv: ↑ is +60 s
CUE_EVERY_MS = 20_000
CUE_OFFSET_MS = 7_340


def write_transcript(path: Path, duration_ms: int) -> Path:
    lines = []
    number = 1
    start = CUE_OFFSET_MS
    while start + 2000 < duration_ms:
        lines += [str(number), f"{benchlib.srt_time(start)} --> {benchlib.srt_time(start + 2000)}", f"cue {number}", ""]
        number += 1
        start += CUE_EVERY_MS
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class Screen:
    """One program in the pty, with what counts as its picture changes."""

    def __init__(self, label: str, argv: list[str], env: dict, *, mpv: bool) -> None:
        self.label = label
        self.mpv = mpv
        self.process = ptyrun.PtyProcess(argv, cols=COLS, rows=ROWS, env=env, cwd=str(benchlib.REPO))

    def pictures(self) -> list[ptyrun.Update]:
        if self.mpv:
            return ptyrun.new_pictures(self.process.pieces(mpv_frame_starts, "▄".encode()))
        return ptyrun.new_pictures(self.process.updates())

    def last_output_s(self) -> float:
        """When the program last wrote anything (the reader thread's arrival time)."""
        with self.process._lock:
            return self.process._times[-1] if self.process._times else 0.0

    def wait_quiet(self, sent: float) -> None:
        """Until the program has written something after ``sent`` and then nothing for
        SETTLE_S (or GIVE_UP_S passed). Only arrival times are read meanwhile: parsing the
        whole output at every poll (megabytes once a program has played, or drawn mpv's
        full-screen frames) holds the GIL for milliseconds at a time, and the reader thread,
        which stamps each chunk's arrival, would wait for it, adding noise to every number."""
        while time.monotonic() - sent < GIVE_UP_S:
            time.sleep(0.02)
            last = self.last_output_s()
            if last >= sent and time.monotonic() - last > SETTLE_S:
                return

    def press(self, key: bytes) -> tuple[float, float]:
        """(seconds to the first picture change, seconds to the last one) after ``key``."""
        before = len(self.pictures())
        sent = time.monotonic()
        self.process.send(key)
        self.wait_quiet(sent)
        after = [update for update in self.pictures()[before:] if update.end_s >= sent]
        if not after:
            return float("nan"), float("nan")
        return after[0].end_s - sent, after[-1].end_s - sent

    def first_after_play(self, key: bytes, play_s: float) -> float:
        """Play ``play_s``, pause, then ``key``: seconds to the first picture it brings."""
        self.process.send(" ")
        time.sleep(play_s)
        self.process.send(" ")
        time.sleep(SETTLE_S)
        before = len(self.pictures())
        sent = time.monotonic()
        self.process.send(key)
        time.sleep(REPLAY_LOOK_S)  # nothing parsed meanwhile (see wait_quiet)
        found = [update for update in self.pictures()[before:] if update.end_s >= sent]
        first = found[0].end_s - sent if found else float("nan")
        self.process.send(" ")  # `b` plays on: pause again for the next key
        time.sleep(SETTLE_S)
        return first

    def close(self) -> None:
        self.process.close(quit_keys=b"q")


def summary(values: list[float]) -> float:
    return benchlib.median([value for value in values if value == value])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="presses of each key per program")
    args = parser.parse_args()
    mpv = benchlib.mpv_path()
    benchlib.header(f"bench_seek_keys: seek keys, paused, pty {COLS}x{ROWS}, {args.rounds} rounds")
    media = benchlib.camera_video(600)
    info = benchlib.probe(media)
    print(f"   file: {media.name} (600 s, 1280x720 25 fps, keyframe every 10 s)")
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        transcript = write_transcript(folder_path / "cues.srt", info.duration_ms)
        argv, env = benchlib.app_command(media, folder_path)
        argv += ["--transcript", str(transcript)]
        screens = [Screen("review_tui", argv, ptyrun.terminal_env(env), mpv=False)]
        if mpv:
            for label, hr in (("mpv keyframe", "no"), ("mpv exact", "yes")):
                screens.append(Screen(label, [mpv, "--vo=tct", "--ao=null", "--no-config", "--pause",
                                              f"--hr-seek={hr}", "--really-quiet", str(media)],
                                      ptyrun.terminal_env(), mpv=True))
        else:
            print("  mpv not installed (apt-get install -y mpv): baselines skipped")
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        try:
            for screen in screens:
                marker = "▄".encode() if screen.mpv else ptyrun.HALF_BLOCK
                if screen.process.wait_for(marker, 60) is None:
                    raise SystemExit(f"{screen.label}: no picture within 60 s")
            time.sleep(5.0)  # keyframes decoded in the background, pane sized
            for screen in screens:  # off the keyframe grid: seven frames on
                for _ in range(7):
                    screen.press(b".")
            for _ in range(args.rounds):
                for key in ("right", "right", "left", "shift+right"):
                    for screen in screens:
                        code = MPV_KEYS[key] if screen.mpv else KEYS[key]
                        results.setdefault((screen.label, key), []).append(screen.press(code))
                ours = screens[0]
                ours.process.send("\x1b[B")  # the cursor to the next cue; Enter jumps there
                time.sleep(0.3)
                results.setdefault((ours.label, "cue jump"), []).append(ours.press(b"\r"))
                first = ours.first_after_play(b"b", 6.0)
                results.setdefault((ours.label, "b"), []).append((first, float("nan")))
        finally:
            for screen in screens:
                screen.close()

    def medians(label: str, key: str) -> tuple[float, float]:
        runs = results.get((label, key), [])
        return summary([first for first, _ in runs]) * 1000, summary([exact for _, exact in runs]) * 1000

    print(f"  {'':<28} {'first picture':>14} {'exact frame':>12}   (medians, ms)")
    worst_first = worst_exact = 0.0
    for key in ("right", "left", "shift+right", "cue jump", "b"):
        first, exact = medians("review_tui", key)
        base_key = key if key in KEYS else "left"
        kf_first, _ = medians("mpv keyframe", base_key)
        _, hr_exact = medians("mpv exact", base_key)
        first_ratio = benchlib.ratio(first, kf_first)
        exact_ratio = benchlib.ratio(exact, hr_exact)
        print(f"  review_tui {key:<17} {first:10.0f} ms ({first_ratio} mpv kf)"
              f" {exact:8.0f} ms ({exact_ratio} mpv exact)")
        if kf_first == kf_first and first == first:
            worst_first = max(worst_first, first / kf_first)
        if hr_exact == hr_exact and exact == exact:
            worst_exact = max(worst_exact, exact / hr_exact)
    for key in KEYS:
        kf_first, kf_last = medians("mpv keyframe", key)
        hr_first, hr_exact = medians("mpv exact", key)
        print(f"  mpv {key:<24} keyframe seek {kf_first:6.0f} ms · exact seek {hr_exact:6.0f} ms (first change {hr_first:.0f} ms)")
    if mpv:
        benchlib.verdict("first picture / mpv keyframe seek (worst key)", worst_first, 1.0, "x")
        benchlib.verdict("exact frame / mpv exact seek (worst key)", worst_exact, 1.0, "x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
