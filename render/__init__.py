"""render: manuscripts to multi-voice audiobooks, offline and resumable."""

__version__ = "0.1.0"
