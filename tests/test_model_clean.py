"""Outside text enters the model clean: whatever a transcript, a review file or a codebook
holds, no control character or bidi override survives into a Cue, Speaker, Reviewer or Tag,
and nothing the CLI prints carries one (issue 7, item 1)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from review_tui.console import safe_for_terminal
from review_tui.model import Cue, Reviewer, Speaker, Tag
from review_tui.text import BIDI_CONTROLS, has_controls

# Text weighted towards what attacks a terminal: escapes, C1 controls, bidi overrides.
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(["\x1b", "\x07", "\x9b", "\x9d", "\r", "\n", "\t", "[", "]", ";", "2J", "0;", "\x1b\\"]),
        st.sampled_from([chr(code) for code in sorted(BIDI_CONTROLS)]),
        st.characters(),
    ),
    max_size=40,
).map("".join)


@given(hostile_text, hostile_text, hostile_text)
def test_model_text_holds_no_control_character(text, name, note):
    assert not has_controls(Cue(0, 0, 1, text).text)
    assert not has_controls(Speaker("id", name).label) and "\n" not in Speaker("id", name).label
    reviewer = Reviewer(1, name, "rater")
    assert not has_controls(reviewer.name) and "\n" not in reviewer.name
    tag = Tag(1, 0, None, name, None, note, 1, "t", "t")
    assert not has_controls(tag.note) and not has_controls(tag.code_id)


@given(hostile_text)
def test_printed_text_holds_no_control_but_its_lines_and_tabs(text):
    printed = safe_for_terminal(text)
    assert not any(
        (ord(char) < 0x20 and char not in "\t\n") or 0x7F <= ord(char) <= 0x9F or ord(char) in BIDI_CONTROLS
        for char in printed
    )
