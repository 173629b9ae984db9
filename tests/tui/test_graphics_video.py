"""Terminal graphics for the picture: which terminals get it, and what the pane sends them."""

from __future__ import annotations

import base64
import math
import re

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Static

from review_tui.media.video import Frame
from review_tui.tui.graphics import (
    KITTY_CHUNK,
    choose_video_mode,
    cube_indices,
    graphics_support,
)
from review_tui.tui.widgets.graphics_video import MAX_FRAME_PIXELS, GraphicsVideoView
from review_tui.tui.widgets.video import VideoView
from tests.tui.conftest import wait_for

CELL_PX = (10, 20)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TERM": "xterm-kitty"}, {"kitty"}),
        ({"TERM": "xterm-256color", "KITTY_WINDOW_ID": "3"}, {"kitty"}),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, {"kitty", "sixel"}),
        ({"TERM": "xterm-ghostty", "TERM_PROGRAM": "ghostty"}, {"kitty"}),
        ({"TERM": "foot"}, {"sixel"}),
        ({"TERM": "mlterm"}, {"sixel"}),
        ({"TERM": "xterm-sixel"}, {"sixel"}),
        ({"TERM": "xterm-256color"}, set()),
        ({"TERM": "tmux-256color", "TERM_PROGRAM": "tmux"}, set()),
        ({}, set()),
    ],
)
def test_graphics_support_reads_the_terminal_from_the_environment(env, expected):
    assert graphics_support(env) == expected


@pytest.mark.parametrize(
    ("asked", "env", "mode", "notice_mentions"),
    [
        ("halfblock", {"TERM": "xterm-kitty"}, "halfblock", None),
        ("kitty", {"TERM": "xterm-kitty"}, "kitty", None),
        ("sixel", {"TERM": "foot"}, "sixel", None),
        ("kitty", {"TERM": "foot"}, "halfblock", "foot"),
        ("sixel", {"TERM": "xterm-kitty"}, "halfblock", "xterm-kitty"),
        ("kitty", {"TERM": "screen", "TERM_PROGRAM": "tmux"}, "halfblock", "tmux"),
        ("iterm", {"TERM": "xterm-kitty"}, "halfblock", "iterm"),
    ],
)
def test_choose_video_mode_falls_back_to_half_blocks_with_one_line(asked, env, mode, notice_mentions):
    chosen, notice = choose_video_mode(asked, env)
    assert chosen == mode
    if notice_mentions is None:
        assert notice is None
    else:
        assert notice_mentions in notice and "halfblock" in notice and "\n" not in notice


class Host(App):
    """The app's wiring in miniature: a bound frame down, size requests up."""

    frame: reactive[Frame | None] = reactive(None, always_update=True)

    def __init__(self, protocol: str) -> None:
        super().__init__()
        self.protocol = protocol
        self.sizes: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield GraphicsVideoView(id="video", protocol=self.protocol, cell_px=CELL_PX).data_bind(Host.frame)

    @on(VideoView.SizeWanted)
    def record_size(self, event: VideoView.SizeWanted) -> None:
        self.sizes.append((event.width_px, event.height_px))


def gradient_frame(width: int, height: int, pts_ms: int = 0) -> Frame:
    rgb = bytes(value % 256 for y in range(height) for x in range(width) for value in (x * 7 + y, y * 5, (x ^ y) * 3))
    return Frame(pts_ms, width, height, rgb)


def drawn(view: GraphicsVideoView) -> str:
    """Everything the pane's rows send to the terminal, escapes included."""
    return "".join(segment.text for y in range(view.content_size.height) for segment in view.render_line(y))


async def test_kitty_sends_the_frame_pixels_at_the_asked_size():
    app = Host("kitty")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.sizes, what="a first size request")
        width, height = app.sizes[0]
        assert width * height <= MAX_FRAME_PIXELS["kitty"]
        assert abs(width / height - (80 * 10) / (24 * 20)) < 0.01
        frame = app.frame = gradient_frame(width, height)
        await pilot.pause()
        chunks = re.findall(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\", drawn(app.query_one(GraphicsVideoView)))
        keys = dict(pair.split("=") for pair in chunks[0][0].split(","))
        assert (keys["a"], keys["f"], keys["s"], keys["v"]) == ("T", "24", str(width), str(height))
        assert (keys["c"], keys["r"]) == ("80", "24")  # the frame fills the pane it was sized for
        assert [chunk_keys.endswith("m=1") for chunk_keys, _ in chunks] == [True] * (len(chunks) - 1) + [False]
        assert all(len(payload) <= KITTY_CHUNK for _, payload in chunks)
        assert base64.b64decode("".join(payload for _, payload in chunks)) == frame.rgb


async def test_kitty_picture_is_letterboxed_and_removed_under_a_dialog():
    app = Host("kitty")
    async with app.run_test(size=(80, 24)) as pilot:
        app.frame = gradient_frame(40, 10)  # 4:1 in an 800x480-pixel pane: full width, 10 rows
        await pilot.pause()
        view = app.query_one(GraphicsVideoView)
        escape_rows = [y for y in range(24) if "\x1b_Ga=T" in "".join(s.text for s in view.render_line(y))]
        assert escape_rows == [16]  # rows 7..16 hold the picture; pixels go with the last
        assert "c=80,r=10" in drawn(view)
        dialog = ModalScreen()
        await app.push_screen(dialog)
        await dialog.mount(Static("dialog"))
        await pilot.pause()
        assert "\x1b_Ga=T" not in drawn(view) and "\x1b_Ga=d,d=i" in drawn(view)
        app.pop_screen()
        await pilot.pause()
        assert "\x1b_Ga=T" in drawn(view)


def decode_sixel(sequence: str) -> tuple[int, int, list[list[int]]]:
    """(width, height, palette index per pixel) from a DCS sixel sequence, for checking."""
    body = re.fullmatch(r'\x1bP0;1;0q"1;1;(\d+);(\d+)(.*)\x1b\\', sequence, re.DOTALL)
    width, height, data = int(body[1]), int(body[2]), body[3]
    data = re.sub(r"#\d+;2;\d+;\d+;\d+", "", data)
    pixels = [[-1] * width for _ in range(math.ceil(height / 6) * 6)]
    for band, band_text in enumerate(data.split("-")):
        for colour_line in band_text.split("$"):
            colour, line = re.fullmatch(r"#(\d+)(.*)", colour_line).groups()
            line = re.sub(r"!(\d+)(.)", lambda run: run[2] * int(run[1]), line)
            for x, char in enumerate(line):
                for bit in range(6):
                    if (ord(char) - 63) >> bit & 1:
                        pixels[band * 6 + bit][x] = int(colour)
    return width, height, pixels[:height]


async def test_sixel_draws_every_pixel_in_its_cube_colour():
    app = Host("sixel")
    async with app.run_test(size=(32, 9)) as pilot:
        await wait_for(pilot, lambda: app.sizes, what="a first size request")
        width, height = app.sizes[0]
        assert (width, height) == (320, 180)  # 32x9 cells of 10x20 pixels: just the sixel budget
        frame = app.frame = gradient_frame(width, height)
        await pilot.pause()
        sequence = re.search(r"\x1bP.*?\x1b\\", drawn(app.query_one(GraphicsVideoView)), re.DOTALL)[0]
        decoded_width, decoded_height, pixels = decode_sixel(sequence)
        assert (decoded_width, decoded_height) == (width, height)
        indices = cube_indices(frame.rgb)
        assert [index for row in pixels for index in row] == list(indices)
        red, green, blue = frame.rgb[0], frame.rgb[1], frame.rgb[2]
        assert indices[0] == (red * 6 // 256) * 36 + (green * 6 // 256) * 6 + blue * 6 // 256


async def test_a_resize_asks_for_frames_of_the_new_size():
    app = Host("kitty")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.sizes, what="a first size request")
        await pilot.resize_terminal(40, 15)
        await wait_for(pilot, lambda: len(app.sizes) == 2, what="a size request after the resize")
        assert app.sizes[1] == (400, 300)  # 40x15 cells of 10x20 pixels, within the budget


async def test_it_stands_in_for_the_half_block_view():
    app = Host("sixel")
    async with app.run_test(size=(32, 9)) as pilot:
        await pilot.resize_terminal(40, 15)
        await wait_for(pilot, lambda: len(app.sizes) == 2, what="a size request after the resize")
        await pilot.pause(0.4)  # longer than the resize settling: no second request may follow
        assert len(app.sizes) == 2
        assert isinstance(app.query_one(VideoView), GraphicsVideoView)
        assert app.query_one(VideoView).styles.background.rgb == (0, 0, 0)
