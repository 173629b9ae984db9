"""Settings from a TOML file plus ``REVIEW_TUI_*`` environment variables.

The environment wins over the file, so a one-off run can change a setting without editing it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from review_tui import locations
from review_tui.model import ReviewTuiError


class ConfigError(ReviewTuiError):
    pass


KNOWN_KEYS = {"reviewer", "audio", "keymap", "codebook", "video"}


@dataclass(slots=True)
class Config:
    reviewer: str | None = None  # "Name:role"
    audio: str = "auto"  # auto | null | off
    video: str = "halfblock"  # halfblock | kitty | sixel (where the terminal supports it)
    codebook: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> comma-separated keys
    source: Path | None = None


def load_config(path: Path | None = None) -> Config:
    path = path or locations.config_file()
    config = Config()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
            raise ConfigError(f"{path}: cannot read config: {error}") from None
        unknown = sorted(set(data) - KNOWN_KEYS)
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s): {', '.join(unknown)}")
        config.source = path
        config.reviewer = data.get("reviewer", config.reviewer)
        config.audio = data.get("audio", config.audio)
        config.video = data.get("video", config.video)
        if "codebook" in data:
            config.codebook = Path(data["codebook"]).expanduser()
        keymap = data.get("keymap", {})
        if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
            raise ConfigError(f"{path}: [keymap] must map binding ids to key strings")
        config.keymap = dict(keymap)
    env = os.environ
    config.reviewer = env.get("REVIEW_TUI_REVIEWER", config.reviewer)
    config.audio = env.get("REVIEW_TUI_AUDIO", config.audio)
    config.video = env.get("REVIEW_TUI_VIDEO", config.video)
    if env.get("REVIEW_TUI_CODEBOOK"):
        config.codebook = Path(env["REVIEW_TUI_CODEBOOK"]).expanduser()
    if config.audio not in ("auto", "null", "off"):
        raise ConfigError(f"{path}: audio must be auto, null or off, not {config.audio!r}")
    return config
