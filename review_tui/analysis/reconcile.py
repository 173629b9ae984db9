"""The reconcile pass: two raters step through their disagreements and settle each into a
consensus code. No Textual; the app's reconcile screen (``R``) drives it.

Who writes what. Every consensus tag is authored by a reviewer of its own, named
"Consensus of A and B" with the role "rater", created on the first pass between A and B. The
name carries who took part, so every tag, report and export says it without any lookup, and a
consensus between other raters is another reviewer. The raters' own tags are never changed.
Which reviewers are consensus reviewers, and of whom, is kept in the review file's state
(``consensus.reviewers``), so agreement never mistakes a consensus for a third rater.

API (everything is written to the review file before a call returns):

    pass_ = ReconcilePass.open(store, a, b, tolerance_ms=2000, transcript=None)
        Opens the pass between reviewers a and b, resuming where it stopped. The first time,
        it keeps kappa before consensus and copies every pair the raters agreed on into the
        consensus (A's span and rating, both notes), since a consensus coding is complete only
        with the moments nobody disputed.
    pass_.items        the disagreement list (analysis.agreement.Disagreement), in time order
    pass_.position     index of the item to decide now; len(items) when all are decided
    pass_.current      that item, or None when done;  pass_.done
    pass_.decide(KEEP_A | KEEP_B | KEEP_BOTH | NEW_CODE | DROP, code_id=None, rating=None,
                 note="") -> list[Tag]
        Settles the current item and moves on: keep A's tag, B's, both, a new code (on A's
        span, else B's; ``code_id`` required) or drop it (no tag). ``note`` is the pair's
        reason, added to the tag's note. Deciding the last item keeps kappa after consensus.
    pass_.undo() -> bool
        Takes back the latest decision: its tags go through the store's undo (a step that
        turns out to be someone else's edit is redone and the tag deleted instead), and the
        position moves back to it. False when nothing was decided.
    pass_.kappa_before   A against B before consensus: {"kappa", "raw_agreement", "events",
                         "pairs", "agreed"}, kept in the file when the pass is first opened
    pass_.kappa_after    {rater name: the same summary of that rater against the consensus},
                         kept when the last item is decided ({} until then, and after an undo)
    pass_.decisions                           the decisions made, in order

``outcomes(store)`` lists every pass in a review file, for the report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from review_tui.analysis.agreement import (
    DEFAULT_TOLERANCE_MS,
    Agreement,
    Disagreement,
    KappaTable,
    agreement_in,
)
from review_tui.model import Reviewer, ReviewTuiError, Tag, Transcript

KEEP_A, KEEP_B, KEEP_BOTH, NEW_CODE, DROP = "keep_a", "keep_b", "keep_both", "new_code", "drop"
DECISIONS = (KEEP_A, KEEP_B, KEEP_BOTH, NEW_CODE, DROP)
CONSENSUS_ROLE = "rater"
CONSENSUS_KEY = "consensus.reviewers"  # {consensus reviewer id: [a id, b id]}
_PASS_PREFIX = "reconcile:"


class ReconcileError(ReviewTuiError):
    """A decision that cannot be made, or a saved pass that cannot be read."""


@dataclass(frozen=True, slots=True)
class Decision:
    key: str  # the Disagreement.key it settled
    decision: str
    tag_ids: tuple[int, ...]  # consensus tags it wrote
    links: tuple[tuple[int, int], ...] = ()  # (rupture, tag) links it made between them


def consensus_name(a: Reviewer, b: Reviewer) -> str:
    return f"Consensus of {a.name} and {b.name}"


def consensus_reviewers(store) -> dict[int, tuple[int, int]]:
    """Consensus reviewer id -> the two raters it settles between."""
    data = _load(store, CONSENSUS_KEY, {})
    try:
        return {int(key): (int(value[0]), int(value[1])) for key, value in data.items()}
    except (AttributeError, TypeError, ValueError, IndexError):
        raise ReconcileError(f"{store.path}: the list of consensus reviewers is damaged") from None


def summary(table: KappaTable) -> dict[str, Any]:
    return {
        "kappa": table.kappa,
        "raw_agreement": table.raw_agreement,
        "events": table.events,
        "pairs": table.pairs,
        "agreed": table.agreed,
    }


class ReconcilePass:
    def __init__(
        self, store, a: Reviewer, b: Reviewer, consensus: Reviewer, agreement: Agreement, saved: dict
    ):
        self.store, self.a, self.b, self.consensus = store, a, b, consensus
        self.agreement = agreement
        self.items: tuple[Disagreement, ...] = agreement.disagreements
        self._saved = saved
        self.decisions = [
            Decision(
                d["key"], d["decision"], tuple(d["tags"]), tuple(tuple(pair) for pair in d.get("links", ()))
            )
            for d in saved["decisions"]
        ]

    @classmethod
    def open(
        cls,
        store,
        a: Reviewer,
        b: Reviewer,
        *,
        tolerance_ms: int = DEFAULT_TOLERANCE_MS,
        transcript: Transcript | None = None,
    ) -> ReconcilePass:
        if a.id == b.id:
            raise ReconcileError(f"{store.path}: a reconcile pass needs two different reviewers")
        key = f"{_PASS_PREFIX}{a.id}:{b.id}"
        saved = _load(store, key, None)
        if saved is not None:
            _check_saved(store, saved)
            tolerance_ms = int(saved["tolerance_ms"])
        agreement = agreement_in(store, a, b, tolerance_ms=tolerance_ms, transcript=transcript)
        consensus = store.reviewer(consensus_name(a, b), CONSENSUS_ROLE)
        known = consensus_reviewers(store)
        if consensus.id not in known:
            known[consensus.id] = (a.id, b.id)
            store.set_state(CONSENSUS_KEY, json.dumps({str(k): list(v) for k, v in known.items()}))
        if saved is None:
            saved = {
                "a": a.id,
                "b": b.id,
                "consensus": consensus.id,
                "tolerance_ms": tolerance_ms,
                "kappa_before": summary(agreement.overall),
                "kappa_after": {},
                "agreed": [],
                "copies": {},
                "decisions": [],
            }
            store.set_state(key, json.dumps(saved))
            pass_ = cls(store, a, b, consensus, agreement, saved)
            pass_._copy_agreed_pairs()
            return pass_
        return cls(store, a, b, consensus, agreement, saved)

    # --- where the pass stands ----------------------------------------------------------

    @property
    def position(self) -> int:
        decided = {decision.key for decision in self.decisions}
        return next((n for n, item in enumerate(self.items) if item.key not in decided), len(self.items))

    @property
    def current(self) -> Disagreement | None:
        position = self.position
        return self.items[position] if position < len(self.items) else None

    @property
    def done(self) -> bool:
        return self.current is None

    @property
    def kappa_before(self) -> dict[str, Any]:
        return dict(self._saved["kappa_before"])

    @property
    def kappa_after(self) -> dict[str, Any]:
        return dict(self._saved["kappa_after"])

    # --- deciding ---------------------------------------------------------------------------

    def decide(
        self, decision: str, *, code_id: str | None = None, rating: int | None = None, note: str = ""
    ) -> list[Tag]:
        item = self.current
        if item is None:
            raise ReconcileError(f"{self.store.path}: every disagreement is settled already")
        if decision not in DECISIONS:
            raise ReconcileError(
                f"{self.store.path}: unknown decision {decision!r} (use {', '.join(DECISIONS)})"
            )
        sources = {KEEP_A: [item.a], KEEP_B: [item.b], KEEP_BOTH: [item.a, item.b], DROP: []}.get(decision)
        if sources is not None and None in sources:
            missing = self.a.name if item.a is None else self.b.name
            raise ReconcileError(
                f"{self.store.path}: {missing} has no tag here; keep the other one or drop it"
            )
        written: list[Tag] = []
        links: list[tuple[int, int]] = []
        if decision == NEW_CODE:
            if not code_id:
                raise ReconcileError(f"{self.store.path}: a new code needs the code to use")
            base = item.a or item.b
            written.append(self._write(base, code_id=code_id, rating=rating, note=note.strip()))
            links += self._copy_links(base, written[-1])
        else:
            for tag in sources:
                written.append(self._write(tag, note=self._note(tag, note)))
                links += self._copy_links(tag, written[-1])
        self.decisions.append(Decision(item.key, decision, tuple(tag.id for tag in written), tuple(links)))
        if self.done:
            self._saved["kappa_after"] = self._kappa_after()
        self._save()
        return written

    def undo(self) -> bool:
        if not self.decisions:
            return False
        last = self.decisions.pop()
        for rupture_id, tag_id in reversed(last.links):
            self._take_back_link(rupture_id, tag_id)
        for tag_id in reversed(last.tag_ids):
            self._take_back(tag_id)
        copies = self._saved["copies"]
        for source, copy in list(copies.items()):
            if copy in last.tag_ids:
                del copies[source]
        self._saved["kappa_after"] = {}
        self._save()
        return True

    # --- inside ------------------------------------------------------------------------------

    def _copy_agreed_pairs(self) -> None:
        disputed = {(item.a.id, item.b.id) for item in self.items if item.a and item.b}
        for pair in self.agreement.pairs:
            if (pair.a.id, pair.b.id) in disputed:
                continue
            tag = self._write(pair.a, note=self._both_notes(pair.a, pair.b))
            self._saved["agreed"].append(tag.id)
            self._copy_links(pair.a, tag)
            self._copy_links(pair.b, tag)
        self._save()

    def _remember_copy(self, source: Tag, copy: Tag) -> None:
        self._saved["copies"][str(source.id)] = copy.id

    def _copy_links(self, source: Tag, copy: Tag) -> list[tuple[int, int]]:
        """Link ``copy`` as its source was linked, to the consensus copies of the other ends:
        the consensus keeps the raters' episodes. Returns the links made."""
        self._remember_copy(source, copy)
        copies = self._saved["copies"]
        made = []
        for link in self.store.links():
            if link.rupture_id == source.id and str(link.tag_id) in copies:
                pair = (copy.id, copies[str(link.tag_id)])
            elif link.tag_id == source.id and str(link.rupture_id) in copies:
                pair = (copies[str(link.rupture_id)], copy.id)
            else:
                continue
            if pair[0] != pair[1] and not any((x.rupture_id, x.tag_id) == pair for x in self.store.links()):
                self.store.link(pair[0], pair[1], link.kind)
                made.append(pair)
        return made

    def _write(self, source: Tag, *, code_id: str | None = None, rating: int | None = None, note: str) -> Tag:
        return self.store.add_tag(
            start_ms=source.start_ms,
            end_ms=source.end_ms,
            code_id=code_id or source.code_id,
            rating=rating if code_id else source.rating,
            note=note,
            author=self.consensus,
        )

    def _both_notes(self, a: Tag, b: Tag) -> str:
        notes = [(self.a.name, a.note.strip()), (self.b.name, b.note.strip())]
        kept = [(name, text) for name, text in notes if text]
        if len({text for _, text in kept}) <= 1:
            return kept[0][1] if kept else ""
        return "\n".join(f"{name}: {text}" for name, text in kept)

    def _note(self, tag: Tag, reason: str) -> str:
        return "\n".join(part for part in (tag.note.strip(), reason.strip()) if part)

    def _take_back(self, tag_id: int) -> None:
        if self.store.tag(tag_id) is None:
            return  # already undone in the app
        self.store.undo(self.consensus)
        if self.store.tag(tag_id) is not None:  # that step was another edit: put it back
            self.store.redo(self.consensus)
            self.store.delete_tag(tag_id)

    def _take_back_link(self, rupture_id: int, tag_id: int) -> None:
        def linked() -> bool:
            return any((link.rupture_id, link.tag_id) == (rupture_id, tag_id) for link in self.store.links())

        if not linked():
            return
        self.store.undo(self.consensus)
        if linked():
            self.store.redo(self.consensus)
            self.store.unlink(rupture_id, tag_id)

    def _kappa_after(self) -> dict[str, Any]:
        after = {}
        for rater in (self.a, self.b):
            agreement = agreement_in(
                self.store, rater, self.consensus, tolerance_ms=int(self._saved["tolerance_ms"])
            )
            after[rater.name] = summary(agreement.overall)
        return after

    def _save(self) -> None:
        self._saved["decisions"] = [
            {
                "key": d.key,
                "decision": d.decision,
                "tags": list(d.tag_ids),
                "links": [list(p) for p in d.links],
            }
            for d in self.decisions
        ]
        self.store.set_state(f"{_PASS_PREFIX}{self.a.id}:{self.b.id}", json.dumps(self._saved))


@dataclass(frozen=True, slots=True)
class Outcome:
    """One reconcile pass as the report tells it."""

    a: Reviewer
    b: Reviewer
    consensus: Reviewer
    kappa_before: dict[str, Any]
    kappa_after: dict[str, Any]  # rater name -> summary of that rater against the consensus
    decided: dict[str, int]  # decision -> how many
    agreed_copied: int


def outcomes(store) -> list[Outcome]:
    """Every reconcile pass kept in the review file, in the order its raters were added."""
    by_id = {reviewer.id: reviewer for reviewer in store.reviewers()}
    found = []
    for consensus_id, (a_id, b_id) in sorted(consensus_reviewers(store).items()):
        saved = _load(store, f"{_PASS_PREFIX}{a_id}:{b_id}", None)
        if saved is None or not {a_id, b_id, consensus_id} <= set(by_id):
            continue
        _check_saved(store, saved)
        decided: dict[str, int] = {}
        for entry in saved["decisions"]:
            decided[entry["decision"]] = decided.get(entry["decision"], 0) + 1
        found.append(
            Outcome(
                by_id[a_id],
                by_id[b_id],
                by_id[consensus_id],
                dict(saved["kappa_before"]),
                dict(saved["kappa_after"]),
                decided,
                len(saved["agreed"]),
            )
        )
    return found


def _load(store, key: str, default: Any) -> Any:
    raw = store.get_state(key)
    if raw is None:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        raise ReconcileError(f"{store.path}: the saved state {key!r} is damaged") from None


def _check_saved(store, saved: Any) -> None:
    fields = {
        "a",
        "b",
        "consensus",
        "tolerance_ms",
        "kappa_before",
        "kappa_after",
        "agreed",
        "copies",
        "decisions",
    }
    if not isinstance(saved, dict) or not fields <= set(saved) or not isinstance(saved["copies"], dict):
        raise ReconcileError(f"{store.path}: the saved reconcile pass is damaged")
    for entry in saved["decisions"]:
        if (
            not isinstance(entry, dict)
            or entry.get("decision") not in DECISIONS
            or not isinstance(entry.get("tags"), list)
        ):
            raise ReconcileError(f"{store.path}: the saved reconcile pass is damaged")
