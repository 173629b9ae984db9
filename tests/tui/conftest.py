"""Real sessions for the UI tests: a small encoded clip with an SRT beside it, a real review
file in tmp_path and a real Player on the NULL audio backend."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from review_tui.codebook import load_codebook
from review_tui.config import Config
from review_tui.media.player import Player
from review_tui.session import load_session
from review_tui.store import ReviewStore
from review_tui.tui.app import ReviewApp
from tests.media_factory import make_audio, make_video
from tests.tui.fake_player import ClockPlayer

CLIP_SECONDS = 12
CUE_MS = 1500
# Alternating voices, one cue every 1.5 s; "anger" is said in cues 1, 4 and 6 (for search).
CLIP_LINES = [
    "Th: What brings you here today?",
    "Pt: My anger at work, I suppose.",
    "Th: Tell me about that.",
    "Pt: It comes and goes.",
    "Th: Where do you feel the anger now?",
    "Pt: In my chest, maybe.",
    "Th: Stay with the anger for a moment.",
    "Pt: That is hard.",
]
CLIP_CUES = [(number * CUE_MS, (number + 1) * CUE_MS, text) for number, text in enumerate(CLIP_LINES)]


def srt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def write_srt(path: Path, cues: list[tuple[int, int, str]]) -> Path:
    blocks = [
        f"{number}\n{srt_time(start)} --> {srt_time(end)}\n{text}\n"
        for number, (start, end, text) in enumerate(cues, 1)
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def clip(tmp_path_factory) -> Path:
    """A 12 s 160x120 h264+aac clip with its transcript beside it (shared: encoding is slow)."""
    folder = tmp_path_factory.mktemp("clip")
    # x264's default preset: the UI snapshots (tests/tui/__snapshots__) show this encoding's pixels.
    video = make_video(folder / "clip.mp4", seconds=CLIP_SECONDS, size="160x120", fps=25, preset="medium")
    write_srt(folder / "clip.srt", CLIP_CUES)
    return video


@pytest.fixture(scope="session")
def talk(tmp_path_factory) -> Path:
    """An audio-only recording with a transcript."""
    folder = tmp_path_factory.mktemp("talk")
    audio = make_audio(folder / "talk.m4a", seconds=CLIP_SECONDS)
    write_srt(folder / "talk.srt", CLIP_CUES)
    return audio


@pytest.fixture(scope="session")
def transcript_only(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notes")
    return write_srt(folder / "notes.srt", CLIP_CUES)


@pytest.fixture(scope="session")
def codebook():
    return load_codebook()


def app_opener(tmp_path, codebook, *, decode: bool):
    """Build ReviewApp the way the CLI does; ``decode``: a real Player, else the clock-only
    one (for tests of keys, tags and the transcript, which need time but no picture)."""
    players: list = []
    stores: list[ReviewStore] = []

    def opener(anchor: Path, *, review: Path | None = None, config: Config | None = None) -> ReviewApp:
        session = load_session(anchor)
        media_fingerprint, transcript_fingerprint = session.fingerprints()
        store = ReviewStore.open(
            review or tmp_path / "review.sqlite",
            media_fingerprint=media_fingerprint,
            transcript_fingerprint=transcript_fingerprint,
            codebook=codebook,
        )
        stores.append(store)
        if decode:
            player = Player(session.media, duration_ms=session.duration_ms, audio="null")
        else:
            player = ClockPlayer(session.duration_ms)
        players.append(player)
        return ReviewApp(session, store, player, store.codebook, None, config or Config(audio="null"))

    def close() -> None:
        for player in players:
            player.close()
        for store in stores:
            store.close()

    return opener, close


@pytest.fixture
def open_app(tmp_path, codebook) -> Callable[..., ReviewApp]:
    """The app on a real Player: for tests of the picture and of playback itself."""
    opener, close = app_opener(tmp_path, codebook, decode=True)
    yield opener
    close()


@pytest.fixture
def clock_app(tmp_path, codebook) -> Callable[..., ReviewApp]:
    """The app on the clock-only player: nothing is decoded."""
    opener, close = app_opener(tmp_path, codebook, decode=False)
    yield opener
    close()


@pytest.fixture
def quick_app(tmp_path, codebook) -> Callable[..., ReviewApp]:
    """A transcript-only session on the clock-only player: nothing to decode, so a test of
    keys and tags starts in a fraction of the time. ``transcript`` defaults to CLIP_CUES."""
    stores: list[ReviewStore] = []

    def opener(transcript: Path | None = None, *, reviewer=("Dr Okafor", "supervisor"), config: Config | None = None) -> ReviewApp:
        session = load_session(transcript or write_srt(tmp_path / "notes.srt", CLIP_CUES))
        store = ReviewStore.open(tmp_path / "r.sqlite", media_fingerprint=None, transcript_fingerprint=None, codebook=codebook)
        stores.append(store)
        author = store.reviewer(*reviewer) if reviewer else None
        return ReviewApp(session, store, ClockPlayer(session.duration_ms), store.codebook, author, config or Config(audio="null"))

    yield opener
    for store in stores:
        store.close()


async def wait_for(pilot, condition: Callable[[], bool], *, timeout: float = 8.0, what: str = "condition") -> None:
    """Let the app run until ``condition()`` holds; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.03)
    await asyncio.sleep(0)


def notices(app: ReviewApp) -> list[str]:
    """Every notification the app has raised and not yet dismissed (title and message)."""
    return [f"{note.title}: {note.message}" for note in app._notifications]
