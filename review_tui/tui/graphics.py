"""Which terminal graphics protocols the terminal speaks, and their escape sequences.

Detection reads the environment, and, for sixel, the terminal's own answer to a device
attributes query (DA1: attribute 4 is sixel) — xterm started as a VT340 draws sixel but says
so only there. The query must be asked before the app starts: once Textual runs, its input
thread owns stdin and would swallow the reply, so the CLI asks once and the answer is kept.
"""

from __future__ import annotations

import base64
import fcntl
import functools
import os
import re
import select
import struct
import termios
import time
from collections.abc import Mapping

VIDEO_MODES = ("halfblock", "kitty", "sixel")
KITTY_TERM_PROGRAMS = {"wezterm", "ghostty"}
SIXEL_TERMS = ("sixel", "foot", "mlterm", "contour")
KITTY_CHUNK = 4096  # the protocol's limit on the base64 payload of one escape
FALLBACK_CELL_PX = (10, 20)  # when the terminal does not report its pixel size (pipes, tests)
KITTY_IMAGE_ID = 7_340_033  # any id of ours; one picture on screen, replaced per frame


SIXEL_ATTRIBUTE = 4  # in the DA1 reply: "the terminal draws sixel graphics" (VT340, xterm, foot …)
DA1_QUERY = b"\x1b[c"
DA1_REPLY = re.compile(rb"\x1b\[\?([0-9;]*)c")
DA1_TIMEOUT_S = 0.25  # a terminal answers in a few ms; one that never answers costs this once

# The terminal's answer to DA1, asked once before the app starts (None: not asked or no answer).
_device_attributes: tuple[int, ...] | None = None


def graphics_support(env: Mapping[str, str], device_attributes: tuple[int, ...] | None = None) -> set[str]:
    """The graphics protocols ("kitty", "sixel") this terminal is known to draw."""
    term = env.get("TERM", "").lower()
    program = env.get("TERM_PROGRAM", "").lower()
    found: set[str] = set()
    if term == "xterm-kitty" or env.get("KITTY_WINDOW_ID") or program in KITTY_TERM_PROGRAMS or term == "xterm-ghostty":
        found.add("kitty")
    if any(name in term for name in SIXEL_TERMS) or program == "wezterm":
        found.add("sixel")  # WezTerm draws both
    if device_attributes and SIXEL_ATTRIBUTE in device_attributes:
        found.add("sixel")
    return found


def query_device_attributes(fd: int | None = None, timeout_s: float = DA1_TIMEOUT_S) -> tuple[int, ...] | None:
    """Ask the terminal for its primary device attributes; None when it does not answer.

    Runs with the terminal in non-canonical, no-echo mode so the reply neither waits for Enter
    nor shows on screen; the mode is restored whatever happens. Never raises.
    """
    try:
        tty = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY) if fd is None else fd
    except OSError:
        return None
    try:
        saved = termios.tcgetattr(tty)
    except termios.error:
        if fd is None:
            os.close(tty)
        return None
    try:
        quiet = list(saved)
        quiet[3] &= ~(termios.ICANON | termios.ECHO)
        termios.tcsetattr(tty, termios.TCSANOW, quiet)
        os.write(tty, DA1_QUERY)
        reply = b""
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([tty], [], [], left)
            if not ready:
                break
            reply += os.read(tty, 256)
            found = DA1_REPLY.search(reply)
            if found:
                return tuple(int(part) for part in found.group(1).split(b";") if part)
        return None
    except OSError:
        return None
    finally:
        try:
            termios.tcsetattr(tty, termios.TCSANOW, saved)
        except termios.error:
            pass
        if fd is None:
            os.close(tty)


def remember_device_attributes(config_value: str, env: Mapping[str, str]) -> None:
    """Before the app starts: ask the terminal, when only its answer can tell (sixel asked for)."""
    global _device_attributes
    if config_value == "sixel" and "sixel" not in graphics_support(env):
        _device_attributes = query_device_attributes()


def choose_video_mode(
    config_value: str, env: Mapping[str, str], device_attributes: tuple[int, ...] | None = None
) -> tuple[str, str | None]:
    """The video mode to use and, when the asked one cannot be honoured, a one-line notice."""
    if config_value == "halfblock":
        return "halfblock", None
    if config_value not in VIDEO_MODES:
        return "halfblock", f'video = "{config_value}" is not one of {", ".join(VIDEO_MODES)}; using halfblock'
    if config_value in graphics_support(env, device_attributes or _device_attributes):
        return config_value, None
    term = env.get("TERM_PROGRAM") or env.get("TERM") or "this terminal"
    return "halfblock", f"video = {config_value}: {term} does not show {config_value} graphics; using halfblock"


def cell_pixel_size(fd: int | None = None) -> tuple[int, int]:
    """Pixels of one cell (width, height) as the terminal reports them, else a usual guess."""
    try:
        tty = os.open("/dev/tty", os.O_RDONLY) if fd is None else fd
    except OSError:
        return FALLBACK_CELL_PX
    try:
        rows, cols, width_px, height_px = struct.unpack("HHHH", fcntl.ioctl(tty, termios.TIOCGWINSZ, b"\0" * 8))
    except OSError:
        return FALLBACK_CELL_PX
    finally:
        if fd is None:
            os.close(tty)
    if not (rows and cols and width_px and height_px):
        return FALLBACK_CELL_PX
    return max(1, width_px // cols), max(1, height_px // rows)


def kitty_escape(rgb: bytes, width: int, height: int, cols: int, rows: int, image_id: int = KITTY_IMAGE_ID) -> str:
    """Transmit-and-show RGB24 pixels scaled into cols x rows cells at the cursor.

    The same image and placement ids every time make the terminal replace the picture in one
    step (no blank frame between old and new); C=1 keeps the cursor where it was and q=2 stops
    replies, which would otherwise arrive as input.
    """
    payload = base64.b64encode(rgb)
    chunks = [payload[start : start + KITTY_CHUNK] for start in range(0, len(payload), KITTY_CHUNK)] or [b""]
    head = f"a=T,f=24,s={width},v={height},c={cols},r={rows},i={image_id},p=1,C=1,q=2"
    parts = []
    for number, chunk in enumerate(chunks):
        keys = head if number == 0 else ""
        more = "m=1" if number < len(chunks) - 1 else "m=0"
        keys = f"{keys},{more}" if keys else more
        parts.append(f"\x1b_G{keys};{chunk.decode('ascii')}\x1b\\")
    return "".join(parts)


def kitty_delete(image_id: int = KITTY_IMAGE_ID) -> str:
    """Take the picture off the screen (it floats above the cells, so covering it is not enough)."""
    return f"\x1b_Ga=d,d=i,i={image_id},q=2\x1b\\"


# Sixel: a fixed 6x6x6 colour cube, so quantising is three table look-ups per pixel done by
# bytes.translate in C, and no palette has to be computed per frame. Each channel goes to the
# nearest of the cube's six levels (0, 51, … 255): cutting into six equal bins instead sent
# every value below 43 to 0, and the dark greys of a dim consulting room turned black.
CUBE_LEVELS = 6
_LEVEL = bytes(min(CUBE_LEVELS - 1, (value * (CUBE_LEVELS - 1) + 127) // 255) for value in range(256))
_RED = _LEVEL.translate(bytes(level * 36 if level < 6 else 0 for level in range(256)))
_GREEN = _LEVEL.translate(bytes(level * 6 if level < 6 else 0 for level in range(256)))
PAD_INDEX = 255  # rows that fill the last band of six; drawn in no colour, so left untouched


@functools.cache
def _band_bits() -> list[list[bytes]]:
    """Per colour and row of a band, the table that keeps that colour's bit. Built on the
    first sixel picture, not at import: 330,000 bytes cost ~20 ms of every start-up."""
    return [[bytes((1 << bit) if value == colour else 0 for value in range(256)) for bit in range(6)] for colour in range(216)]


_TO_SIXEL_CHAR = bytes((value + 63) & 0xFF for value in range(256))
_PALETTE = "".join(
    f"#{red * 36 + green * 6 + blue};2;{red * 20};{green * 20};{blue * 20}"
    for red in range(CUBE_LEVELS)
    for green in range(CUBE_LEVELS)
    for blue in range(CUBE_LEVELS)
)
_RUN = re.compile(rb"(.)\1{3,}")


def cube_indices(rgb: bytes) -> bytes:
    """One palette index per pixel (red*36 + green*6 + blue, each 0-5)."""
    size = len(rgb) // 3
    # The three parts never carry into the next byte (at most 180+30+5), so adding the
    # byte strings as big integers adds every pixel's parts at once.
    total = (
        int.from_bytes(rgb[0::3].translate(_RED), "big")
        + int.from_bytes(rgb[1::3].translate(_GREEN), "big")
        + int.from_bytes(rgb[2::3].translate(_LEVEL), "big")
    )
    return total.to_bytes(size, "big")


def _compress_runs(line: bytes) -> bytes:
    return _RUN.sub(lambda run: b"!%d%c" % (len(run[0]), run[1][0]), line)


def _widen(line: bytes, scale: int) -> bytes:
    """Each byte of ``line`` repeated ``scale`` times, in C (one slice assignment per copy)."""
    if scale == 1:
        return line
    wide = bytearray(len(line) * scale)
    for copy in range(scale):
        wide[copy::scale] = line
    return bytes(wide)


def sixel_escape(rgb: bytes, width: int, height: int, scale: int = 1) -> str:
    """The DCS sixel sequence drawing RGB24 pixels from the cursor's cell, each as scale x scale.

    Sixel has no scaling of its own, so a small frame fills a large pane by drawing each pixel
    as a square of ``scale`` terminal pixels: rows are repeated before the bands are cut, and
    columns inside each colour line, where the run-length code keeps the repeats cheap.
    """
    indices = cube_indices(rgb)
    if scale > 1:
        indices = b"".join(indices[row * width : (row + 1) * width] for row in range(height) for _ in range(scale))
        height *= scale
    bands = -(-height // 6)
    indices += bytes([PAD_INDEX]) * (bands * 6 * width - len(indices))
    # rows_at[bit] holds row `bit` of every band, one band after another, so one translate
    # per (colour, bit) handles the whole picture.
    rows_at = [b"".join(indices[(6 * band + bit) * width : (6 * band + bit + 1) * width] for band in range(bands)) for bit in range(6)]
    lines_by_band: list[list[bytes]] = [[] for _ in range(bands)]
    band_bits = _band_bits()
    for colour in sorted(set(indices) - {PAD_INDEX}):
        tables = band_bits[colour]
        bits = sum(int.from_bytes(rows_at[bit].translate(tables[bit]), "big") for bit in range(6))
        mask = bits.to_bytes(bands * width, "big")
        for band in range(bands):
            chunk = mask[band * width : (band + 1) * width]
            if chunk.count(0) != width:
                line = _widen(chunk.translate(_TO_SIXEL_CHAR), scale)
                lines_by_band[band].append(b"#%d" % colour + _compress_runs(line))
    body = b"-".join(b"$".join(lines) for lines in lines_by_band).decode("ascii")
    return f'\x1bP0;1;0q"1;1;{width * scale};{height}{_PALETTE}{body}\x1b\\'
