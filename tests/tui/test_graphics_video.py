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
    KITTY_IMAGE_ID,
    choose_video_mode,
    cube_indices,
    graphics_support,
    query_device_attributes,
    sixel_escape,
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
        assert "\x1b_G" not in drawn(view)  # the rows carry nothing; the delete went on its own
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
            colour_index = int(colour)
            for x, char in enumerate(line):
                bits = ord(char) - 63
                if not bits:  # "?": no pixel of this colour in the column, the common case
                    continue
                for bit in range(6):
                    if bits >> bit & 1:
                        pixels[band * 6 + bit][x] = colour_index
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
        assert indices[0] == round(red / 51) * 36 + round(green / 51) * 6 + round(blue / 51)


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


# --- what reaches the terminal: the whole screen as Textual's compositor writes it --------

ESCAPE_STARTS = ("\x1bP", "\x1b_G")  # a sixel (DCS) or a kitty graphics (APC) sequence


def terminal_output(app: App) -> str:
    """The bytes a full repaint of the screen sends, dialogs and the screens under them included."""
    import io

    from rich.console import Console

    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), force_terminal=True, color_system="truecolor", legacy_windows=False)
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return update.render_segments(console)


def graphics_escapes(output: str) -> list[str]:
    """Every graphics escape in ``output``; each must end where the protocol says it ends."""
    found = []
    for start in re.finditer(r"\x1b(P|_G)", output):
        end = output.find("\x1b\\", start.start())
        assert end != -1, f"a graphics escape cut short: {output[start.start():start.start() + 40]!r}"
        found.append(output[start.start() : end + 2])
    return found


def visible_rows(output: str) -> list[str]:
    """The screen's text as the user sees it: escapes of every kind taken out, row by row."""
    plain = re.sub(r"\x1bP.*?\x1b\\|\x1b_G.*?\x1b\\", "", output, flags=re.DOTALL)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "\n", plain)
    return [row for row in plain.split("\n") if row]


class Dialog(ModalScreen):
    DEFAULT_CSS = "Dialog { align: center middle; } Dialog Static { width: 30; height: 5; border: solid white; }"

    def compose(self) -> ComposeResult:
        yield Static("dialog text", id="dialog")


@pytest.mark.parametrize("protocol", ["kitty", "sixel"])
async def test_a_dialog_hides_the_picture_and_closing_it_brings_the_picture_back_whole(protocol, monkeypatch):
    from textual.drivers.headless_driver import HeadlessDriver

    sent_directly: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "write", lambda _driver, data: sent_directly.append(data))
    app = Host(protocol)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: app.sizes, what="a first size request")
        app.frame = gradient_frame(*app.sizes[-1])
        await pilot.pause()
        before = graphics_escapes(terminal_output(app))
        pictures = [escape for escape in before if "a=T" in escape or escape.startswith("\x1bP")]
        assert len(pictures) == 1 and all(escape.startswith(ESCAPE_STARTS) for escape in before)
        await app.push_screen(Dialog())
        await pilot.pause()
        under_dialog = terminal_output(app)
        assert graphics_escapes(under_dialog) == []  # no escape at all under the dialog
        graphics_sent = [data for data in sent_directly if data.startswith(ESCAPE_STARTS)]
        if protocol == "kitty":  # kitty's floating picture is deleted, whole, once
            assert graphics_sent == ["\x1b_Ga=d,d=i,i=%d,q=2\x1b\\" % KITTY_IMAGE_ID]
        else:
            assert graphics_sent == []
        # The dialog's rows are where the layout says: its text is not pushed right by escapes.
        dialog_rows = [row for row in visible_rows(under_dialog) if "dialog text" in row]
        assert dialog_rows and all(row.index("dialog text") < 40 for row in dialog_rows)
        app.pop_screen()
        await pilot.pause()
        assert graphics_escapes(terminal_output(app)) == before


async def test_the_cells_under_a_sixel_picture_are_painted_not_skipped():
    """A dialog's letters left under the picture are painted over when the screen comes back."""
    app = Host("sixel")
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: app.sizes, what="a first size request")
        app.frame = gradient_frame(*app.sizes[-1])
        await pilot.pause()
        output = terminal_output(app)
        assert not re.search(r"\x1b\[\d+C", output)  # no cursor jump over cells
        view = app.query_one(GraphicsVideoView)
        for y in range(view.content_size.height):
            assert view.render_line(y).cell_length == view.content_size.width


async def test_a_sixel_picture_fills_the_pane():
    app = Host("sixel")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.sizes, what="a first size request")
        width, height = app.sizes[-1]
        assert width * height <= MAX_FRAME_PIXELS["sixel"]
        app.frame = gradient_frame(width, height)
        await pilot.pause()
        view = app.query_one(GraphicsVideoView)
        picture = view.footprint
        # 1600x900 pixels of pane; the picture covers (nearly) all of it, not a 1:1 corner.
        assert picture.width >= 0.95 * view.content_size.width
        assert picture.height >= 0.95 * view.content_size.height
        sequence = graphics_escapes(terminal_output(app))[0]
        drawn_width, drawn_height, _ = decode_sixel(sequence)
        assert drawn_width >= 0.95 * 1600 and drawn_height >= 0.95 * 900


def test_a_scaled_sixel_repeats_each_pixel_into_a_square():
    frame = gradient_frame(8, 7)
    small_width, small_height, small = decode_sixel(sixel_escape(frame.rgb, 8, 7))
    width, height, big = decode_sixel(sixel_escape(frame.rgb, 8, 7, scale=3))
    assert (width, height) == (24, 21)
    assert all(big[y][x] == small[y // 3][x // 3] for y in range(height) for x in range(width))


def test_dark_greys_keep_a_grey_not_black():
    dark_grey = bytes([40, 40, 40])
    index = cube_indices(dark_grey)[0]
    assert index == 1 * 36 + 1 * 6 + 1  # level 1 of 6 (51, 51, 51), the nearest to 40


def test_device_attributes_are_read_from_the_terminal_and_sixel_is_recognised():
    import os
    import threading

    main, child = os.openpty()
    try:
        def answer() -> None:
            asked = os.read(main, 16)
            if asked == b"\x1b[c":
                os.write(main, b"\x1b[?63;1;2;4;6;9;15;22c")

        responder = threading.Thread(target=answer)
        responder.start()
        attributes = query_device_attributes(child, timeout_s=2)
        responder.join()
    finally:
        os.close(main)
        os.close(child)
    assert attributes == (63, 1, 2, 4, 6, 9, 15, 22)
    # xterm started as a VT340: known only by its answer, not by TERM.
    assert graphics_support({"TERM": "xterm"}, attributes) == {"sixel"}
    assert choose_video_mode("sixel", {"TERM": "xterm"}, attributes) == ("sixel", None)


def test_a_terminal_that_does_not_answer_costs_the_timeout_and_nothing_else():
    import os

    main, child = os.openpty()
    try:
        assert query_device_attributes(child, timeout_s=0.1) is None
    finally:
        os.close(main)
        os.close(child)
    assert graphics_support({"TERM": "xterm"}, None) == set()
