"""Which reader plans the import of a file, chosen by its extension.

Apart from ``importing`` (the JSON reader and what every reader shares) so that the EAF reader,
which builds on those shared parts, is not imported back by them.
"""

from __future__ import annotations

from pathlib import Path

from review_tui.model import Codebook
from review_tui.report.eaf_import import plan_eaf
from review_tui.report.importing import FALLBACK_REVIEWER, ImportMap, ImportPlan, ReviewImportError, plan_json
from review_tui.text import visible

SUPPORTED = (".json", ".eaf")


def plan_file(path: Path, codebook: Codebook, mapping: ImportMap, fallback=FALLBACK_REVIEWER) -> ImportPlan:
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return plan_json(path, codebook, mapping)
    if suffix == ".eaf":
        return plan_eaf(path, codebook, mapping, fallback)
    raise ReviewImportError(f"{visible(str(path))}: cannot import *{visible(suffix) or '(no extension)'} (use {', '.join(SUPPORTED)})")
