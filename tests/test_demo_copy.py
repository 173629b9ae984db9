"""`review-tui demo` never writes where the package is installed (issue 8, defect 11): its
working copy, review and reports live in the user data folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from review_tui import locations
from review_tui.demo import DEMO_FILES, demo_session_dir
from tests.pty_capture import run_on_pty


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {path.name: (path.stat().st_size, path.stat().st_mtime_ns) for path in folder.iterdir()}


def test_the_working_copy_is_made_once_privately_and_refreshed_when_the_bundle_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_TUI_DATA_DIR", str(tmp_path / "data"))
    folder = demo_session_dir()
    assert folder == tmp_path / "data" / "demo" / "formulaic"
    bundled = locations.bundled_examples_dir() / "formulaic"
    for name in DEMO_FILES:
        copied = folder / name
        assert copied.read_bytes() == (bundled / name).read_bytes()
        assert stat.S_IMODE(copied.stat().st_mode) == 0o600
    before = listing(folder)
    assert demo_session_dir() == folder and listing(folder) == before  # not copied again
    (folder / "formulaic.srt").write_text("cut short", encoding="utf-8")
    demo_session_dir()
    assert (folder / "formulaic.srt").read_bytes() == (bundled / "formulaic.srt").read_bytes()


def test_the_demo_app_writes_its_review_in_the_data_folder_not_the_package(tmp_path):
    bundled = locations.bundled_examples_dir() / "formulaic"
    untouched = listing(bundled)
    env = dict(
        os.environ,
        TERM="xterm-256color",
        REVIEW_TUI_REVIEWER="Ann Lee:supervisor",
        REVIEW_TUI_CONFIG=str(tmp_path / "config.toml"),
        REVIEW_TUI_DATA_DIR=str(tmp_path / "data"),
        REVIEW_TUI_STATE_DIR=str(tmp_path / "state"),
        REVIEW_TUI_AUDIO="null",
    )
    # Play a moment (so there is a position to save), quit: each key once the screen it is
    # meant for is drawn (the status row says Paused, then Playing, then Paused again).
    keys = [(b"Paused", b" "), (b"Playing", b" "), (b"Paused", b"q")]
    status, output = run_on_pty([sys.executable, "-m", "review_tui", "demo", "--sample-review"], env=env, keys=keys, timeout=60)
    assert status == 0, output.decode("utf-8", "replace")[-1500:]
    assert listing(bundled) == untouched, "the demo wrote into the installed package"
    copy = tmp_path / "data" / "demo" / "formulaic"
    assert (copy / "formulaic.review.sqlite").is_file()
    # A report of the demo lands beside its working copy too.
    result = subprocess.run(
        [sys.executable, "-m", "review_tui", "report", str(copy / "formulaic.mp4")],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    written = Path(result.stdout.strip().removeprefix("wrote ").splitlines()[-1].strip())
    assert written.parent == copy and written.is_file(), result.stdout
    assert listing(bundled) == untouched
