"""Tag writes that could not be made yet because another program holds the review's write lock.

Such a write is never dropped and never waited for on the caller's thread: it is appended to
a pending file beside the review (``<review>.pending-<id>``, 0600, one JSON line each, flushed
to disk before the call returns), retried in the background, and the file goes once every
write in it has landed. The file stays locked (flock) while its instance runs, so a file that
can be locked is an orphan of a killed or closed instance: the next open replays it. Each
write has an id the store marks as landed in the same transaction, so a write replayed twice
(killed between landing and the file's removal) lands once.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # no flock (Windows): every pending file is taken as in use
    fcntl = None  # type: ignore[assignment]

Write = dict[str, Any]


def new_write(kind: str, **parts: Any) -> Write:
    return {"write_id": uuid.uuid4().hex, "kind": kind, **parts}


class PendingFile:
    """This instance's pending writes, in order, in memory and on disk."""

    def __init__(self, review: Path) -> None:
        self.path = Path(f"{review}.pending-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        self.writes: list[Write] = []
        self._descriptor: int | None = None

    def append(self, write: Write) -> None:
        """Keep ``write`` on disk before returning (OSError when it cannot be kept)."""
        if self._descriptor is None:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            if fcntl is not None:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._descriptor = descriptor
        os.write(self._descriptor, (json.dumps(write, ensure_ascii=False) + "\n").encode("utf-8"))
        os.fsync(self._descriptor)
        self.writes.append(write)

    def landed(self, write: Write) -> None:
        """Forget a write that is in the review now; the file goes with the last one."""
        self.writes.remove(write)
        if not self.writes and self._descriptor is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
            self.close()

    def close(self) -> None:
        """Let go of the file (writes still in it are replayed by the next open)."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None


def orphans(review: Path) -> list[tuple[Path, list[Write], int]]:
    """Pending files of instances that are gone: each path, its writes, and its descriptor,
    held locked until the caller closes it (so two openers never replay one file at once)."""
    found = []
    if fcntl is None:
        return found
    for path in sorted(Path(review).parent.glob(f"{Path(review).name}.pending-*")):
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)  # its instance still runs and lands its writes itself
            continue
        found.append((path, _read_writes(path), descriptor))
    return found


def others_in_use(review: Path) -> bool:
    """Whether any pending file beside the review belongs to a running instance."""
    return any(Path(review).parent.glob(f"{Path(review).name}.pending-*"))


def _read_writes(path: Path) -> list[Write]:
    writes = []
    with contextlib.suppress(OSError):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                write = json.loads(line)
            except ValueError:
                continue  # the last line of a kill during an append: that call never returned
            if isinstance(write, dict) and "write_id" in write and "kind" in write:
                writes.append(write)
    return writes


class Waiting:
    """The writes of one store that wait for the review file: the pending file, the ids the
    caller was given for tags not yet in the file, and the thread that retries them."""

    RETRY_S = 0.5

    def __init__(self, review: Path) -> None:
        self.file = PendingFile(review)
        self.refused: list[str] = []  # writes the review refused once it could be written
        self._provisional: dict[int, str] = {}  # id given for a tag not yet written -> its uid
        self._real: dict[str, int] = {}  # uid of a tag written since -> its id in the file
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def writes(self) -> list[Write]:
        return self.file.writes

    def target(self, tag_id: int) -> dict[str, Any]:
        """How a write names the tag the caller calls ``tag_id`` (a given id may be provisional)."""
        uid = self._provisional.get(tag_id)
        if uid is None:
            return {"id": tag_id}
        return {"id": self._real[uid]} if uid in self._real else {"uid": uid}

    def provisional_id(self, uid: str) -> int:
        for tag_id, known in self._provisional.items():
            if known == uid:
                return tag_id
        tag_id = -(len(self._provisional) + 1)
        self._provisional[tag_id] = uid
        return tag_id

    def written(self, uid: str, tag_id: int) -> None:
        self._real[uid] = tag_id

    def resolve(self, target: dict[str, Any]) -> int | None:
        if "id" in target:
            return target["id"]
        uid = target["uid"]
        return self._real.get(uid, self.provisional_id(uid))

    def start(self, retry: Callable[[], bool]) -> None:
        """Call ``retry`` every RETRY_S until it says every write has landed."""
        if self._thread is not None and self._thread.is_alive():
            return

        def run() -> None:
            while not self._stop.wait(self.RETRY_S):
                if retry():
                    return

        self._thread = threading.Thread(target=run, name="review-pending-writes", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        self.file.close()
