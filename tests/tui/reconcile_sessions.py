"""The demo with both sample reviews, opened the way `review-tui demo --sample-review` opens
it (cli.load_sample_review, cli.open_store), on the clock-only player: for the tests of the
reconcile pass, blind coding and the resume point per reviewer."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from review_tui import cli, locations
from review_tui.config import Config
from review_tui.session import load_session
from review_tui.tui.app import ReviewApp
from tests.tui.fake_player import ClockPlayer

OKAFOR = ("Dr. M. Okafor", "supervisor")  # the first sample review's author
HADDAD = ("R. Haddad", "rater")  # the second's
SIZE = (160, 48)
DEMO_FILES = ("formulaic.mp4", "formulaic.srt", "sample_review.json", "sample_review_second.json")


def demo_copy(folder: Path, *, samples: bool = True) -> Path:
    """The demo's recording and transcript in ``folder``, with both sample reviews loaded."""
    source = locations.bundled_examples_dir() / cli.DEMO_NAME
    for name in DEMO_FILES:
        shutil.copy(source / name, folder / name)
    media = folder / "formulaic.mp4"
    if samples:
        cli.load_sample_review(folder, media, no_options())
    return media


def no_options() -> argparse.Namespace:
    return cli.parse_args(["demo", "--sample-review"])


class Opener:
    """Opens the app on ``media`` as a reviewer, as the CLI does; closes every store at the end."""

    def __init__(self, media: Path) -> None:
        self.media = media
        self.stores: list = []

    def __call__(self, reviewer: tuple[str, str] | None = OKAFOR, *, transcript: Path | None = None) -> ReviewApp:
        session = load_session(self.media, transcript)
        store = cli.open_store(session, None, cli.load_codebook_for(no_options(), Config()))
        self.stores.append(store)
        author = store.reviewer(*reviewer) if reviewer else None
        return ReviewApp(session, store, ClockPlayer(session.duration_ms), store.codebook, author, Config(audio="null"))

    def close(self) -> None:
        for store in self.stores:
            store.close()
