"""The command palette (Ctrl+P): everything a key does, plus a few things no key does."""
# Two providers: playback (fixed) and tagging (from the review's codebook and reviewers).

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from review_tui.tui.bindings import (
    APP_BINDINGS,
    SPEED_STEPS,
    TAGGING_BINDINGS,
    active_keys,
    group_bindings,
)


@dataclass(frozen=True, slots=True)
class Command:
    """One entry of the command palette."""

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


def tagging_commands(keymap: dict[str, str], codebook=None, reviewers=()) -> list[Command]:
    bindings = TAGGING_BINDINGS + (group_bindings(codebook) if codebook is not None else [])
    commands = [
        Command(
            f"Tag: {binding.description}" if binding.id.startswith("tag-group-") else binding.description,
            binding.action,
            f"key: {', '.join(active_keys(binding, keymap))}",
        )
        for binding in bindings
    ]
    commands.append(Command("Export the report as…", "export_as", "write the Markdown report to a file you name"))
    commands.append(Command("Reconcile between…", "reconcile_between", "choose the two reviewers of a reconcile pass"))
    commands += [
        Command(f"Show tags by {reviewer.name} ({reviewer.role})", f"filter_reviewer({reviewer.id})", "filter the tag list")
        for reviewer in reviewers
    ]
    commands.append(Command("Show every reviewer's tags", "filter_reviewer(None)", "clear the reviewer filter"))
    return commands


class PaletteProvider(Provider):
    def _commands(self) -> list[Command]:
        raise NotImplementedError

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


class PlaybackCommands(PaletteProvider):
    def _commands(self) -> list[Command]:
        return playback_commands(getattr(self.app, "keymap", {}))


class TaggingCommands(PaletteProvider):
    def _commands(self) -> list[Command]:
        app = self.app
        store = getattr(app, "store", None)
        reviewers = store.reviewers() if store is not None else []
        return tagging_commands(getattr(app, "keymap", {}), getattr(app, "codebook", None), reviewers)
