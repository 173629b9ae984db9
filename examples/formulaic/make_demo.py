"""Build the bundled demo session (srt, mp4, sample review) from script.txt.

Writes formulaic.srt, formulaic.mp4, sample_review.json and sample_review_second.json beside
this file.

A build-machine tool for the project's maintainers (users never run it): it needs
espeak-ng and the DejaVu fonts, and installs them with apt-get when it runs as root.

    python examples/formulaic/make_demo.py

Every line is synthesised on its own so its real length is measured from the WAV; the
transcript's timings are taken from the same sample offsets the audio is assembled at,
so what is heard and what is read agree to the millisecond.
"""

from __future__ import annotations

import argparse
import array
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import wave
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository root, for review_tui

import pysrt
from demo_review import write_sample_review
from demo_video import FONT_FILE, write_video

SCRIPT = HERE / "script.txt"
SRT_OUT = HERE / "formulaic.srt"
MP4_OUT = HERE / "formulaic.mp4"
PLAN = HERE / "review_plan.toml"
REVIEW_OUT = HERE / "sample_review.json"
SECOND_PLAN = HERE / "review_plan_second.toml"
SECOND_REVIEW_OUT = HERE / "sample_review_second.json"

SAMPLE_RATE = 22050  # espeak-ng's native rate; every line WAV must have it
VOICES = {
    "Th": ("en-us+f3", 152),
    "Pt": ("en+m3", 150),
}
LEAD_IN_MS = 1200
TAIL_MS = 1500
# Turn-taking gaps drawn from a seeded generator: natural-looking, yet the same on every run.
GAP_SEED = 1729
GAP_RANGE_MS = (380, 820)
# Silence threshold for trimming espeak-ng's leading and trailing quiet, and the margin kept.
QUIET_LEVEL = 250
EDGE_MARGIN_MS = 30
CUE_LINE_CHARS = 42
CUE_MAX_LINES = 2

ANNOTATION = re.compile(r"\[[^\]]*\]")
PAUSE = re.compile(r"^\(pause\s+(\d+(?:\.\d+)?)\)$")
LINE = re.compile(r"^(Th|Pt):\s+(.+)$")
SENTENCE_END = re.compile(r'(?<=[.?!])\s+|(?<=[.?!]")\s+')


@dataclass(frozen=True)
class ScriptLine:
    speaker: str  # "Th" | "Pt"
    text: str  # as it appears in the transcript, annotations included
    pause_before_ms: int | None  # a scripted silence before this line, else a natural gap
    number: int  # 1-based line in script.txt


@dataclass(frozen=True)
class PlacedLine:
    line: ScriptLine
    start_ms: int
    end_ms: int
    samples: array.array


@dataclass(frozen=True)
class DemoCue:
    speaker: str
    text: str  # wrapped, label included: what the SRT shows
    start_ms: int
    end_ms: int


def parse_script(path: Path) -> list[ScriptLine]:
    lines: list[ScriptLine] = []
    pending_pause: int | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        if pause := PAUSE.match(text):
            pending_pause = round(float(pause.group(1)) * 1000)
            continue
        spoken = LINE.match(text)
        if spoken is None:
            raise SystemExit(f"{path.name}:{number}: expected 'Th: ...', 'Pt: ...' or '(pause N)'")
        lines.append(ScriptLine(spoken.group(1), spoken.group(2), pending_pause, number))
        pending_pause = None
    return lines


def ensure_tool(present: bool, package: str) -> None:
    """Install a missing build tool with apt-get when we may; otherwise say what to install."""
    if present:
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", package], check=True)
        return
    raise SystemExit(f"make_demo.py needs the apt package {package}: apt-get install -y {package}")


def synthesise(line: ScriptLine, workdir: Path) -> array.array:
    """The line's speech as 16-bit mono samples, with espeak-ng's edge silence trimmed."""
    voice, speed = VOICES[line.speaker]
    spoken = " ".join(ANNOTATION.sub(" ", line.text).split())
    wav_path = workdir / f"line{line.number:04d}.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav_path), spoken],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    with wave.open(str(wav_path), "rb") as wav:
        if (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) != (SAMPLE_RATE, 1, 2):
            raise SystemExit(f"{wav_path.name}: espeak-ng wrote an unexpected WAV format")
        samples = array.array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    loud = [i for i, value in enumerate(samples) if abs(value) > QUIET_LEVEL]
    if not loud:
        raise SystemExit(f"script.txt:{line.number}: espeak-ng produced silence")
    margin = EDGE_MARGIN_MS * SAMPLE_RATE // 1000
    return samples[max(0, loud[0] - margin) : loud[-1] + margin]


def place_lines(lines: list[ScriptLine], workdir: Path) -> list[PlacedLine]:
    gaps = random.Random(GAP_SEED)
    placed: list[PlacedLine] = []
    cursor_ms = LEAD_IN_MS
    for line in lines:
        natural_gap = gaps.randint(*GAP_RANGE_MS)  # drawn for every line so a pause shifts nothing
        if placed:
            cursor_ms += line.pause_before_ms if line.pause_before_ms is not None else natural_gap
        samples = synthesise(line, workdir)
        duration_ms = math.ceil(len(samples) * 1000 / SAMPLE_RATE)
        placed.append(PlacedLine(line, cursor_ms, cursor_ms + duration_ms, samples))
        cursor_ms += duration_ms
        print(f"  {line.speaker} {cursor_ms / 1000:7.2f}s  {line.text[:60]}")
    return placed


def write_session_wav(placed: list[PlacedLine], path: Path) -> int:
    """One mono WAV with every line at its start time; returns the session length in ms."""
    total_ms = placed[-1].end_ms + TAIL_MS
    session = array.array("h", bytes(2 * (total_ms * SAMPLE_RATE // 1000)))
    for item in placed:
        offset = item.start_ms * SAMPLE_RATE // 1000
        session[offset : offset + len(item.samples)] = item.samples
    if sys.byteorder == "big":
        session.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(session.tobytes())
    return total_ms


def _fits(label: str, text: str) -> bool:
    return len(_wrap(label, text)) <= CUE_MAX_LINES


def _wrap(label: str, text: str) -> list[str]:
    return textwrap.wrap(f"{label}: {text}", CUE_LINE_CHARS, break_long_words=False)


def _balanced_pieces(speaker: str, sentence: str) -> list[str]:
    """A sentence too long for one cue, cut between words into the fewest even pieces."""
    words = sentence.split()
    for count in range(2, len(words) + 1):
        target = len(sentence) / count
        pieces: list[str] = []
        current = ""
        for word in words:
            current = f"{current} {word}".strip()
            if len(current) >= target and len(pieces) < count - 1:
                pieces.append(current)
                current = ""
        if current:
            pieces.append(current)
        if all(_fits(speaker, piece) for piece in pieces):
            return pieces
    return words


def split_into_cue_texts(speaker: str, text: str) -> list[str]:
    """Cue-sized pieces of a line, cut at sentence ends where possible, else between words."""
    pieces: list[str] = []
    for sentence in SENTENCE_END.split(text):
        if _fits(speaker, sentence):
            pieces.append(sentence)
        else:
            pieces.extend(_balanced_pieces(speaker, sentence))
    merged: list[str] = []
    for piece in pieces:
        if merged and _fits(speaker, f"{merged[-1]} {piece}"):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def _speech_weight(text: str) -> int:
    """How long a piece takes to say, in proportion: its characters, annotations left out."""
    return max(1, len(ANNOTATION.sub("", text).strip()))


def make_cues(placed: list[PlacedLine]) -> list[DemoCue]:
    cues: list[DemoCue] = []
    for item in placed:
        pieces = split_into_cue_texts(item.line.speaker, item.line.text)
        weights = [_speech_weight(piece) for piece in pieces]
        total = sum(weights)
        span = item.end_ms - item.start_ms
        done = 0
        for piece, weight in zip(pieces, weights):
            start = item.start_ms + span * done // total
            done += weight
            end = item.start_ms + span * done // total
            text = "\n".join(_wrap(item.line.speaker, piece))
            cues.append(DemoCue(item.line.speaker, text, start, end))
    return cues


def write_srt(cues: list[DemoCue], path: Path) -> None:
    subtitles = pysrt.SubRipFile()
    for number, cue in enumerate(cues, start=1):
        subtitles.append(
            pysrt.SubRipItem(
                index=number,
                start=pysrt.SubRipTime.from_ordinal(cue.start_ms),
                end=pysrt.SubRipTime.from_ordinal(cue.end_ms),
                text=cue.text,
            )
        )
    subtitles.save(str(path), encoding="utf-8")


def read_cues(path: Path) -> list[DemoCue]:
    """The cues of an SRT this script wrote, for rebuilding the sample review alone."""
    cues = []
    for item in pysrt.open(str(path), encoding="utf-8"):
        speaker = item.text.partition(":")[0]
        cues.append(DemoCue(speaker, item.text, item.start.ordinal, item.end.ordinal))
    return cues


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--review-only",
        action="store_true",
        help=f"rebuild {REVIEW_OUT.name} from {PLAN.name} and the existing {SRT_OUT.name}",
    )
    if parser.parse_args(argv).review_only:
        cues = read_cues(SRT_OUT)
        write_sample_review(PLAN, cues, REVIEW_OUT)
        write_sample_review(SECOND_PLAN, cues, SECOND_REVIEW_OUT)
        print(f"wrote {REVIEW_OUT.name} and {SECOND_REVIEW_OUT.name}")
        return
    ensure_tool(shutil.which("espeak-ng") is not None, "espeak-ng")
    ensure_tool(Path(FONT_FILE).exists(), "fonts-dejavu-core")
    lines = parse_script(SCRIPT)
    with tempfile.TemporaryDirectory(prefix="formulaic-") as scratch:
        workdir = Path(scratch)
        print(f"synthesising {len(lines)} lines")
        placed = place_lines(lines, workdir)
        session_wav = workdir / "session.wav"
        total_ms = write_session_wav(placed, session_wav)
        cues = make_cues(placed)
        write_srt(cues, SRT_OUT)
        turns = [(item.line.speaker, item.start_ms, item.end_ms) for item in placed]
        print(f"encoding {MP4_OUT.name} ({total_ms / 1000:.1f}s)")
        write_video(session_wav, turns, total_ms, MP4_OUT)
    write_sample_review(PLAN, cues, REVIEW_OUT)
    write_sample_review(SECOND_PLAN, cues, SECOND_REVIEW_OUT)
    words = sum(len(ANNOTATION.sub("", line.text).split()) for line in lines)
    size_mb = MP4_OUT.stat().st_size / 1e6
    print(f"{len(cues)} cues, {words} words, {total_ms / 60000:.2f} min, {size_mb:.1f} MB")


if __name__ == "__main__":
    main()
