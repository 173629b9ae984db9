"""Arbitrary sequences of edits, undo and redo by two reviewers over two connections to one
real review file: nothing but a StoreError ever escapes, and the store's rules hold after
every step."""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import astuple
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review_tui.codebook import load_codebook
from review_tui.model import StoreError
from review_tui.store import LINK_KINDS, ReviewStore

CODEBOOK = load_codebook()
CODES = [code.id for code in CODEBOOK.codes][:6] + ["no.such_code"]

connection = st.integers(0, 1)
reviewer = st.integers(0, 1)
which_tag = st.integers(0, 40)  # an index into the tags there are; past the end: a missing tag
start = st.integers(-5, 600_000)
end = st.one_of(st.none(), st.integers(-5, 600_000))
rating = st.one_of(st.none(), st.integers(-1, 7))
note = st.text(max_size=12)
code = st.sampled_from(CODES)
changes = st.fixed_dictionaries(
    {},
    optional={"start_ms": start, "end_ms": end, "code_id": code, "rating": rating, "note": note},
)

operation = st.one_of(
    st.tuples(st.just("add"), connection, reviewer, start, end, code, rating, note),
    st.tuples(st.just("edit"), connection, reviewer, which_tag, changes, st.booleans()),
    st.tuples(st.just("delete"), connection, reviewer, which_tag),
    st.tuples(st.just("link"), connection, reviewer, which_tag, which_tag, st.sampled_from(LINK_KINDS)),
    st.tuples(st.just("undo"), connection, reviewer),
    st.tuples(st.just("redo"), connection, reviewer),
    st.tuples(st.just("undo_then_redo"), connection, reviewer),
)


def snapshot(store: ReviewStore) -> tuple:
    return tuple(astuple(tag) for tag in store.tags()), tuple(store.links())


def by_author(store: ReviewStore) -> dict[int, set[tuple]]:
    tags: dict[int, set[tuple]] = {}
    for tag in store.tags():
        tags.setdefault(tag.author_id, set()).add(astuple(tag))
    return tags


def check_invariants(store: ReviewStore, other: ReviewStore, reviewer_ids: set[int]) -> None:
    tags = store.tags()
    ids = {tag.id for tag in tags}
    for tag in tags:
        assert isinstance(tag.start_ms, int) and tag.start_ms >= 0
        assert tag.end_ms is None or tag.end_ms >= tag.start_ms
        assert CODEBOOK.code(tag.code_id) is not None
        assert tag.rating is None or 1 <= tag.rating <= 5
        assert isinstance(tag.note, str) and tag.author_id in reviewer_ids
    assert all(link.rupture_id in ids and link.tag_id in ids for link in store.links())
    assert snapshot(other) == snapshot(store)  # both connections see one file


def pick(store: ReviewStore, index: int) -> int:
    tags = store.tags()
    return tags[index].id if index < len(tags) else 10_000 + index


def run(stores: list[ReviewStore], authors: list, step: tuple, touched: dict[int, set[int]]) -> None:
    kind, which, who = step[:3]
    store, author = stores[which], authors[who]
    if kind == "add":
        _, _, _, start_ms, end_ms, code_id, stars, text = step
        made = store.add_tag(
            start_ms=start_ms, end_ms=end_ms, code_id=code_id, rating=stars, note=text, author=author
        )
        touched[author.id].add(made.id)
    elif kind == "edit":
        tag_id = pick(store, step[3])
        touched[author.id].add(tag_id)
        store.update_tag(tag_id, by=author, amend_add=step[5], **step[4])
    elif kind == "delete":
        tag_id = pick(store, step[3])
        touched[author.id].add(tag_id)
        store.delete_tag(tag_id, by=author)
    elif kind == "link":
        rupture, answer = pick(store, step[3]), pick(store, step[4])
        touched[author.id].update((rupture, answer))
        store.link(rupture, answer, step[5], by=author)
    else:
        others = {
            author_id: tags
            for author_id, tags in by_author(store).items()
            if author_id != author.id
        }
        before = snapshot(store)
        if kind == "redo":
            store.redo(author)
        else:
            undone = store.undo(author)
            if kind == "undo_then_redo" and undone is not None:
                assert store.redo(author) == undone
                assert snapshot(store) == before
        # Tags the reviewer never wrote to are never changed by their undo or redo.
        after = by_author(store)
        for author_id, tags in others.items():
            untouched = {tag for tag in tags if tag[0] not in touched[author.id]}
            assert untouched <= after.get(author_id, set())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=30))
def test_any_sequence_of_edits_keeps_the_store_whole(steps):
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as closing:
        path = Path(folder) / "session.review.sqlite"
        stores = [
            closing.enter_context(
                ReviewStore.open(path, media_fingerprint=None, transcript_fingerprint=None, codebook=CODEBOOK)
            )
            for _ in range(2)
        ]
        authors = [stores[0].reviewer("Okafor", "supervisor"), stores[1].reviewer("Lind", "therapist")]
        reviewer_ids = {author.id for author in authors}
        touched: dict[int, set[int]] = {author.id: set() for author in authors}
        for step in steps:
            try:
                run(stores, authors, step, touched)
            except StoreError as error:
                message = str(error)
                assert "\n" not in message and str(path) in message
            check_invariants(stores[0], stores[1], reviewer_ids)
