"""The [keymap] check: unreadable keys and keys that would take over a code group's key are
refused and said at start-up; the rest is applied (issue 7, item 9)."""

from __future__ import annotations

import pytest

from review_tui.codebook import load_codebook
from review_tui.config import Config
from review_tui.tui.keymap_check import checked_keymap, key_problem
from review_tui.tui.screens.code_picker import CodePicker
from tests.tui.conftest import notices, wait_for

CODEBOOK = load_codebook()
GROUP_KEY = CODEBOOK.groups[0].key  # "w" in the default codebook


@pytest.mark.parametrize("key", ["p", "P", "space", "ctrl+p", "shift+left", "f5", "question_mark", "full_stop", "?"])
def test_keys_textual_reads_are_accepted(key):
    assert key_problem(key) is None


@pytest.mark.parametrize("key", ["spaec", "ctrl+", "control+p", "F-5", "play pause"])
def test_keys_textual_cannot_read_are_named(key):
    assert key_problem(key) is not None


def test_a_readable_free_key_is_applied():
    applied, problems = checked_keymap({"play.toggle": "space,m"}, CODEBOOK)
    assert applied == {"play.toggle": "space,m"} and problems == []


def test_taking_a_group_key_or_an_unreadable_key_is_refused_and_said():
    keymap = {"play.toggle": GROUP_KEY, "replay": "ctrl+spaec", "goto": "h", "no.such-id": "z"}
    applied, problems = checked_keymap(keymap, CODEBOOK)
    assert applied == {"goto": "h", "no.such-id": "z"}
    text = "\n".join(problems)
    assert f"play.toggle: '{GROUP_KEY}' is a code group's key" in text
    assert "replay: 'ctrl+spaec' is not a key name" in text
    assert "names no binding: no.such-id" in text


def test_a_group_may_be_moved_to_a_free_key_of_its_own():
    group = CODEBOOK.groups[0]
    applied, problems = checked_keymap({f"tag-group-{group.id}": "h"}, CODEBOOK)
    assert applied == {f"tag-group-{group.id}": "h"} and problems == []
    _, problems = checked_keymap({f"tag-group-{group.id}": CODEBOOK.groups[1].key}, CODEBOOK)
    assert problems  # onto another group's key: refused


async def test_the_app_warns_and_the_group_key_still_opens_its_codes(open_app, transcript_only):
    app = open_app(transcript_only, config=Config(audio="null", keymap={"play.toggle": GROUP_KEY}))
    app.reviewer = app.store.reviewer("Ann Lee", "supervisor")
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: any("code group's key" in notice for notice in notices(app)), what="the warning")
        await pilot.press(GROUP_KEY)
        await wait_for(pilot, lambda: isinstance(app.screen, CodePicker), what="the code picker")


def test_the_readme_keymap_example_names_a_binding_and_applies_cleanly(tmp_path, monkeypatch):
    import re
    from pathlib import Path

    from review_tui.config import load_config

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `[keymap]`"))
    example = re.search(r"e\.g\. `([^`]+)`", row).group(1)
    config_file = tmp_path / "config.toml"
    config_file.write_text(f"[keymap]\n{example}\n", encoding="utf-8")
    keymap = load_config(config_file).keymap
    applied, problems = checked_keymap(keymap, CODEBOOK)
    assert problems == [] and applied == keymap and keymap
