"""A fast content identity for a large file, so a review notices its recording was replaced.

Hashing a 2 GB recording whole would stall opening it; the size plus the head, middle and
tail catches re-encodes, trims and swapped files, which is what a review needs to know.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from review_tui.model import ReviewTuiError

SAMPLE_BYTES = 1 << 20  # 1 MiB from each of head, middle and tail


def fingerprint(path: Path) -> str:
    """``"<size>-<sha256 hex>"`` of the head, middle and tail (the whole file when small)."""
    path = Path(path)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            if size <= 3 * SAMPLE_BYTES:
                offsets = [0]
                length = size
            else:
                offsets = [0, (size - SAMPLE_BYTES) // 2, size - SAMPLE_BYTES]
                length = SAMPLE_BYTES
            for offset in offsets:
                handle.seek(offset)
                digest.update(handle.read(length))
    except FileNotFoundError:
        raise ReviewTuiError(f"{path.name}: no such file") from None
    except IsADirectoryError:
        raise ReviewTuiError(f"{path.name}: is a folder, not a file") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ReviewTuiError(f"{path.name}: cannot read the file ({reason})") from None
    return f"{size}-{digest.hexdigest()}"
