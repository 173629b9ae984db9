"""Settings from a TOML file plus ``REVIEW_TUI_*`` environment variables.

The environment wins over the file, so a one-off run can change a setting without editing it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from review_tui import locations
from review_tui.model import ReviewTuiError


class ConfigError(ReviewTuiError):
    pass


KNOWN_KEYS = {"reviewer", "audio", "keymap", "codebook", "video", "frame_ring_mb"}


@dataclass(slots=True)
class Config:
    """The user's settings (config.toml), with the defaults for what it leaves out."""

    reviewer: str | None = None  # "Name:role"
    audio: str = "auto"  # auto | null | off
    video: str = "halfblock"  # halfblock | kitty | sixel (where the terminal supports it)
    codebook: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> comma-separated keys
    frame_ring_mb: float | None = None  # decoded pictures kept for instant seeks; None: the player's default
    source: Path | None = None


def remembered_reviewer(path: Path | None = None) -> str | None:
    """The reviewer saved by ``remember_reviewer`` as "Name:role", or None. An unreadable
    file is treated as absent: the app simply asks again."""
    path = path or locations.reviewer_file()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    import tomllib  # only for a file there is to parse: ~2 ms of every start otherwise

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    name, role = data.get("name"), data.get("role")
    if isinstance(name, str) and isinstance(role, str) and name.strip():
        return f"{name.strip()}:{role.strip()}"
    return None


def remember_reviewer(name: str, role: str, path: Path | None = None) -> Path:
    """Save who is reviewing (mode 0600: a name is personal data) for the next session."""
    path = path or locations.reviewer_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(f"name = {_toml_string(name)}\nrole = {_toml_string(role)}\n")
        os.chmod(path, 0o600)  # a file that existed keeps its old mode through O_CREAT
    except OSError as error:
        raise ConfigError(f"{path}: cannot remember the reviewer: {error.strerror or error}") from None
    return path


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _require_text(data: dict, key: str, path: Path) -> None:
    """A setting that must be a string, refused in one line when it is not (``reviewer = 5``)."""
    if key in data and not (isinstance(data[key], str) and data[key].strip()):
        shown = data[key] if isinstance(data[key], (int, float, bool)) else type(data[key]).__name__
        raise ConfigError(f"{path}: {key} must be a quoted text, as {key} = \"...\", not {shown!r}")


def load_config(path: Path | None = None) -> Config:
    path = path or locations.config_file()
    config = Config()
    if path.is_file():
        import tomllib  # only for a config that exists: ~2 ms of every start otherwise

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
            raise ConfigError(f"{path}: cannot read config: {error}") from None
        unknown = sorted(set(data) - KNOWN_KEYS)
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s): {', '.join(unknown)}")
        config.source = path
        for key in ("reviewer", "audio", "video", "codebook"):
            _require_text(data, key, path)
        config.reviewer = data.get("reviewer", config.reviewer)
        config.audio = data.get("audio", config.audio)
        config.video = data.get("video", config.video)
        if "codebook" in data:
            config.codebook = Path(data["codebook"]).expanduser()
        keymap = data.get("keymap", {})
        if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
            # `play.toggle = "p"` unquoted is TOML for a nested table: say how to write it.
            raise ConfigError(
                f'{path}: [keymap] must map binding ids to key strings; quote an id: "play.toggle" = "space"'
            )
        config.keymap = dict(keymap)
        config.frame_ring_mb = data.get("frame_ring_mb", config.frame_ring_mb)
    env = os.environ
    config.reviewer = env.get("REVIEW_TUI_REVIEWER", config.reviewer)
    config.audio = env.get("REVIEW_TUI_AUDIO", config.audio)
    config.video = env.get("REVIEW_TUI_VIDEO", config.video)
    if env.get("REVIEW_TUI_CODEBOOK"):
        config.codebook = Path(env["REVIEW_TUI_CODEBOOK"]).expanduser()
    config.frame_ring_mb = _megabytes(env.get("REVIEW_TUI_FRAME_RING_MB", config.frame_ring_mb), path)
    if config.audio not in ("auto", "null", "off"):
        raise ConfigError(f"{path}: audio must be auto, null or off, not {config.audio!r}")
    return config


def _megabytes(value: object, path: Path) -> float | None:
    """A size in MB from the file (a number) or the environment (a string), 0 or more."""
    if value is None:
        return None
    try:
        number = float(value) if not isinstance(value, bool) else -1.0
    except (TypeError, ValueError):
        number = -1.0
    if not number >= 0:  # also refuses NaN
        raise ConfigError(f"{path}: frame_ring_mb must be a number of megabytes, 0 or more, not {value!r}")
    return number
