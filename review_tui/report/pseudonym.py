"""Pseudonymisation of a whole Review before any format renders it.

Replacing names in the Review object, not in each format's output, means a format added
later is covered without a line of its own, and clips burn in the same pseudonymised text.

Names come from four places: the session's name list (``<session>.names.toml`` beside the
review, lines of ``"Real Name" = "Pseudonym"``), the reviewers (``Supervisor A``,
``Therapist B``...), the session details (therapist, supervisor, client) and the transcript's
speakers (``Speaker 1``...; a bare role label such as "Therapist" names no one and stays). Each name is also replaced when only one of its parts
is written ("Okafor" for "Dr. M. Okafor"), matched without regard to case and only as a whole
word, so "Sam" does not change "Samuel" unless "Samuel" is listed too.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from review_tui.model import ReviewTuiError
from review_tui.report.record import Review
from review_tui.store import SUFFIX as REVIEW_SUFFIX
from review_tui.text import one_line, visible

NAMES_SUFFIX = ".names.toml"
# Fields that hold identifiers, times or digests: never text a person wrote or a name.
_KEEP = frozenset(
    {
        "id", "code_id", "group_id", "key", "digit", "kind", "role", "created_at", "updated_at",
        "media_file", "media_fingerprint", "transcript_fingerprint", "dismissed", "strip",
        "speaker_id", "group", "version",
    }
)
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"})
_ROLE_LABELS = frozenset({"therapist", "counsellor", "counselor", "patient", "client", "supervisor"})
_LETTER = r"[^\W\d_]"


class NamesError(ReviewTuiError):
    """The session's name list cannot be read."""


def names_path_for(review_path: Path) -> Path:
    """``session.review.sqlite`` → ``session.names.toml`` beside it."""
    name = review_path.name
    stem = name[: -len(REVIEW_SUFFIX)] if name.endswith(REVIEW_SUFFIX) else review_path.stem
    return review_path.with_name(stem + NAMES_SUFFIX)


def load_names(path: Path) -> dict[str, str]:
    """The name list at ``path``; none there is an empty list, a broken one an error."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise NamesError(f"{visible(str(path))}: cannot read the name list: {one_line(str(err))}") from None
    names: dict[str, str] = {}
    for real, pseudonym in data.items():
        if not isinstance(pseudonym, str) or not one_line(pseudonym):
            raise NamesError(f"{visible(str(path))}: {one_line(real)!r} needs a pseudonym as text")
        if one_line(real):
            names[one_line(real)] = one_line(pseudonym)
    return names


def add_name(path: Path, real: str, pseudonym: str) -> dict[str, str]:
    """Add (or change) one entry of the name list at ``path``, written atomically and
    readable by its owner only; returns the list as it now is."""
    from review_tui.report.writer import write_report

    real, pseudonym = one_line(real), one_line(pseudonym)
    if not real or not pseudonym:
        raise NamesError(f"{visible(str(path))}: give a name and the pseudonym that replaces it")
    names = {name: stand_in for name, stand_in in load_names(path).items() if name.casefold() != real.casefold()}
    names[real] = pseudonym
    # JSON's string escapes are all valid in a TOML basic string.
    text = "".join(f"{json.dumps(name)} = {json.dumps(stand_in)}\n" for name, stand_in in names.items())
    write_report("# Names an export with --pseudonymise replaces: \"Real Name\" = \"Pseudonym\"\n" + text, path)
    return names


def parse_name_entry(text: str) -> tuple[str, str]:
    """``Daniel Brooks = Client D`` → ("Daniel Brooks", "Client D"); ValueError otherwise."""
    real, equals, pseudonym = text.partition("=")
    real, pseudonym = one_line(real).strip("\"'"), one_line(pseudonym).strip("\"'")
    if not equals or not real or not pseudonym:
        raise ValueError("write it as: Real Name = Pseudonym")
    return real, pseudonym


def pseudonyms_for(review: Review, listed: dict[str, str]) -> dict[str, str]:
    """Every real name in ``review`` mapped to its stand-in: the list first, then reviewers
    and speakers who are not on it."""
    mapping = dict(listed)
    known = {name.casefold() for name in mapping}
    per_role: dict[str, int] = {}
    for reviewer in review.report.reviewers:
        if reviewer.name.casefold() in known:
            continue
        count = per_role[reviewer.role] = per_role.get(reviewer.role, 0) + 1
        mapping[reviewer.name] = f"{reviewer.role.capitalize()} {chr(ord('A') + (count - 1) % 26)}"
        known.add(reviewer.name.casefold())
    details = getattr(review.report, "details", None)  # the session details, where kept
    for role, name in (("therapist", getattr(details, "therapist", None)), ("supervisor", getattr(details, "supervisor", None))):
        if name and name.casefold() not in known:
            count = per_role[role] = per_role.get(role, 0) + 1
            mapping[name] = f"{role.capitalize()} {chr(ord('A') + (count - 1) % 26)}"
            known.add(name.casefold())
    client = getattr(details, "client", None)
    if client and client.casefold() not in known:  # a pseudonym already, but one the clinic knows
        mapping[client] = "Client"
        known.add(client.casefold())
    lines = [*getattr(review.report, "transcript", ()), *(line for m in review.report.moments for line in m.lines)]
    speakers = [line.speaker for line in lines] + [share.label for share in review.report.talk]
    number = 0
    for speaker in dict.fromkeys(speaker for speaker in speakers if speaker):
        if speaker.casefold() in known or speaker.casefold() in _ROLE_LABELS:
            continue
        number += 1
        mapping[speaker] = f"Speaker {number}"
        known.add(speaker.casefold())
    return mapping


def pseudonymise(review: Review, mapping: dict[str, str]) -> Review:
    """``review`` with every name in ``mapping`` (and each part of it) replaced, in every
    text field of the Report and the record."""
    replace_names = name_replacer(mapping)
    return _walk(review, replace_names)


def name_replacer(mapping: dict[str, str]):
    """A function that replaces the names of ``mapping`` in a text, in one pass (a pseudonym
    is never itself replaced). A full name matches with any of space, dot, dash or underscore
    between its parts ("daniel-brooks-03"); then each part alone matches."""
    wanted: list[tuple[str, str]] = []  # (pattern, pseudonym), whole names first
    seen: set[str] = set()
    parts: list[tuple[str, str]] = []
    for real, pseudonym in mapping.items():
        words = [word for word in re.split(r"[\s._-]+", real) if word]
        if not words or real.casefold() in seen:
            continue
        seen.add(real.casefold())
        wanted.append((r"[\s._-]+".join(re.escape(word) for word in words), pseudonym))
        parts += [(word, pseudonym) for word in words if len(word) >= 3 and word.casefold() not in _TITLES]
    for word, pseudonym in parts:
        if word.casefold() not in seen:
            seen.add(word.casefold())
            wanted.append((re.escape(word), pseudonym))
    if not wanted:
        return lambda text: text
    wanted.sort(key=lambda item: len(item[0]), reverse=True)
    alternatives = "|".join(f"(?P<n{index}>{pattern})" for index, (pattern, _name) in enumerate(wanted))
    pattern = re.compile(f"(?<!{_LETTER})(?:{alternatives})(?!{_LETTER})", re.IGNORECASE)
    return lambda text: pattern.sub(lambda match: wanted[int(match.lastgroup[1:])][1], text)


def _walk(value: Any, change) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(_walk(item, change) for item in value)
    if isinstance(value, list):
        return [_walk(item, change) for item in value]
    if isinstance(value, dict):
        return {_walk(key, change): _walk(item, change) for key, item in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: _walk(getattr(value, field.name), change)
            for field in fields(value)
            if field.init and field.name not in _KEEP
        }
        return replace(value, **changes)
    return value
