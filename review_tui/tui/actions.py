"""Every feature's actions, gathered: the app installs each as ``action_<name>`` so Textual's
bindings and the palette reach it, while the features never see the app class."""

from __future__ import annotations

from collections.abc import Callable

from review_tui.tui.features import exporting, linking, playback, reviewers, searching, suggesting, tagging

MODULES = (playback, tagging, reviewers, linking, suggesting, exporting, searching)


def all_actions() -> dict[str, Callable]:
    actions: dict[str, Callable] = {}
    for module in MODULES:
        for name, function in module.ACTIONS.items():
            if name in actions:
                raise ValueError(f"two features define the action {name!r}")
            actions[name] = function
    return actions
