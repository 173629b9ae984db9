"""The codebook loader: the default codebook matches shared/DOMAIN.md, and every kind of
mistake in a user's codebook becomes one line naming the file and the place."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path

import pytest

from review_tui.codebook import (
    FREE_GROUP_KEYS,
    RESERVED_KEYS,
    codebook_from_dict,
    codebook_to_dict,
    load_codebook,
)
from review_tui.model import CodebookError

# The "Default codebook" table of shared/DOMAIN.md: group id, key, and the code labels in order.
DOMAIN_TABLE = {
    ("withdrawal", "w"): [
        "denial",
        "minimal response",
        "abstract talk",
        "storytelling / topic shift",
        "appeasing / deferential",
        "content-affect split",
        "self-criticism / hopelessness",
    ],
    ("confrontation", "c"): [
        "criticises therapist",
        "rejects an intervention",
        "objects to tasks or methods",
        "objects to the frame",
        "says therapy isn't working",
        "defends self against perceived criticism",
        "tries to control or pressure the therapist",
    ],
    ("repair", "r"): [
        "clears up a misunderstanding",
        "changes a task or goal",
        "explains the rationale",
        "invites talk about the interaction",
        "acknowledges own part",
        "shares own experience of the interaction",
        "links rupture to an in-session pattern",
        "links it to outside relationships",
        "validates the patient's self-protection",
        "redirects to the task",
    ],
    ("phase", "p"): [
        "inquiry",
        "pressure toward feeling",
        "clarifying defenses",
        "challenging defenses",
        "head-on collision / transference resistance",
        "breakthrough of feeling",
        "unlocking",
        "analysis of the transference",
        "recapitulation",
    ],
    ("defense", "d"): [
        "tactical defense",
        "isolation / intellectualisation",
        "repressive defense",
        "regressive defense",
        "projection",
        "detachment / defiance / compliance toward the therapist",
    ],
    ("anxiety", "a"): [
        "striated muscle",
        "smooth muscle",
        "cognitive-perceptual disruption",
        "motor conversion",
        "anxiety settles",
    ],
    ("feeling", "f"): [
        "anger / rage",
        "guilt about rage",
        "grief",
        "love / longing",
        "shame",
        "mixed feelings toward the therapist",
    ],
    ("alliance", "u"): [
        "spontaneous memory or image",
        "links therapist, current and past people",
        "sees own defense and its cost",
        "chooses to give up a defense",
        "takes the lead in the work",
        "kinder view of self or others",
    ],
    ("intervention", "t"): [
        "question",
        "pressure toward feeling",
        "clarify a defense",
        "challenge a defense",
        "address transference resistance",
        "regulate anxiety",
        "recapitulate / link",
        "empathy / validation",
        "therapist moves away",
        "therapist moves against",
    ],
    ("supervision", "s"): [
        "strength",
        "missed opportunity",
        "alternative line",
        "therapist's reaction (countertransference)",
        "clip for deliberate practice",
        "question to discuss",
        "frame / safety / ethics",
        "culture / context",
    ],
}


@pytest.fixture(scope="module")
def default():
    return load_codebook()


def test_default_codebook_has_the_ten_groups_of_the_domain(default):
    assert [(group.id, group.key) for group in default.groups] == list(DOMAIN_TABLE)
    assert default.id and default.version and default.label


@pytest.mark.parametrize(("group_id", "key"), list(DOMAIN_TABLE))
def test_default_codebook_has_every_code_of_the_domain_in_order(default, group_id, key):
    group = default.group(group_id)
    assert [code.label.lower() for code in group.codes] == DOMAIN_TABLE[(group_id, key)]
    assert [code.digit for code in group.codes] == list("1234567890"[: len(group.codes)])
    for code in group.codes:
        assert code.id.startswith(f"{group_id}.") and code.group == group_id
        assert code.meaning.endswith(".") and 20 < len(code.meaning) < 110, code.id
        assert default.by_hotkey(key, code.digit) == code


def test_default_codebook_marks_ranges_and_rating_meanings(default):
    assert [group.id for group in default.groups if group.ranges] == ["phase"]
    ratings = {group.id: group.rating for group in default.groups if group.rating}
    assert ratings == {
        "withdrawal": "significance",
        "confrontation": "significance",
        "repair": "degree of resolution",
        "anxiety": "intensity",
        "feeling": "intensity",
    }
    assert default.code("confrontation.criticises_therapist").label == "Criticises therapist"


def test_round_trip_through_dict_and_json(default):
    as_dict = codebook_to_dict(default)
    assert codebook_from_dict(as_dict, "snapshot") == default
    assert codebook_from_dict(json.loads(json.dumps(as_dict)), "snapshot") == default


def test_the_shipped_json_of_the_default_codebook_is_its_toml(default):
    """default.json is what starts read (no TOML parse); default.toml is what people read and
    copy. Edited one without the other, this fails: regenerate the JSON as codebook/loader.py says."""
    folder = Path(load_codebook.__code__.co_filename).parent
    assert json.loads((folder / "default.json").read_bytes()) == tomllib.loads((folder / "default.toml").read_text("utf-8"))
    assert codebook_from_dict(tomllib.loads((folder / "default.toml").read_text("utf-8")), "default.toml") == default


def test_without_its_json_the_default_codebook_is_read_from_the_toml(default, monkeypatch):
    from review_tui.codebook import loader

    monkeypatch.setattr(loader, "DEFAULT_DATA_FILE", "missing.json")
    assert load_codebook() == default


def test_group_keys_of_the_default_avoid_every_player_key(default):
    assert not {group.key for group in default.groups} & RESERVED_KEYS
    assert set("wcrpdafuts") <= set(FREE_GROUP_KEYS)


# --- a user's own codebook ------------------------------------------------------

SMALL = """\
id = "mine"
version = 3
label = "My codebook"

[[groups]]
id = "marker"
key = "m"
label = "Marker"
rating = "weight"

[[groups.codes]]
id = "first"
label = "First"

[[groups.codes]]
id = "marker.second"
label = "Second"
meaning = "The second one."
digit = "1"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_small_codebook_fills_in_prefixes_digits_and_defaults(tmp_path):
    book = load_codebook(write(tmp_path, SMALL))
    assert (book.id, book.version, book.label) == ("mine", "3", "My codebook")
    group = book.group_for_key("m")
    assert [(code.id, code.digit, code.meaning) for code in group.codes] == [
        ("marker.first", "2", ""),
        ("marker.second", "1", "The second one."),
    ]
    assert group.ranges is False and group.rating == "weight"
    assert codebook_from_dict(codebook_to_dict(book), "again") == book


def small_dict() -> dict:
    return tomllib.loads(SMALL)


def fails(data: dict, *fragments: str) -> None:
    with pytest.raises(CodebookError) as caught:
        codebook_from_dict(data, "mine.toml")
    message = str(caught.value)
    assert message.startswith("mine.toml: ") and "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, SMALL.replace('label = "Second"', 'label = "Second'))
    line = SMALL.splitlines().index('label = "Second"') + 1
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not valid TOML") and f"line {line}," in message
    assert "\n" not in message


def test_missing_or_undecodable_file(tmp_path):
    with pytest.raises(CodebookError, match="cannot read"):
        load_codebook(tmp_path / "absent.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'label = "caf\xe9"\n')
    with pytest.raises(CodebookError, match="not UTF-8"):
        load_codebook(path)


def test_duplicate_code_ids():
    data = small_dict()
    data["groups"][0]["codes"][1]["id"] = "first"
    fails(data, "code id 'marker.first' is used twice")


def test_duplicate_group_keys_and_ids():
    data = small_dict()
    twin = copy.deepcopy(data["groups"][0])
    twin["id"] = "other"
    twin["codes"] = [{"id": "x", "label": "X"}]
    data["groups"].append(twin)
    fails(data, "group key 'm' is used twice")
    twin["key"] = "h"
    twin["id"] = "marker"
    fails(data, "group id 'marker' is used twice")


def test_duplicate_digits_in_a_group():
    data = small_dict()
    data["groups"][0]["codes"][0]["digit"] = 1
    fails(data, "group 'marker'", "digit 1 is used by both 'marker.first' and 'marker.second'")


def test_bad_digit():
    data = small_dict()
    data["groups"][0]["codes"][0]["digit"] = "12"
    fails(data, "code 'marker.first'", "digit must be one of 1-9 or 0")


def test_more_than_ten_codes_in_a_group():
    data = small_dict()
    data["groups"][0]["codes"] = [{"id": f"c{n}", "label": f"C{n}"} for n in range(11)]
    fails(data, "group 'marker'", "11 codes", "at most 10")


def test_ten_codes_get_all_ten_digits():
    data = small_dict()
    data["groups"][0]["codes"] = [{"id": f"c{n}", "label": f"C{n}"} for n in range(10)]
    book = codebook_from_dict(data, "mine.toml")
    assert "".join(code.digit for code in book.codes) == "1234567890"


@pytest.mark.parametrize(
    ("where", "field", "expected"),
    [
        ("book", "colour", "codebook: unknown field 'colour'"),
        ("group", "hotkey", "group 'marker': unknown field 'hotkey'"),
        ("code", "shortcut", "group 'marker' code 1: unknown field 'shortcut'"),
    ],
)
def test_unknown_fields_are_named(where, field, expected):
    data = small_dict()
    table = {"book": data, "group": data["groups"][0], "code": data["groups"][0]["codes"][0]}
    table[where][field] = "x"
    table[where]["zzz"] = "y"
    fails(data, expected.replace("field", "fields") + ", 'zzz'")


@pytest.mark.parametrize(
    ("where", "field", "expected"),
    [
        ("book", "version", "codebook: missing field 'version'"),
        ("group", "label", "group 'marker': missing field 'label'"),
        ("group", "id", "group 1: missing field 'id'"),
        ("code", "label", "group 'marker' code 1: missing field 'label'"),
    ],
)
def test_missing_required_fields_are_named(where, field, expected):
    data = small_dict()
    table = {"book": data, "group": data["groups"][0], "code": data["groups"][0]["codes"][0]}
    del table[where][field]
    fails(data, expected)


@pytest.mark.parametrize("key", ["M", "mm", "", "1", "é", 3])
def test_group_key_must_be_one_lowercase_letter(key):
    data = small_dict()
    data["groups"][0]["key"] = key
    fails(data, "group 'marker'", "must be a single lowercase letter")


@pytest.mark.parametrize("key", sorted(set("blgnvqioexjk")))
def test_group_key_must_not_be_a_player_key(key):
    data = small_dict()
    data["groups"][0]["key"] = key
    fails(data, f"key {key!r} is a player key", FREE_GROUP_KEYS)


def test_wrong_types_and_shapes():
    for change, fragment in [
        (lambda d: d.update(groups=[]), "'groups' must be a list"),
        (lambda d: d["groups"][0].update(codes={}), "'codes' must be a list"),
        (lambda d: d["groups"][0].update(ranges="yes"), "'ranges' must be true or false"),
        (lambda d: d["groups"][0].update(label=""), "'label' must be one line of text"),
        (lambda d: d["groups"][0]["codes"][1].update(meaning="a\nb"), "'meaning' must be one line"),
        (lambda d: d["groups"][0]["codes"].append("x"), "code 3: expected a table of fields"),
        (lambda d: d["groups"][0].update(id="My Group"), "id must be lowercase letters"),
        (lambda d: d["groups"][0]["codes"][0].update(id="other.x"), "its id does not"),
        (lambda d: d["groups"][0]["codes"][0].update(id="Big Name"), "id must be marker.name"),
    ]:
        data = small_dict()
        change(data)
        fails(data, fragment)


def test_group_roles_are_read_checked_and_kept_in_the_snapshot():
    from review_tui.codebook import codebook_from_dict, codebook_to_dict
    from review_tui.model import CodebookError

    book = load_codebook()
    roles = {group.id: group.role for group in book.groups if group.role}
    assert roles == {
        "withdrawal": "rupture",
        "confrontation": "rupture",
        "repair": "repair",
        "alliance": "alliance",
        "intervention": "response",
        "supervision": "note",
    }
    assert codebook_from_dict(codebook_to_dict(book), "snapshot") == book
    data = codebook_to_dict(book)
    data["groups"][0]["role"] = "villain"
    with pytest.raises(CodebookError, match=r"snapshot: group 'withdrawal': role 'villain' is not one of"):
        codebook_from_dict(data, "snapshot")


def test_a_fifo_codebook_is_refused_not_read(tmp_path):
    import os

    fifo = tmp_path / "book.toml"
    os.mkfifo(fifo)
    with pytest.raises(CodebookError, match="not a regular file"):
        load_codebook(fifo)  # reading would block for ever


def test_control_characters_in_labels_are_removed_on_load(tmp_path):
    book = tmp_path / "book.toml"
    book.write_text(
        'id = "b"\nversion = "1"\nlabel = "Book \\u001b]0;PWNED\\u0007x"\n'
        '[[groups]]\nid = "one"\nkey = "w"\nlabel = "Gr\\u001b[2Joup"\n'
        '[[groups.codes]]\nid = "first"\nlabel = "Co\\u202ede"\nmeaning = "Mean\\u009b2Jing"\n',
        encoding="utf-8",
    )
    codebook = load_codebook(book)
    code = codebook.groups[0].codes[0]
    assert (codebook.label, codebook.groups[0].label, code.label, code.meaning) == ("Book x", "Group", "Code", "Meaning")
