"""The command palette (Ctrl+P): everything a key does, plus a few things no key does."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from review_tui.tui.bindings import APP_BINDINGS, SPEED_STEPS, active_keys


@dataclass(frozen=True, slots=True)
class Command:
    title: str
    action: str
    help: str


def playback_commands(keymap: dict[str, str]) -> list[Command]:
    commands = [
        Command(binding.description, binding.action, f"key: {', '.join(active_keys(binding, keymap))}")
        for binding in APP_BINDINGS
        if binding.action != "quit"
    ]
    commands += [Command(f"Speed {step:g}×", f"set_speed({step})", "play at this speed") for step in SPEED_STEPS]
    commands += [
        Command("Go to the start", "seek_to(0)", "jump to 00:00"),
        Command("Go to the end", "seek_to_end", "jump to the last moment"),
    ]
    return commands


class PlaybackCommands(Provider):
    def _commands(self) -> list[Command]:
        return playback_commands(getattr(self.app, "keymap", {}))

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, partial(self.app.run_action, command.action), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    partial(self.app.run_action, command.action),
                    help=command.help,
                )
