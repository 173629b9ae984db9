"""Read a codebook from TOML, or from the dict snapshot kept in a review file, and check it.

Every problem is a one-line :class:`CodebookError` that names the file and the place in it, so
a user editing their own codebook can find the mistake without a traceback.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

from review_tui.model import Code, Codebook, CodebookError, CodeGroup
from review_tui.text import one_line

DEFAULT_FILE = "default.toml"
# The default codebook's data as JSON, made from default.toml and kept equal to it by
# tests/test_codebook.py: reading the TOML was ~4.5 ms of every start, importing tomllib ~2 ms
# more, and json is loaded by then anyway. Regenerate it with:
#   python -c "import json, tomllib; print(json.dumps(tomllib.load(open('review_tui/codebook/default.toml', 'rb')), ensure_ascii=False, indent=1))" > review_tui/codebook/default.json
DEFAULT_DATA_FILE = "default.json"
# The order digits are handed out in, which is also the order of the keys on a keyboard.
DIGITS = "1234567890"
# Keys the player binds; a group key must not shadow them (shared/DOMAIN.md keeps the group
# letters free of every other binding, and this is the other side of that promise).
RESERVED_KEYS = frozenset(" ,.[]=blg/nNv?qioexjk")
FREE_GROUP_KEYS = "".join(sorted(set(string.ascii_lowercase) - RESERVED_KEYS))

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")

# (required, optional) fields of each kind of table.
_BOOK_FIELDS = ({"id", "version", "label", "groups"}, set())
_GROUP_FIELDS = ({"id", "key", "label", "codes"}, {"ranges", "rating", "role"})
# What a group is to rupture-repair episodes (analysis/episodes.py) and agreement: its markers
# open an episode ("rupture"), answer one ("response"), repair it ("repair"), show the alliance
# restored ("alliance"), or are comments on the session rather than codes of it ("note"),
# which agreement between raters leaves out.
GROUP_ROLES = ("rupture", "response", "repair", "alliance", "note")
_CODE_FIELDS = ({"id", "label"}, {"meaning", "digit"})


def _default_codebook_bytes() -> bytes:
    # Beside this module in every ordinary install; importlib.resources (~1.5 ms of imports
    # at every start) only for a package that does not live in plain files (a zip).
    beside = Path(__file__).with_name(DEFAULT_FILE)
    if beside.is_file():
        return beside.read_bytes()
    from importlib import resources

    return resources.files(__package__).joinpath(DEFAULT_FILE).read_bytes()


def _default_codebook_data() -> Any:
    try:
        return json.loads(Path(__file__).with_name(DEFAULT_DATA_FILE).read_bytes())
    except (OSError, ValueError):  # not beside the module (a zipped install): the TOML itself
        return _parse_toml(_default_codebook_bytes(), DEFAULT_FILE)


def load_codebook(path: Path | None = None) -> Codebook:
    """The codebook in ``path``, or the default one shipped with review_tui when None."""
    if path is None:
        return codebook_from_dict(_default_codebook_data(), DEFAULT_FILE)
    source = str(path)
    named = Path(path)
    if named.exists() and not (named.is_file() or named.is_dir()):  # a FIFO would block the read for ever
        raise CodebookError(f"{source}: cannot read: not a regular file (a named pipe or a device)")
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise CodebookError(f"{source}: cannot read: {err.strerror or err}") from None
    return codebook_from_dict(_parse_toml(raw, source), source)


def _parse_toml(raw: bytes, source: str) -> Any:
    import tomllib

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CodebookError(f"{source}: not UTF-8 text (byte {err.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CodebookError(f"{source}: not valid TOML: {err}") from None


def codebook_from_dict(data: Any, source: str) -> Codebook:
    """Check ``data`` (parsed TOML or a JSON snapshot) and build the Codebook; ``source``
    names where it came from in error messages."""
    _check_fields(data, _BOOK_FIELDS, "codebook", source)
    groups_data = data["groups"]
    if not isinstance(groups_data, list) or not groups_data:
        raise CodebookError(f"{source}: 'groups' must be a list of [[groups]] tables")
    groups = tuple(_group(item, number, source) for number, item in enumerate(groups_data, 1))
    _refuse_duplicates([group.id for group in groups], "group id", source)
    _refuse_duplicates([group.key for group in groups], "group key", source)
    _refuse_duplicates([code.id for group in groups for code in group.codes], "code id", source)
    return Codebook(
        id=_text(data["id"], "id", "codebook", source),
        version=_text(data["version"], "version", "codebook", source, numbers=True),
        label=_text(data["label"], "label", "codebook", source),
        groups=groups,
    )


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The plain-data form that :func:`codebook_from_dict` reads back into an equal Codebook."""
    groups = []
    for group in codebook.groups:
        entry: dict[str, Any] = {"id": group.id, "key": group.key, "label": group.label}
        entry["ranges"] = group.ranges
        if group.rating is not None:
            entry["rating"] = group.rating
        if group.role is not None:
            entry["role"] = group.role
        entry["codes"] = [
            {"id": code.id, "label": code.label, "meaning": code.meaning, "digit": code.digit}
            for code in group.codes
        ]
        groups.append(entry)
    return {
        "id": codebook.id,
        "version": codebook.version,
        "label": codebook.label,
        "groups": groups,
    }


def _group(data: Any, number: int, source: str) -> CodeGroup:
    named = isinstance(data, dict) and isinstance(data.get("id"), str)
    where = f"group {data['id']!r}" if named else f"group {number}"
    _check_fields(data, _GROUP_FIELDS, where, source)
    group_id = _text(data["id"], "id", where, source)
    if not _NAME.match(group_id):
        raise CodebookError(f"{source}: {where}: id must be lowercase letters, digits and _")
    key = data["key"]
    if not (isinstance(key, str) and len(key) == 1 and key in string.ascii_lowercase):
        raise CodebookError(f"{source}: {where}: key {key!r} must be a single lowercase letter")
    if key in RESERVED_KEYS:
        raise CodebookError(
            f"{source}: {where}: key {key!r} is a player key; choose one of {FREE_GROUP_KEYS}"
        )
    ranges = data.get("ranges", False)
    if not isinstance(ranges, bool):
        raise CodebookError(f"{source}: {where}: 'ranges' must be true or false")
    rating = data.get("rating")
    role = data.get("role")
    if role is not None and role not in GROUP_ROLES:
        raise CodebookError(
            f"{source}: {where}: role {role!r} is not one of {', '.join(GROUP_ROLES)}"
        )
    codes_data = data["codes"]
    if not isinstance(codes_data, list) or not codes_data:
        raise CodebookError(f"{source}: {where}: 'codes' must be a list of [[groups.codes]] tables")
    if len(codes_data) > len(DIGITS):
        raise CodebookError(
            f"{source}: {where}: {len(codes_data)} codes, but at most {len(DIGITS)} fit the "
            "digits 1-9 and 0"
        )
    drafts = [_code_draft(item, group_id, n, source) for n, item in enumerate(codes_data, 1)]
    digits = _assign_digits(drafts, where, source)
    codes = tuple(
        Code(id=code_id, group=group_id, label=label, meaning=meaning, digit=digit)
        for (code_id, label, meaning, _), digit in zip(drafts, digits)
    )
    return CodeGroup(
        id=group_id,
        key=key,
        label=_text(data["label"], "label", where, source),
        codes=codes,
        ranges=ranges,
        rating=None if rating is None else _text(rating, "rating", where, source),
        role=role,
    )


def _code_draft(
    data: Any, group_id: str, number: int, source: str
) -> tuple[str, str, str, str | None]:
    """(id, label, meaning, digit or None) of one code; a bare id gets its group prefixed."""
    where = f"group {group_id!r} code {number}"
    _check_fields(data, _CODE_FIELDS, where, source)
    code_id = _text(data["id"], "id", where, source)
    if "." not in code_id:
        code_id = f"{group_id}.{code_id}"
    where = f"code {code_id!r}"
    prefix, _, name = code_id.partition(".")
    if prefix != group_id:
        raise CodebookError(f"{source}: {where}: sits in group {group_id!r} but its id does not")
    if not _NAME.match(name):
        raise CodebookError(
            f"{source}: {where}: id must be {group_id}.name, the name in lowercase letters, "
            "digits and _"
        )
    label = _text(data["label"], "label", where, source)
    meaning = data.get("meaning", "")
    if not isinstance(meaning, str) or "\n" in meaning.strip():
        raise CodebookError(f"{source}: {where}: 'meaning' must be one line of text")
    meaning = one_line(meaning)  # shown in the picker and quoted in reports: no control bytes
    digit = data.get("digit")
    if digit is not None:
        digit = str(digit) if isinstance(digit, (str, int)) and not isinstance(digit, bool) else ""
        if len(digit) != 1 or digit not in DIGITS:
            raise CodebookError(f"{source}: {where}: digit must be one of 1-9 or 0")
    return code_id, label, meaning, digit


def _assign_digits(
    drafts: list[tuple[str, str, str, str | None]], where: str, source: str
) -> list[str]:
    """The given digits, checked for clashes; codes without one get the first free digits."""
    taken: dict[str, str] = {}
    for code_id, _, _, digit in drafts:
        if digit is None:
            continue
        if digit in taken:
            raise CodebookError(
                f"{source}: {where}: digit {digit} is used by both {taken[digit]!r} and {code_id!r}"
            )
        taken[digit] = code_id
    free = iter(digit for digit in DIGITS if digit not in taken)
    return [digit if digit is not None else next(free) for _, _, _, digit in drafts]


def field_problem(data: Any, fields: tuple[set[str], set[str]]) -> str | None:
    """What is wrong with the names in a table of (required, optional) fields, or None."""
    if not isinstance(data, dict):
        return f"expected a table of fields, found {type(data).__name__}"
    required, optional = fields
    for what, names in (
        ("unknown", sorted(set(data) - required - optional)),
        ("missing", sorted(required - set(data))),
    ):
        if names:
            listed = ", ".join(repr(name) for name in names)
            return f"{what} field{'s' * (len(names) > 1)} {listed}"
    return None


def _check_fields(data: Any, fields: tuple[set[str], set[str]], where: str, source: str) -> None:
    problem = field_problem(data, fields)
    if problem is not None:
        raise CodebookError(f"{source}: {where}: {problem}")


def _text(value: Any, field: str, where: str, source: str, *, numbers: bool = False) -> str:
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or "\n" in value or not one_line(value):
        raise CodebookError(f"{source}: {where}: {field!r} must be one line of text")
    # A codebook is someone else's file: an escape sequence in a label would reach the terminal
    # from the picker, the tag list and `review-tui codebook`. Text enters the model clean.
    return one_line(value)


def _refuse_duplicates(values: list[str], what: str, source: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise CodebookError(f"{source}: {what} {value!r} is used twice")
        seen.add(value)
