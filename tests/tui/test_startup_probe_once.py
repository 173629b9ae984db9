"""`review-tui demo --sample-review` probes the recording once: the session the sample
reviews were loaded with is the one the app opens."""

from __future__ import annotations

import shutil
from pathlib import Path

from review_tui import cli, locations
from review_tui.media import probe as probe_module
from review_tui.tui.app import ReviewApp

DEMO = Path(cli.__file__).resolve().parent / "examples" / "formulaic"


def test_demo_with_the_sample_review_probes_the_recording_once(tmp_path, monkeypatch):
    bundled = tmp_path / "bundle"
    shutil.copytree(DEMO, bundled / "formulaic")
    monkeypatch.setattr(locations, "bundled_examples_dir", lambda: bundled)
    monkeypatch.setattr(locations, "demo_dir", lambda: tmp_path / "data" / "demo")
    monkeypatch.setenv("REVIEW_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REVIEW_TUI_REVIEWER", "Dr Okafor:supervisor")

    probed: list[Path] = []
    real_probe = probe_module.probe

    def counting_probe(path):
        probed.append(Path(path))
        return real_probe(path)

    monkeypatch.setattr(probe_module, "probe", counting_probe)
    opened: list[tuple] = []

    def run_instead_of_a_terminal(app: ReviewApp) -> None:
        # What the app was given, read before the CLI closes the store and the player.
        opened.append((app.session.media is not None, len(app.session.transcript.cues), len(app.store.tags())))

    monkeypatch.setattr(ReviewApp, "run", run_instead_of_a_terminal)
    review = tmp_path / "demo.review.sqlite"
    assert cli.main(["demo", "--sample-review", "--audio", "null", "--review", str(review)]) == 0
    assert len(probed) == 1 and probed[0].name == "formulaic.mp4"
    [(has_media, cues, tags)] = opened
    assert has_media and cues > 0
    assert tags == 30  # both sample reviews: the supervisor's 17 tags and the second rater's 13
