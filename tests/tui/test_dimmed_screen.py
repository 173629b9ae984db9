"""The screen under a dialog: drawn as Textual draws it, cheaply, and not on every change.

Over a playing picture Textual's own way of dimming the screen below a modal one took the
app from 20 % to 68 % of a core and halved the picture's rate (review_tui/tui/dimmed_screen.py).
"""

from __future__ import annotations

from time import monotonic

from rich.console import Console
from textual._context import visible_screen_stack
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.renderables.background_screen import BackgroundScreen
from textual.visual import RichVisual, Visual
from textual.widgets import Input, Label, Static

from review_tui.tui.dimmed_screen import DimmedScreen, Tints
from review_tui.tui.screens import dialog as dialog_module
from review_tui.tui.screens.dialog import Dialog
from tests.tui.conftest import wait_for

SIZE = (60, 16)
FRAMES = 30


class Ticker(Static):
    DEFAULT_CSS = "Ticker { height: 3; background: #203040; color: #e0c070; }"


class Plain(Dialog[None]):
    """A dialog of the app's kind, which counts how often the screen below is drawn again."""

    def __init__(self) -> None:
        super().__init__()
        self.drawn_below = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Pick a code", classes="dialog-title")

    def _draw_below(self) -> None:
        self.drawn_below += 1
        super()._draw_below()


class Below(App):
    CSS = "#links { color: #8080ff; background: #101418; }"

    def compose(self) -> ComposeResult:
        yield Ticker("frame 0", id="ticker")
        # Bold, a link and click meta: Textual drops the meta and links under a dialog.
        yield Static('[b]Bold[/b] [link="https://example.org"]a link[/link] [@click=app.bell()]click[/]', id="links")
        yield Static("[#ff0000 on #00ff00]red on green[/] plain", id="colours")


def textual_background(dialog: Dialog, width: int, height: int):
    """The screen below as Textual 8 draws it: its BackgroundScreen through the Rich path."""
    below = dialog.app.screen_stack[-2]
    rendered = RichVisual(dialog, BackgroundScreen(below, dialog.styles.background))
    return Visual.to_strips(dialog, rendered, width, height, dialog.visual_style)


def ours(dialog: Dialog, width: int, height: int):
    # Textual names the screens below while it composes the top one; so does this.
    token = visible_screen_stack.set(list(dialog.app._background_screens))
    try:
        visual = dialog.render()
    finally:
        visible_screen_stack.reset(token)
    assert isinstance(visual, DimmedScreen)
    return Visual.to_strips(dialog, visual, width, height, dialog.visual_style)


def cells(strips) -> list[list[tuple[str, object]]]:
    return [[(char, segment.style) for segment in strip for char in segment.text] for strip in strips]


async def open_dialog(app: Below, pilot) -> Plain:
    dialog = Plain()
    app.push_screen(dialog)
    await wait_for(pilot, lambda: app.screen is dialog and dialog.is_mounted, what="the dialog")
    await pilot.pause()
    return dialog


async def test_the_screen_below_has_the_cells_and_codes_textual_would_draw():
    app = Below()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(app, pilot)
        width, height = SIZE
        expected, got = textual_background(dialog, width, height), ours(dialog, width, height)
        assert len(got) == len(expected) == height
        assert cells(got) == cells(expected)
        # The codes written up front (truecolor) are the ones Textual would work out.
        console = Console(color_system="truecolor", force_terminal=True, width=width)
        assert [line.render(console) for line in got] == [line.render(console) for line in expected]
        styles = {style for line in cells(got) for _, style in line}
        assert all(style.link is None and not style.meta for style in styles)
        assert any(style.bold for style in styles)


async def test_a_piece_nobody_redrew_is_not_tinted_again():
    app = Below()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(app, pilot)
        width, height = SIZE
        first = ours(dialog, width, height)
        again = ours(dialog, width, height)
        assert all(a is b for a, b in zip(first, again))  # nothing changed: the same lines
        app.query_one("#ticker", Ticker).update("frame 1")
        await pilot.pause()
        after = ours(dialog, width, height)
        ticker_rows = set(range(app.query_one("#ticker").region.y, app.query_one("#ticker").region.bottom))
        changed = {y for y, (a, b) in enumerate(zip(first, after)) if a is not b}
        assert changed and changed <= ticker_rows
        assert "frame 1" in "".join(after[y].text for y in changed)


async def test_a_stream_of_changes_below_is_drawn_at_most_eight_times_a_second_and_the_last_one_shows():
    app = Below()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_dialog(app, pilot)
        await pilot.pause(dialog_module.BELOW_REPAINT_S * 2)
        drawn_before = dialog.drawn_below
        ticker = app.query_one("#ticker", Ticker)
        started = monotonic()
        for frame in range(1, FRAMES + 1):  # a picture's frames, 100 a second
            ticker.update(f"frame {frame}")
            await pilot.pause(0.01)
        elapsed = monotonic() - started
        drawn = dialog.drawn_below - drawn_before
        assert 1 <= drawn <= elapsed / dialog_module.BELOW_REPAINT_S + 2
        assert drawn < FRAMES
        await pilot.pause(dialog_module.BELOW_REPAINT_S * 2)
        # What the dialog last drew as its background (its render cache).
        screen_text = "\n".join(line.text for line in dialog._render_cache.lines)
        assert f"frame {FRAMES}" in screen_text


def test_tints_are_bounded_and_follow_the_dialogs_style():
    from rich.style import Style
    from textual.color import Color

    tints = Tints(Color(0, 0, 0, 0.6), limit=8)
    tints.restyle(Style(bgcolor="#000000"))
    for value in range(20):
        tints.of(Style(color=f"#{value:02x}0000", bgcolor="#ffffff"))
    assert len(tints.styles) <= 8
    assert tints.restyle(Style(bgcolor="#000000")) is False
    assert tints.restyle(Style(bgcolor="#111111")) is True and tints.styles == {}


async def test_a_dialog_over_a_dialog_shows_both_screens_below_it():
    app = Below()
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        top = await open_dialog(app, pilot)
        app.query_one("#ticker", Ticker).update("frame 7")  # the bottom screen changes
        await pilot.pause(dialog_module.BELOW_REPAINT_S * 2)
        drawn = "\n".join(line.text for line in top._render_cache.lines)
        assert "Pick a code" in drawn  # the dialog under it
        assert "red on green" in drawn  # and the screen under that one


async def test_a_dialog_over_the_app_looks_as_textual_would_draw_it(clip, open_app, monkeypatch):
    from textual.screen import ModalScreen

    from review_tui.tui.screens.reviewer_prompt import ReviewerPrompt

    app = open_app(clip)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.frame is not None, what="the first picture")
        await pilot.press("c")  # no reviewer named yet: a tag asks who is tagging first
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewerPrompt) and app.screen.is_mounted, what="the prompt")
        # The name field's cursor blinks every 0.5 s: two screenshots either side of a blink
        # would differ in that one cell whichever way the background was drawn.
        for field in app.screen.query(Input):
            field.cursor_blink = False

        async def screenshot() -> str:
            app.screen.refresh()  # the dialog's background drawn again, by whichever render
            await pilot.pause()
            return app.export_screenshot()

        ours_drawn = await screenshot()
        assert isinstance(app.screen._dimmed, DimmedScreen)
        textual_calls = []

        def textual_render(self):
            textual_calls.append(self)
            return ModalScreen.render(self)

        monkeypatch.setattr(Dialog, "render", textual_render)
        textual_drawn = await screenshot()
        assert textual_calls  # Textual's own path drew the second one
        assert ours_drawn == textual_drawn
