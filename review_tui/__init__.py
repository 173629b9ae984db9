"""review_tui: terminal review of recorded therapy sessions for supervision."""

__version__ = "0.1.0"
