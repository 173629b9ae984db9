"""The review remembers every file it exported, so `review-tui purge` can find them all.

Kept in the review file's key-value state (not part of undo) as JSON: a list of
``{"path": absolute path, "format": name}``, newest last, each path once. Caches other
parts of the app make for a session are recorded the same way with format ``"cache"``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

EXPORTS_STATE_KEY = "exports.written"


def record_written(store, paths: Iterable[Path], format_name: str) -> None:
    """Add ``paths`` to what the review has written (a path already there moves to the end)."""
    entries = written_entries(store)
    new = [str(Path(path).absolute()) for path in paths]
    kept = [entry for entry in entries if entry["path"] not in new]
    kept += [{"path": path, "format": format_name} for path in new]
    store.set_state(EXPORTS_STATE_KEY, json.dumps(kept, ensure_ascii=False))


def written_entries(store) -> list[dict[str, str]]:
    """What the review has written; a damaged value counts as nothing recorded."""
    try:
        data = json.loads(store.get_state(EXPORTS_STATE_KEY) or "[]")
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [
        {"path": entry["path"], "format": str(entry.get("format", ""))}
        for entry in data
        if isinstance(entry, dict) and isinstance(entry.get("path"), str)
    ]
