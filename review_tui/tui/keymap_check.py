"""The user's [keymap] checked before it is applied: ids that name no binding, keys Textual
cannot read, and keys that would take over a codebook group key.

A key Textual cannot parse is never matched, so the binding silently stops answering; a key
given to a playback binding that is also a group's key makes one of the two unreachable. Both
are refused (left out of the keymap applied) and said once at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.keys import Keys, _character_to_key, key_to_character

from review_tui.model import Codebook
from review_tui.tui.bindings import group_bindings, unknown_ids

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(key.value for key in Keys if "+" not in key.value)


def key_problem(key: str) -> str | None:
    """Why Textual would never match ``key`` ("ctrl+q", "space", "question_mark"), or None."""
    *modifiers, base = key.split("+")
    unknown = [modifier for modifier in modifiers if modifier not in MODIFIERS]
    if unknown:
        return f"{key!r}: {unknown[0]!r} is not a modifier (use {', '.join(sorted(MODIFIERS))})"
    if len(base) == 1 and base.isprintable() and not base.isspace():
        return None
    if base in _NAMED_KEYS or key_to_character(base) is not None:
        return None
    return f"{key!r} is not a key name (e.g. \"p\", \"space\", \"ctrl+p\", \"f5\", \"question_mark\")"


def checked_keymap(keymap: Mapping[str, str], codebook: Codebook | None) -> tuple[dict[str, str], list[str]]:
    """(the keymap to apply, one line per problem). Unknown ids are kept (they do no harm);
    an entry with an unreadable key or a key that belongs to a code group is left out whole,
    so the binding keeps its own key."""
    problems = []
    unknown = unknown_ids(keymap, codebook)
    if unknown:
        problems.append(f"names no binding: {', '.join(unknown)}")
    group_keys = {binding.key: binding.id for binding in group_bindings(codebook)} if codebook else {}
    applied: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        listed = [key.strip() for key in keys.split(",")]
        wrong = next((problem for key in listed if (problem := key_problem(key)) is not None), None)
        if not all(listed):
            wrong = f"{keys!r} has an empty key"
        if wrong is not None:
            problems.append(f"{binding_id}: {wrong}; its usual key is kept")
            continue
        taken = [
            key for key in listed
            if _character_to_key(key) in group_keys and group_keys[_character_to_key(key)] != binding_id
        ]
        if taken:
            problems.append(
                f"{binding_id}: {', '.join(map(repr, taken))} is a code group's key in this codebook; "
                "its usual key is kept"
            )
            continue
        applied[binding_id] = keys
    return applied, problems
