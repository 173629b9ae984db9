"""Every path the app reads or writes by default, decided in one place."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "review_tui"


def config_file() -> Path:
    """The user's config file; ``REVIEW_TUI_CONFIG`` overrides it (tests point it at tmp)."""
    override = os.environ.get("REVIEW_TUI_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir() -> Path:
    """Where reviews go when the recording's folder is read-only, and where the demo is copied."""
    override = os.environ.get("REVIEW_TUI_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME))


def reviewer_file() -> Path:
    """Who reviews on this machine, remembered after the app first asked (config and
    environment still win over it)."""
    return data_dir() / "reviewer.toml"


def fallback_reviews_dir() -> Path:
    return data_dir() / "reviews"


def demo_dir() -> Path:
    """Writable copy of the bundled demo session."""
    return data_dir() / "demo"


def bundled_examples_dir() -> Path | None:
    """The examples shipped with the package (wheel) or beside it (source checkout)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "examples", package.parent / "examples"):
        if (candidate / "formulaic").is_dir():
            return candidate
    return None


def state_dir() -> Path:
    """Where the app keeps what it writes about itself (crash logs); ``REVIEW_TUI_STATE_DIR``
    overrides it (tests point it at tmp)."""
    override = os.environ.get("REVIEW_TUI_STATE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir(APP_NAME))


def crash_logs_dir() -> Path:
    return state_dir() / "crashes"


def scratch_dir() -> Path:
    """Where exports keep their working files (a clip's subtitles quote the transcript): in the
    user's own state folder, not the shared system temp, so a killed export leaves nothing
    readable by others, and the next export clears it (review_tui.scratch)."""
    return state_dir() / "scratch"


def screenshots_dir() -> Path:
    """Where the palette's Screenshot goes: a picture of a session is as private as the review."""
    return data_dir() / "screenshots"
