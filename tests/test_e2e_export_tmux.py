"""Exports from a real terminal (tmux): ctrl+e on the demo with its sample review, plain and
pseudonymised, then `review-tui purge` asking at the terminal and leaving nothing behind."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from review_tui.codebook import load_codebook
from review_tui.session import load_session
from review_tui.store import ReviewStore, review_path_for
from tests.test_e2e_tagging_tmux import DEMO, PAUSED, Tmux, app_env, session_copy  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


def load_sample_review(media) -> None:
    session = load_session(media)
    media_fingerprint, transcript_fingerprint = session.fingerprints()
    with ReviewStore.open(
        review_path_for(media)[0], media_fingerprint=media_fingerprint,
        transcript_fingerprint=transcript_fingerprint, codebook=load_codebook(),
    ) as store:
        store.import_review(json.loads((DEMO / "sample_review.json").read_text(encoding="utf-8")))


def export_from_dialog(term: Tmux, *keys: str) -> None:
    term.keys("C-e")
    term.wait_for("Export the review")
    for key in keys:
        term.keys(key)
    term.keys("Enter")
    term.wait_for("Export written")
    term.wait_gone("Export the review")


def test_ctrl_e_exports_then_purge_removes_everything(session_copy, tmp_path):
    load_sample_review(session_copy)
    folder = session_copy.parent
    env = app_env(tmp_path)
    term = Tmux([sys.executable, "-m", "review_tui", "open", str(session_copy), "--reviewer", "Dr. M. Okafor:supervisor"], env)
    try:
        term.wait_for(PAUSED)
        export_from_dialog(term)  # Export is focused: Enter writes the Markdown report
        markdown = (folder / "formulaic.review.md").read_text(encoding="utf-8")
        assert "Dr. M. Okafor" in markdown
        # Back to the checkbox (pseudonymise), up to the format list, two down (md → html → csv),
        # then forward to Export.
        export_from_dialog(
            term, "BTab", "Space", "BTab", "BTab", "BTab", "Enter", "Down", "Down", "Enter",
            "Tab", "Tab", "Tab", "Tab",
        )
        rows = list(csv.DictReader(io.StringIO((folder / "formulaic.review.csv").read_text(encoding="utf-8-sig"))))
        assert rows and {row["author"] for row in rows} == {"Supervisor A"}
        assert "Okafor" not in (folder / "formulaic.review.csv").read_text(encoding="utf-8-sig")
        term.keys("q")
        term.wait_ended()
    finally:
        term.close()

    purge = Tmux([sys.executable, "-m", "review_tui", "purge", str(session_copy)], env)
    try:
        screen = purge.wait_for("Delete them all? [y/N]")
        assert "formulaic.review.csv" in screen and "formulaic.review.md" in screen
        purge.type("y")
        purge.keys("Enter")
        purge.wait_for("deleted 3 files")  # the two exports and the review (its -wal went on close)
    finally:
        purge.close()
    left = sorted(path.name for path in folder.iterdir() if path.name not in ("data", "config.toml"))
    assert left == ["formulaic.mp4", "formulaic.srt"]
