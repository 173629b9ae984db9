"""Where a review file lives, and how it is created readable by its owner only."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

from review_tui.locations import fallback_reviews_dir
from review_tui.model import Problem, StoreError
from review_tui.store.copies import difference_notice

SUFFIX = ".review.sqlite"


def review_path_for(
    media_or_transcript: Path, override: Path | None = None
) -> tuple[Path, Problem | None]:
    """Where the review of a recording lives, and a notice when that is not beside it.

    ``session.mp4`` → ``session.review.sqlite`` in the same folder, so a review travels and is
    deleted with its recording. A folder we may not write to sends the review to the user's
    data folder instead; a review already beside the recording is copied there first. When
    both exist, the notice says what the other one holds that this one lacks, which of the two
    is newer, and how to merge it: a review older than one the app wrote is never shown
    silently.
    """
    if override is not None:
        return Path(override).expanduser(), None
    source = Path(media_or_transcript).expanduser().absolute()
    beside, fallback = beside_path(source), fallback_path(source)
    if _may_write(beside):
        if not (beside.exists() and fallback.exists()):
            return beside, None
        text = difference_notice(beside, fallback, source, other_is="the copy kept while it was read-only")
        return beside, Problem(str(beside), text) if text else None
    copied_now = False
    try:
        fallback.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if beside.exists() and not fallback.exists():
            for extra in ("", "-wal"):
                if Path(f"{beside}{extra}").exists():
                    create_private(Path(f"{fallback}{extra}"))
                    shutil.copyfile(f"{beside}{extra}", f"{fallback}{extra}")
            copied_now = True
    except OSError as err:
        raise StoreError(
            f"{fallback}: cannot prepare the review file: {err.strerror or err}"
        ) from None
    notice = _why_elsewhere(beside, fallback)
    if beside.exists() and not copied_now:
        text = difference_notice(fallback, beside, source, other_is="the review beside the recording")
        if text:
            notice = Problem(notice.source, f"{notice.message}; {text}")
    return fallback, notice


def beside_path(source: Path) -> Path:
    """The review's usual place: beside the recording, named after it."""
    source = Path(source).expanduser().absolute()
    return source.with_name(source.stem + SUFFIX)


def fallback_path(source: Path) -> Path:
    """The review's place in the user data folder, while the one beside the recording cannot
    be written; named after the recording and a digest of its full path."""
    source = Path(source).expanduser().absolute()
    digest = hashlib.sha256(str(source).encode()).hexdigest()[:10]
    return fallback_reviews_dir() / f"{source.stem}-{digest}{SUFFIX}"


def other_copy(source: Path, review: Path) -> Path:
    """The counterpart of the review in use: the data-folder copy of the one beside the
    recording, or the other way round."""
    beside = beside_path(source)
    return fallback_path(source) if Path(review).absolute() == beside else beside


def _why_elsewhere(beside: Path, fallback: Path) -> Problem:
    """Say what is read-only: the review file, its folder, or both (only what is true)."""
    folder_writable = os.access(beside.parent, os.W_OK | os.X_OK)
    if not beside.exists():
        return Problem(str(beside.parent), f"folder is read-only; the review is kept in {fallback}")
    also = "" if folder_writable else " (and so is its folder)"
    return Problem(str(beside), f"is read-only{also}; working on a copy in {fallback}")


def create_private(path: Path) -> None:
    """Create ``path`` readable by its owner only (it holds clinical notes) before SQLite
    would create it with the default mode; an existing file is left as it is."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a review file") from None
        return
    except OSError as err:
        raise StoreError(f"{path}: cannot create the review file: {err.strerror or err}") from None
    os.close(descriptor)


def restrict_to_owner(path: Path) -> None:
    """Take group and other rights off a review file (and its -wal, -shm) that was copied or
    made by hand with a looser mode; a file we do not own stays as it is."""
    for name in (path, *(Path(f"{path}{extra}") for extra in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(OSError):
            if name.stat().st_mode & 0o077:
                name.chmod(0o600)


def _may_write(review: Path) -> bool:
    # os.access asks for the real user's rights, which is what the user will run into.
    if not os.access(review.parent, os.W_OK | os.X_OK):
        return False
    return not review.exists() or os.access(review, os.R_OK | os.W_OK)
