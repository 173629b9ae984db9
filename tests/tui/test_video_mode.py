"""The config's video mode picks the pane: a graphics protocol only where the terminal has it."""

from review_tui.config import Config
from review_tui.tui.widgets.graphics_video import GraphicsVideoView
from review_tui.tui.widgets.video import VideoView
from tests.tui.conftest import notices


async def test_kitty_is_used_in_a_kitty_terminal(clip, open_app, monkeypatch):
    monkeypatch.setenv("KITTY_WINDOW_ID", "1")
    app = open_app(clip, config=Config(audio="null", video="kitty"))
    async with app.run_test():
        assert isinstance(app.query_one("#video"), GraphicsVideoView)
        assert app.video_mode == "kitty"


async def test_an_unsupported_protocol_falls_back_to_half_blocks_with_a_notice(clip, open_app, monkeypatch):
    for name in ("KITTY_WINDOW_ID", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    app = open_app(clip, config=Config(audio="null", video="sixel"))
    async with app.run_test():
        view = app.query_one("#video")
        assert type(view) is VideoView
        assert app.video_mode == "halfblock"
        assert any("sixel" in text for text in notices(app))
