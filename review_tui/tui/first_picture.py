"""The video pane's size before the app has laid anything out, so the first frame can be
decoded while Python is still importing the UI and Textual is still starting.

Without a guess the first decode waits for the first layout (the pane asks for frames of its
size on its first resize), and the whole ffmpeg start and decode then lies between the first
screen and the first picture. The guess repeats the arithmetic of app.tcss for the default
screen: the picture beside the transcript (3fr of 5) on wide terminals and above it (3fr of 5
of the height) on narrow ones, a round border around it, and the transport (timeline, seek
bar, status row) and footer below. tests/tui/test_startup_layout.py holds it to the layout
Textual really makes. A wrong guess costs one decode thrown away, never a wrong picture: the
pane still asks for its real size and the player decodes again if that differs.
"""

from __future__ import annotations

import shutil

from review_tui.tui.graphics import choose_video_mode

NARROW_BELOW = 120  # columns: below this the transcript goes under the picture
SHORT_BELOW = 36  # rows: below this the timeline and the tag list wait for T to be shown
BORDER = 2  # the round border of #media: one cell each side
FOOTER_ROWS = 1
SEEK_AND_STATUS_ROWS = 2  # #seekbar and #status-row
MEDIA_FR, SIDE_FR = 3, 2  # #media and #side


def timeline_rows(groups: int) -> int:
    """The timeline's height: one row per code group, the suggestions row and the axis."""
    return groups + 2


def video_box(columns: int, rows: int, groups: int) -> tuple[int, int] | None:
    """The pixel box (cells wide x two per cell high) the video pane asks for on a
    ``columns`` x ``rows`` terminal, with ``groups`` code groups on the timeline; None when
    the terminal is too small to guess."""
    short = rows < SHORT_BELOW
    transport = SEEK_AND_STATUS_ROWS + (0 if short else timeline_rows(groups))
    main_rows = rows - transport - FOOTER_ROWS
    if columns < NARROW_BELOW:  # stacked: the picture over the transcript
        width = columns - BORDER
        height = main_rows * MEDIA_FR // (MEDIA_FR + SIDE_FR) - BORDER
    else:  # side by side
        width = columns * MEDIA_FR // (MEDIA_FR + SIDE_FR) - BORDER
        height = main_rows - BORDER
    if width <= 0 or height <= 0:
        return None
    return width, 2 * height


def terminal_video_box(groups: int) -> tuple[int, int] | None:
    """The guess for the terminal this process runs in (the size Textual will read)."""
    columns, rows = shutil.get_terminal_size()
    return video_box(columns, rows, groups)


def ask_for_first_picture(player, codebook, video_setting: str, env) -> tuple[int, int] | None:
    """Give the player the guessed pane size now, so that it starts decoding the first frame
    at once. Only for half blocks: a graphics protocol's pane is measured in the terminal's
    pixels, which only the running app knows. Returns the box asked for, if any."""
    if choose_video_mode(video_setting, env)[0] != "halfblock":
        return None
    box = terminal_video_box(len(codebook.groups))
    if box is not None:
        player.set_video_size(*box)
    return box
