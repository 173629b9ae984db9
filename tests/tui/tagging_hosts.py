"""Shared by the tagging widget and dialog tests: real review files made from the demo's
sample review, small host apps that mount a widget or push a dialog, and a message recorder."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label

from review_tui.model import Tag
from review_tui.store import ReviewStore

DEMO = Path(__file__).resolve().parents[2] / "examples" / "formulaic"
UNSET = object()  # a dialog's result before it is dismissed


def open_store(path: Path, codebook) -> ReviewStore:
    return ReviewStore.open(path, media_fingerprint=None, transcript_fingerprint=None, codebook=codebook)


def sample(*, links: bool = True) -> dict:
    """The demo's sample review as the JSON the CLI imports; without its links if asked."""
    data = json.loads((DEMO / "sample_review.json").read_text(encoding="utf-8"))
    if not links:
        data["links"] = []
    return data


def sample_review_file(folder: Path, codebook, *, links: bool = True) -> ReviewStore:
    store = open_store(folder / "review.sqlite", codebook)
    store.import_review(sample(links=links), source="sample_review.json")
    return store


def sample_review_fixture(name: str, *, links: bool = True):
    """A module-wide fixture called ``name``: the sample review in a review file of its own
    (assign it to ``name`` in the test module so pytest finds it)."""

    @pytest.fixture(scope="module", name=name)
    def review(tmp_path_factory, codebook):
        store = sample_review_file(tmp_path_factory.mktemp(name), codebook, links=links)
        yield store
        store.close()

    return review


def first(tags: Iterable[Tag], prefix: str) -> Tag:
    return next(tag for tag in tags if tag.code_id.startswith(prefix))


def lines(widget: Widget) -> list[str]:
    """What the widget draws, one string per line."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


class WidgetHost(App[None]):
    """Mounts the widgets given; ``setup`` hands them their data once they are mounted."""

    def __init__(self, *widgets: Widget, setup: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.widgets = widgets
        self.setup = setup

    def compose(self) -> ComposeResult:
        yield from self.widgets

    def on_mount(self) -> None:
        if self.setup:
            self.setup()


class ScreenHost(App[None]):
    """Pushes one dialog over a plain screen and keeps what it was dismissed with."""

    def __init__(self, make_screen: Callable[[], Screen]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.result: Any = UNSET
        self.dialog: Screen | None = None

    def compose(self) -> ComposeResult:
        yield Label("the player would be here")

    def on_mount(self) -> None:
        self.dialog = self.make_screen()
        self.push_screen(self.dialog, self._keep)

    def _keep(self, result: Any) -> None:
        self.result = result


class Recorder:
    """A message_hook: every message of the given kinds once, however far it bubbled."""

    def __init__(self, *kinds: type) -> None:
        self.kinds = kinds
        self.seen: dict[int, Any] = {}

    def __call__(self, message) -> None:
        if isinstance(message, self.kinds):
            self.seen.setdefault(id(message), message)

    def of(self, kind: type) -> list:
        return [message for message in self.seen.values() if isinstance(message, kind)]
