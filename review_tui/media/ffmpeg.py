"""Find the ffmpeg binary and run every ffmpeg command, built with ffmpeg-python.

Order of the search: ``REVIEW_TUI_FFMPEG`` if set, else the static build shipped in the
imageio-ffmpeg wheel (so a user never needs an apt step), else ``ffmpeg`` on PATH.
A candidate counts only if ``ffmpeg -version`` answers; a missing or broken binary becomes a
one-line :class:`MediaError` naming everything that was tried. imageio-ffmpeg runs that check
itself before it names its binary, so we do not run it a second time, and the binary it named
is remembered (ffmpeg_memo.py) so that later starts neither import it nor run the check; the
version line is then read only when asked for.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import ffmpeg as ffmpeg_python

from review_tui.media import ffmpeg_memo
from review_tui.model import MediaError

ENV_VAR = "REVIEW_TUI_FFMPEG"
# Quiet, non-interactive defaults for every command: ffmpeg must never read the terminal
# (it would steal keys from the UI) nor print over it.
QUIET_ARGS = ("-hide_banner", "-nostdin", "-loglevel", "error")
# The long-lived processes (decoders, the sound) filter a small picture or a sound's tempo:
# ffmpeg's default pool of one filter thread per core is only stacks and buffers for them
# (measured: 12 threads down to 8 per video decoder, its memory 1-2 MB less, no slower).
STREAM_ARGS = ("-filter_complex_threads", "1")


@dataclass(frozen=True, slots=True)
class FfmpegBinary:
    """The ffmpeg executable in use, and where it was found."""

    path: str
    source: str  # "REVIEW_TUI_FFMPEG" | "imageio-ffmpeg" | "PATH"

    @property
    def version(self) -> str:
        """First line of `ffmpeg -version`."""
        return _version_of(self.path) or "ffmpeg version unknown"


@functools.cache
def _version_of(path: str) -> str | None:
    try:
        result = subprocess.run(
            [path, "-hide_banner", "-version"],
            capture_output=True,
            timeout=15,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    first = result.stdout.decode("utf-8", "replace").splitlines()[:1]
    if result.returncode != 0 or not first or not first[0].startswith("ffmpeg version"):
        return None
    return first[0]


def _candidates() -> list[tuple[str, str | None]]:
    """(source, path or None when the source has nothing to offer) in search order.
    imageio-ffmpeg offers only a binary that answered ``-version``."""
    found: list[tuple[str, str | None]] = []
    override = os.environ.get(ENV_VAR)
    if override:
        # An explicit choice is the only candidate: silently using another would hide a typo.
        return [(ENV_VAR, override)]
    found.append(("imageio-ffmpeg", _imageio_binary()))
    found.append(("PATH", shutil.which("ffmpeg")))
    return found


def _imageio_binary() -> str | None:
    """imageio-ffmpeg's binary: the one remembered from an earlier start while it is the same
    file (ffmpeg_memo.py), else the one imageio-ffmpeg names after checking it."""
    # IMAGEIO_FFMPEG_EXE is imageio-ffmpeg's own override, which it does not check: never
    # remembered as checked.
    checked = not os.environ.get("IMAGEIO_FFMPEG_EXE")
    remembered = ffmpeg_memo.recall() if checked else None
    if remembered is not None:
        return remembered
    try:
        import imageio_ffmpeg

        path = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # the wheel has no binary for this platform, or is not installed
        return None
    if checked:
        ffmpeg_memo.remember(path)
    return path


@functools.cache
def find_ffmpeg() -> FfmpegBinary:
    tried: list[str] = []
    for source, path in _candidates():
        if path is None:
            tried.append(f"{source} (none)")
            continue
        if source == "imageio-ffmpeg" or _version_of(path) is not None:
            return FfmpegBinary(path=path, source=source)
        state = "missing" if not os.path.exists(path) else "does not run"
        tried.append(f"{source} {path} ({state})")
    raise MediaError("no working ffmpeg found; tried " + ", ".join(tried))


def input_url(path: str | os.PathLike[str]) -> str:
    """The name to give ffmpeg for a local file, to read (or to write: outputs go through
    the same protocols).

    ffmpeg reads everything before a colon as a protocol: ``take:2.mp4`` is protocol "take"
    ("Protocol not found"), ``subfile:x.mp4`` is its subfile protocol. An absolute path
    behind the ``file:`` protocol is only ever the file itself, whatever its name holds.
    """
    return "file:" + os.path.abspath(os.fspath(path))


def compile_args(stream: Any, *, quiet: bool = True, overwrite: bool = True) -> list[str]:
    """The argument list for an ffmpeg-python stream, run with our binary."""
    args = ffmpeg_python.compile(stream, cmd=find_ffmpeg().path, overwrite_output=overwrite)
    if quiet:
        args[1:1] = QUIET_ARGS
    else:
        args[1:1] = ("-hide_banner", "-nostdin")
    return args


def run(
    stream: Any,
    *,
    quiet: bool = True,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run to completion, capturing stdout and stderr (never the terminal's)."""
    return subprocess.run(
        compile_args(stream, quiet=quiet),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
    )


def popen_capturing(stream: Any) -> subprocess.Popen[bytes]:
    """Start a short command whose stdout and stderr are both captured (``communicate``
    collects them): :func:`run`, for one that works while the caller does something else."""
    return subprocess.Popen(
        compile_args(stream), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def popen(
    stream: Any, *, stderr_to_devnull: bool = True, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start with stdout piped for streaming raw frames or PCM; stderr never reaches the UI.
    ``extra_env``: set in ffmpeg's environment on top of ours (video.STREAM_MALLOC_ENV)."""
    args = compile_args(stream)
    args[1:1] = STREAM_ARGS
    return subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if stderr_to_devnull else subprocess.PIPE,
        bufsize=0,
        env={**os.environ, **extra_env} if extra_env else None,
    )
