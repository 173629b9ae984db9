"""Agreement between two reviewers of one review: matching, modified kappa, ratings, and the
list of places where they differ.

Method (ELAN's "modified Cohen's kappa", after Holle & Rein, "EasyDIAg: A tool for easy
determination of interrater agreement", Behavior Research Methods, 2015 (online 2014),
doi:10.3758/s13428-014-0506-7; read in ELAN's source,
``mpi.eudico.client.annotator.interannotator.modkappa.GlobalCKappa``, ``IPFUtil`` and
``commands.CompareAnnotationModKappaCommand``, and EasyDIAg's ``ckappa.m``):

1. **Matching.** Only tags of the same code group can match. ELAN pairs two annotations when
   their overlap is at least 60% of the longer one; our tags are often points (a moment, not a
   stretch), so here two tags match when their spans overlap or lie within ``tolerance_ms`` of
   each other (default 2 s). Pairs are taken greedily, closest first (smallest gap, then the
   largest share of overlap, then the nearest starts; between equally close ones, the same code
   first), each tag in at most one pair, as ELAN takes the largest overlap first.
2. **The agreement matrix.** Rows are reviewer A's codes, columns B's, plus one "nothing here"
   row and column. A matched pair adds to the cell of its two codes; a tag without a partner
   adds to its code against the other reviewer's "nothing". As in ELAN (following Holle & Rein
   and GSEQ), matched cells are counted twice, so the table's total N is the number of tags.
   The nothing/nothing cell is a structural zero: nobody counts the moments neither coded.
3. **kappa** (ELAN's ``kappa_ipf``): p_o is the diagonal over N. Because of the structural
   zero, chance agreement is not the product of the margins: the expected table is fitted to
   the row and column totals by iterative proportional fitting from a seed of ones with a zero
   in the nothing/nothing cell, and p_e is its diagonal over N; kappa = (p_o - p_e)/(1 - p_e).
   ELAN runs 20 rounds of fitting; we use the exact fit those rounds approach
   (``fitted_diagonal``), so small tables can be checked by hand. ELAN prints a negative
   kappa as "0"; we keep the sign, since systematic disagreement is worth seeing. ``kappa_max`` is the
   largest kappa the two reviewers' totals allow, with the same p_e (EasyDIAg's equation 6);
   ``kappa_matched`` is plain Cohen's kappa on the matched pairs only (ELAN's "excl.").
4. **Raw agreement** is p_o, shown beside the number of events (pairs plus unmatched tags).
5. **Ratings**: for matched pairs where both gave a 1-5 rating, the intraclass correlation
   ICC(A,1) — two-way, absolute agreement, single rater (McGraw & Wong, 1996; Shrout & Fleiss'
   ICC(2,1)), the statistic the 3RS validation reported.

Groups whose codebook role is "note" (supervision notes) are comments on the session rather
than codes of it, and are left out. No Textual here: the CLI, the report and the app share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from review_tui.analysis.episodes import group_roles
from review_tui.analysis.stats import group_of
from review_tui.model import Codebook, Reviewer, Tag, Transcript

DEFAULT_TOLERANCE_MS = 2000
NOTHING = "nothing"  # the label of the "nothing here" row and column
RATING_GAP = 2  # ratings this far apart make a matched pair a disagreement


@dataclass(frozen=True, slots=True)
class MatchedPair:
    a: Tag
    b: Tag
    group: str

    @property
    def agrees(self) -> bool:
        return self.a.code_id == self.b.code_id

    @property
    def both_rated(self) -> bool:
        return self.a.rating is not None and self.b.rating is not None


@dataclass(frozen=True, slots=True)
class KappaTable:
    """One scope's agreement matrix ("all" or a group id) and what is read from it."""

    scope: str
    labels: tuple[str, ...]  # code ids, then NOTHING
    counts: tuple[tuple[int, ...], ...]  # rows: reviewer A, columns: reviewer B
    pairs: int
    agreed: int  # pairs with the same code
    only_a: int
    only_b: int
    kappa: float | None  # None when it cannot be computed (no tags, or chance agreement is 1)
    kappa_max: float | None
    kappa_matched: float | None
    raw_agreement: float | None

    @property
    def events(self) -> int:
        return self.pairs + self.only_a + self.only_b

    @property
    def total(self) -> int:
        return 2 * self.pairs + self.only_a + self.only_b


@dataclass(frozen=True, slots=True)
class RatingAgreement:
    pairs: int  # matched pairs where both rated
    icc: float | None


@dataclass(frozen=True, slots=True)
class QuoteLine:
    start_ms: int
    speaker: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    """An unmatched tag ("only_a", "only_b") or a matched pair whose codes ("code") or
    ratings ("rating") differ."""

    kind: str
    group: str
    a: Tag | None
    b: Tag | None
    quote: tuple[QuoteLine, ...] = ()

    @property
    def start_ms(self) -> int:
        return min(tag.start_ms for tag in (self.a, self.b) if tag is not None)

    @property
    def end_ms(self) -> int:
        return max(_span(tag)[1] for tag in (self.a, self.b) if tag is not None)

    @property
    def key(self) -> str:
        """Stable while neither reviewer's tags change: the reconcile pass keeps its place by it."""
        return f"{self.kind}:{self.a.id if self.a else '-'}:{self.b.id if self.b else '-'}"


@dataclass(frozen=True, slots=True)
class Agreement:
    a: Reviewer
    b: Reviewer
    tolerance_ms: int
    overall: KappaTable
    groups: tuple[KappaTable, ...]  # the groups either reviewer used, in codebook order
    ratings: RatingAgreement
    pairs: tuple[MatchedPair, ...]
    disagreements: tuple[Disagreement, ...]  # in time order
    left_out: tuple[str, ...]  # groups not compared (role "note")


def _span(tag: Tag) -> tuple[int, int]:
    end = tag.end_ms if tag.end_ms is not None and tag.end_ms > tag.start_ms else tag.start_ms
    return tag.start_ms, end


def _closeness(a: Tag, b: Tag) -> tuple:
    (start_a, end_a), (start_b, end_b) = _span(a), _span(b)
    gap = max(0, max(start_a, start_b) - min(end_a, end_b))
    overlap = max(0, min(end_a, end_b) - max(start_a, start_b))
    longer = max(end_a - start_a, end_b - start_b)
    share = overlap / longer if longer else (1.0 if gap == 0 else 0.0)
    differ = a.code_id != b.code_id  # only breaks a tie in time: equally close, same code first
    return gap, -share, abs(start_a - start_b), differ, min(start_a, start_b), a.id, b.id


def match_tags(
    tags_a: Iterable[Tag],
    tags_b: Iterable[Tag],
    codebook: Codebook | None = None,
    tolerance_ms: int = DEFAULT_TOLERANCE_MS,
) -> tuple[list[MatchedPair], list[Tag], list[Tag]]:
    """(pairs, A's unmatched tags, B's unmatched tags), each in time order."""
    tags_a, tags_b = list(tags_a), list(tags_b)
    b_by_group: dict[str, list[Tag]] = {}
    for b in tags_b:
        b_by_group.setdefault(group_of(b.code_id, codebook), []).append(b)
    candidates = []
    for a in tags_a:
        group = group_of(a.code_id, codebook)
        for b in b_by_group.get(group, ()):
            closeness = _closeness(a, b)
            if closeness[0] <= tolerance_ms:
                candidates.append((closeness, a, b, group))
    candidates.sort(key=lambda item: item[0])
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, a, b, group in candidates:
        if a.id in used_a or b.id in used_b:
            continue
        used_a.add(a.id)
        used_b.add(b.id)
        pairs.append(MatchedPair(a, b, group))
    pairs.sort(key=lambda pair: (min(pair.a.start_ms, pair.b.start_ms), pair.a.id))
    only_a = sorted((t for t in tags_a if t.id not in used_a), key=lambda t: (t.start_ms, t.id))
    only_b = sorted((t for t in tags_b if t.id not in used_b), key=lambda t: (t.start_ms, t.id))
    return pairs, only_a, only_b


def agreement_table(
    scope: str,
    pairs: Sequence[MatchedPair],
    only_a: Sequence[Tag],
    only_b: Sequence[Tag],
    codebook: Codebook | None = None,
) -> KappaTable:
    """The matrix of one scope and its kappa, kappa_max, kappa_matched and raw agreement."""
    used = {p.a.code_id for p in pairs} | {p.b.code_id for p in pairs}
    used |= {t.code_id for t in only_a} | {t.code_id for t in only_b}
    order = {code.id: n for n, code in enumerate(codebook.codes)} if codebook else {}
    labels = sorted(used, key=lambda code_id: (order.get(code_id, len(order)), code_id))
    labels.append(NOTHING)
    index = {label: n for n, label in enumerate(labels)}
    size = len(labels)
    counts = [[0] * size for _ in range(size)]
    for pair in pairs:
        counts[index[pair.a.code_id]][index[pair.b.code_id]] += 2
    for tag in only_a:
        counts[index[tag.code_id]][size - 1] += 1
    for tag in only_b:
        counts[size - 1][index[tag.code_id]] += 1
    kappa, kappa_max, raw = modified_kappa(counts)
    matched = [row[:-1] for row in counts[:-1]]
    return KappaTable(
        scope=scope,
        labels=tuple(labels),
        counts=tuple(tuple(row) for row in counts),
        pairs=len(pairs),
        agreed=sum(pair.agrees for pair in pairs),
        only_a=len(only_a),
        only_b=len(only_b),
        kappa=kappa,
        kappa_max=kappa_max,
        kappa_matched=cohen_kappa(matched),
        raw_agreement=raw,
    )


def modified_kappa(counts: Sequence[Sequence[int]]) -> tuple[float | None, float | None, float | None]:
    """(kappa, kappa_max, raw agreement) of a matrix whose last row and column are "nothing",
    with chance agreement from the table fitted to its totals (see the module docstring)."""
    total = sum(map(sum, counts))
    if total == 0:
        return None, None, None
    size = len(counts)
    rows = [sum(row) for row in counts]
    cols = [sum(counts[i][j] for i in range(size)) for j in range(size)]
    observed = sum(counts[i][i] for i in range(size)) / total
    chance = sum(fitted_diagonal(rows, cols)) / total
    if chance >= 1 - 1e-12:
        return None, None, observed
    best = sum(min(rows[i], cols[i]) for i in range(size - 1)) / total
    return (observed - chance) / (1 - chance), (best - chance) / (1 - chance), observed


def fitted_diagonal(rows: Sequence[int], cols: Sequence[int]) -> list[float]:
    """The diagonal (codes only) of the table that iterative proportional fitting makes from a
    seed of ones with a zero in the nothing/nothing cell, matching ``rows`` and ``cols``.

    ELAN runs 20 rounds of IPF; the fit it approaches (quasi-independence, m_ij = a_i * b_j
    off the zero cell) has a closed form, used here so the result is exact. With R and C the
    totals, "nothing" last, P = N - R_nothing - C_nothing (twice the matched pairs),
    R' = N - R_nothing and C' = N - C_nothing, the diagonal is m_ii = R_i * C_i * P / (R' * C').
    """
    total = sum(rows)
    matched = total - rows[-1] - cols[-1]
    rows_coded, cols_coded = total - rows[-1], total - cols[-1]
    if matched <= 0 or rows_coded <= 0 or cols_coded <= 0:
        return [0.0] * (len(rows) - 1)
    return [rows[i] * cols[i] * matched / (rows_coded * cols_coded) for i in range(len(rows) - 1)]


def cohen_kappa(counts: Sequence[Sequence[int]]) -> float | None:
    """Plain Cohen's kappa of a square table; None when it is empty or chance agreement is 1."""
    total = sum(map(sum, counts))
    if total == 0:
        return None
    size = len(counts)
    observed = sum(counts[i][i] for i in range(size)) / total
    chance = sum(sum(counts[i]) * sum(counts[k][i] for k in range(size)) for i in range(size)) / (
        total * total
    )
    if chance >= 1 - 1e-12:
        return None
    return (observed - chance) / (1 - chance)


def icc_absolute(ratings: Sequence[tuple[int, int]]) -> float | None:
    """ICC(A,1) of (A's, B's) ratings; None with fewer than two pairs or no variance at all."""
    n, k = len(ratings), 2
    if n < 2:
        return None
    grand = sum(a + b for a, b in ratings) / (n * k)
    subject_means = [(a + b) / k for a, b in ratings]
    rater_means = [sum(pair[j] for pair in ratings) / n for j in range(k)]
    ss_subjects = k * sum((mean - grand) ** 2 for mean in subject_means)
    ss_raters = n * sum((mean - grand) ** 2 for mean in rater_means)
    ss_total = sum((value - grand) ** 2 for pair in ratings for value in pair)
    ss_error = ss_total - ss_subjects - ss_raters
    ms_subjects = ss_subjects / (n - 1)
    ms_raters = ss_raters / (k - 1)
    ms_error = ss_error / ((n - 1) * (k - 1))
    denominator = ms_subjects + (k - 1) * ms_error + k * (ms_raters - ms_error) / n
    if abs(denominator) < 1e-12:
        return None
    return (ms_subjects - ms_error) / denominator


def quote(transcript: Transcript | None, start_ms: int, end_ms: int) -> tuple[QuoteLine, ...]:
    """The transcript lines spoken over [start_ms, end_ms] (the line under a point)."""
    if transcript is None:
        return ()
    lines = []
    for cue in transcript.cues_between(start_ms, end_ms):
        speaker = transcript.speakers.get(cue.speaker) if cue.speaker else None
        label = speaker.label if speaker else cue.speaker
        lines.append(QuoteLine(cue.start_ms, label, " ".join(cue.text.split())))
    return tuple(lines)


def compute_agreement(
    tags_a: Iterable[Tag],
    tags_b: Iterable[Tag],
    *,
    a: Reviewer,
    b: Reviewer,
    codebook: Codebook | None = None,
    tolerance_ms: int = DEFAULT_TOLERANCE_MS,
    transcript: Transcript | None = None,
) -> Agreement:
    roles = group_roles(codebook)
    present = {group.id for group in codebook.groups} if codebook else set(roles)
    left_out = sorted(g for g, role in roles.items() if role == "note" and g in present)

    def compared(tags: Iterable[Tag]) -> list[Tag]:
        return [tag for tag in tags if group_of(tag.code_id, codebook) not in left_out]

    pairs, only_a, only_b = match_tags(compared(tags_a), compared(tags_b), codebook, tolerance_ms)
    overall = agreement_table("all", pairs, only_a, only_b, codebook)
    group_order = [group.id for group in codebook.groups] if codebook else []
    used = {pair.group for pair in pairs} | {group_of(t.code_id, codebook) for t in [*only_a, *only_b]}
    groups = tuple(
        agreement_table(
            group,
            [pair for pair in pairs if pair.group == group],
            [tag for tag in only_a if group_of(tag.code_id, codebook) == group],
            [tag for tag in only_b if group_of(tag.code_id, codebook) == group],
            codebook,
        )
        for group in sorted(
            used, key=lambda g: (group_order.index(g) if g in group_order else len(group_order), g)
        )
    )
    rated = [(pair.a.rating, pair.b.rating) for pair in pairs if pair.both_rated]
    items = [Disagreement("only_a", group_of(t.code_id, codebook), t, None) for t in only_a]
    items += [Disagreement("only_b", group_of(t.code_id, codebook), None, t) for t in only_b]
    for pair in pairs:
        if not pair.agrees:
            items.append(Disagreement("code", pair.group, pair.a, pair.b))
        elif pair.both_rated and abs(pair.a.rating - pair.b.rating) >= RATING_GAP:
            items.append(Disagreement("rating", pair.group, pair.a, pair.b))
    items.sort(key=lambda item: (item.start_ms, item.key))
    disagreements = tuple(
        Disagreement(item.kind, item.group, item.a, item.b, quote(transcript, item.start_ms, item.end_ms))
        for item in items
    )
    return Agreement(
        a=a,
        b=b,
        tolerance_ms=tolerance_ms,
        overall=overall,
        groups=groups,
        ratings=RatingAgreement(len(rated), icc_absolute(rated)),
        pairs=tuple(pairs),
        disagreements=disagreements,
        left_out=tuple(left_out),
    )


def agreement_in(
    store,
    a: Reviewer,
    b: Reviewer,
    *,
    tolerance_ms: int = DEFAULT_TOLERANCE_MS,
    transcript: Transcript | None = None,
) -> Agreement:
    """Agreement between two reviewers of an open review file (a ReviewStore)."""
    return compute_agreement(
        store.tags(author_id=a.id),
        store.tags(author_id=b.id),
        a=a,
        b=b,
        codebook=store.codebook,
        tolerance_ms=tolerance_ms,
        transcript=transcript,
    )
