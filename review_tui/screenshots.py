"""A screenshot of the app, written where only its user can read it.

Textual saves screenshots to ~/Downloads: a folder that may not exist (the palette then says
"Failed to save screenshot") and that is often synced or shared, while the picture shows a
patient's words. Ours go to the user data folder, 0600, named by the moment they were taken.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from review_tui import locations


def save_screenshot(svg: str, folder: Path | None = None, *, now: datetime | None = None) -> Path:
    """Write ``svg`` to a new 0600 file in ``folder`` (default: the screenshots folder)."""
    folder = folder or locations.screenshots_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H-%M-%S")
    for number in range(1000):
        path = folder / (f"review_tui_{stamp}.svg" if number == 0 else f"review_tui_{stamp}_{number}.svg")
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(svg)
        return path
    raise FileExistsError(f"{folder}: too many screenshots taken this second")
