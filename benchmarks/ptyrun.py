"""Run a terminal program in a real pseudo-terminal and account for what it draws.

A reader thread drains the terminal (a full pty would stall the program) and keeps every
chunk with its arrival time, so that updates can be counted afterwards. It answers the one
question Textual asks a terminal that matters here, "do you support synchronized output
(mode 2026)?", with yes, as kitty, WezTerm, foot and recent xterm do: each screen update then
arrives bracketed by ``ESC[?2026h`` … ``ESC[?2026l``, which is how updates are counted.
CPU time is read from /proc (utime + stime of the process and all its descendants).
"""

from __future__ import annotations

import bisect
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_YES = b"\x1b[?2026;2$y"
SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
HALF_BLOCK = "▀".encode()
CURSOR_MOVE = re.compile(rb"\x1b\[\d+;\d+[Hf]")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def terminal_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    env.pop("TMUX", None)
    if extra:
        env.update(extra)
    return env


@dataclass(frozen=True, slots=True)
class Update:
    end_s: float  # when the last byte of the update arrived (monotonic seconds)
    size: int  # bytes
    half_blocks: int  # picture cells in it: a video picture has hundreds, chrome has none
    picture: int  # digest of the lines holding picture cells: equal digests, same picture

    @classmethod
    def of(cls, block: bytes, end_s: float, cell: bytes = HALF_BLOCK) -> Update:
        # A repaint of an unchanged picture (the app redrawing around it) must not count as
        # a new frame, so pictures are told apart by the content of their lines.
        lines = [line for line in CURSOR_MOVE.split(block) if cell in line]
        return cls(end_s, len(block), block.count(cell), zlib.crc32(b"\n".join(lines)) if lines else 0)


def new_pictures(updates: list[Update]) -> list[Update]:
    """The updates that put a different picture on screen than the one before."""
    found: list[Update] = []
    previous = 0
    for update in updates:
        if update.picture and update.picture != previous:
            found.append(update)
            previous = update.picture
    return found


class PtyProcess:
    """One program in a pseudo-terminal of ``cols`` x ``rows`` cells."""

    def __init__(self, argv: list[str], *, cols: int, rows: int, env: dict[str, str] | None = None, cwd: str | None = None) -> None:
        self.started_s = time.monotonic()
        pid, master = pty.fork()
        if pid == 0:  # the child: size its terminal before the program can ask
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if cwd:
                    os.chdir(cwd)
                os.execvpe(argv[0], argv, env or terminal_env())
            finally:
                os._exit(127)
        self.pid = pid
        self.master = master
        self._chunks: list[bytes] = []
        self._times: list[float] = []
        self._lock = threading.Lock()
        self._answered = False
        self._closed = threading.Event()
        self._reader = threading.Thread(target=self._drain, name="pty-reader", daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        tail = b""
        while not self._closed.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                break  # the program has gone and the pty closed
            if not chunk:
                break
            now = time.monotonic()
            with self._lock:
                self._chunks.append(chunk)
                self._times.append(now)
            if not self._answered and SYNC_QUERY in tail + chunk:
                self._answered = True
                self.send(SYNC_YES)
            tail = chunk[-16:]
        self._closed.set()

    def send(self, data: bytes | str) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    @property
    def exited(self) -> bool:
        return self._closed.is_set()

    def output(self) -> tuple[bytes, list[int], list[float]]:
        """Everything read so far, with the end offset and arrival time of each chunk."""
        with self._lock:
            chunks, times = list(self._chunks), list(self._times)
        ends: list[int] = []
        total = 0
        for chunk in chunks:
            total += len(chunk)
            ends.append(total)
        return b"".join(chunks), ends, times

    def forget_output(self) -> None:
        """Drop what was read so far (a long run would otherwise hold all of it)."""
        with self._lock:
            self._chunks.clear()
            self._times.clear()

    def time_of_offset(self, offset: int, ends: list[int], times: list[float]) -> float:
        return times[min(bisect.bisect_right(ends, offset), len(times) - 1)]

    def wait_for(self, marker: bytes, timeout_s: float) -> float | None:
        """Seconds from launch until ``marker`` first appeared in the output, or None."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            data, ends, times = self.output()
            found = data.find(marker)
            if found >= 0:
                return self.time_of_offset(found + len(marker) - 1, ends, times) - self.started_s
            if self.exited:
                return None
            time.sleep(0.005)
        return None

    def updates(self) -> list[Update]:
        """Screen updates, as synchronized-output blocks."""
        data, ends, times = self.output()
        found: list[Update] = []
        position = 0
        while True:
            start = data.find(SYNC_START, position)
            if start < 0:
                break
            end = data.find(SYNC_END, start)
            if end < 0:
                break
            block = data[start:end]
            found.append(Update.of(block, self.time_of_offset(end, ends, times)))
            position = end + len(SYNC_END)
        return found

    def pieces(self, starts_of: Callable[[bytes], list[int]], cell: bytes = HALF_BLOCK) -> list[Update]:
        """Updates of a program that does not bracket them: ``starts_of`` finds where each
        begins in the output; ``cell`` is the picture character to count."""
        data, ends, times = self.output()
        starts = starts_of(data)
        found: list[Update] = []
        for first, after in zip(starts, [*starts[1:], len(data)]):
            block = data[first:after]
            found.append(Update.of(block, self.time_of_offset(after - 1, ends, times), cell))
        return found

    def rss_mb(self) -> float:
        """Resident memory of the process and its live descendants (ffmpeg included), in MB."""
        return sum(process_rss_kb(pid) for pid in (self.pid, *descendants(self.pid))) / 1024

    def pss_mb(self) -> float:
        """Proportional memory of the process and its live descendants, in MB: pages shared
        between them (the ffmpeg binary mapped by each decoder) counted once, not per process."""
        return sum(process_pss_kb(pid) for pid in (self.pid, *descendants(self.pid))) / 1024

    def cpu_seconds(self) -> tuple[float, float]:
        """(the process alone, the process and all its descendants) in CPU seconds."""
        return process_cpu(self.pid), tree_cpu(self.pid)

    def close(self, *, quit_keys: bytes | None = None, grace_s: float = 3.0) -> None:
        """Ask politely (``quit_keys``), then SIGTERM, then SIGKILL; reap the child."""
        if quit_keys and not self.exited:
            try:
                self.send(quit_keys)
            except OSError:
                pass
        deadline = time.monotonic() + grace_s
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None:
                try:
                    os.kill(self.pid, sig)
                except ProcessLookupError:
                    break
                deadline = time.monotonic() + grace_s
            while time.monotonic() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.02)
            else:
                continue
            break
        else:
            os.waitpid(self.pid, 0)
        self._closed.set()
        self._reader.join(timeout=1.0)
        try:
            os.close(self.master)
        except OSError:
            pass


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            raw = stat.read().decode()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: split after its closing one.
    return raw[raw.rindex(")") + 2 :].split()


def process_rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rollup_kb(pid: int) -> dict[str, int]:
    """The kB fields of one process's smaps_rollup (Rss, Pss, Anonymous...); {} when it is gone."""
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as rollup:
            for line in rollup:
                name, _, rest = line.partition(":")
                fields = rest.split()
                if len(fields) == 2 and fields[1] == "kB":
                    found[name] = int(fields[0])
    except (OSError, ValueError):
        return {}
    return found


def process_rss_split_kb(pid: int) -> tuple[int, int]:
    """(resident kB, of which mapped from files: a binary's and its libraries' pages) of one
    process; (0, 0) when it is gone."""
    rollup = rollup_kb(pid)
    rss = rollup.get("Rss", 0)
    return rss, max(0, rss - rollup.get("Anonymous", 0))


def process_pss_kb(pid: int) -> int:
    return rollup_kb(pid).get("Pss", 0)


def process_cpu(pid: int, *, with_reaped_children: bool = False) -> float:
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    # After ")": state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14.
    ticks = int(fields[11]) + int(fields[12])
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry))
    found: list[int] = []
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def tree_cpu(pid: int) -> float:
    """The process, its live descendants, and the children it already reaped (ffmpeg
    processes replaced after a seek still count)."""
    total = process_cpu(pid, with_reaped_children=True)
    return total + sum(process_cpu(child, with_reaped_children=True) for child in descendants(pid))
