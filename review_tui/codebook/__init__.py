"""The codebook: groups of codes a reviewer tags moments with, shipped as data (default.toml)."""

from review_tui.codebook.loader import (
    DIGITS,
    FREE_GROUP_KEYS,
    RESERVED_KEYS,
    codebook_from_dict,
    codebook_to_dict,
    load_codebook,
)

__all__ = [
    "DIGITS",
    "FREE_GROUP_KEYS",
    "RESERVED_KEYS",
    "codebook_from_dict",
    "codebook_to_dict",
    "load_codebook",
]
