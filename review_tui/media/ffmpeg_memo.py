"""Remember which bundled ffmpeg binary answered `-version`, so that later starts skip the check.

imageio-ffmpeg names its binary only after running it once (`ffmpeg -version`, ~20-40 ms) and
importing its package costs a few ms more; every start paid both before the first picture.
The check only proves that this very file runs on this machine, so its answer holds until the
file changes: we keep the binary's path with its size and modification time (and the folder
of the imageio-ffmpeg install that named it) in the app's state folder. A different install,
a replaced or deleted binary, or an unreadable memo means asking imageio-ffmpeg again.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from review_tui.locations import state_dir

MEMO_NAME = "ffmpeg.json"


def memo_path() -> Path:
    return state_dir() / MEMO_NAME


def _imageio_package_dir() -> str | None:
    """Where imageio-ffmpeg is installed, found without importing it."""
    try:
        spec = importlib.util.find_spec("imageio_ffmpeg")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.realpath(list(spec.submodule_search_locations)[0])


def _identity(path: str) -> dict | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return {"size": status.st_size, "mtime_ns": status.st_mtime_ns}


def recall() -> str | None:
    """The binary remembered for this imageio-ffmpeg install, if it is still the same file."""
    package = _imageio_package_dir()
    if package is None:
        return None
    try:
        memo = json.loads(memo_path().read_text(encoding="utf-8"))
        path = memo["path"]
        remembered = {"size": memo["size"], "mtime_ns": memo["mtime_ns"]}
        same_install = memo["package"] == package
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(path, str) or not same_install or _identity(path) != remembered:
        return None
    if not os.access(path, os.X_OK):
        return None
    return path


def remember(path: str) -> None:
    """Keep ``path`` (a binary that just answered `-version`) for the next start. Best effort:
    a state folder that cannot be written only means checking again next time."""
    package = _imageio_package_dir()
    identity = _identity(path)
    if package is None or identity is None or not os.path.isabs(path):
        return
    memo = {"path": path, "package": package, **identity}
    target = memo_path()
    partial = target.with_name(f".{MEMO_NAME}.{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(memo, stream)
        os.replace(partial, target)  # two starts at once each write whole memos
    except OSError:
        try:
            partial.unlink()
        except OSError:
            pass
