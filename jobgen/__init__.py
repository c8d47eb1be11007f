"""jobgen: turn a career guide into tailored, publishable job postings."""

from __future__ import annotations

__version__ = "0.1.0"
