"""kliping's version, stamped on every file a run writes (kept here, at the bottom, so any layer can read it)."""

__version__ = "0.1.0"
