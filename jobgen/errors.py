"""The one error tree of jobgen.

Every failure a user can cause is a :class:`JobgenError` whose message says what is wrong, where
(file, line, row, field) and what is allowed. The CLI turns them into exit codes in one place:
:class:`UsageError` exits 2, everything else exits 1.
"""

from __future__ import annotations


class JobgenError(Exception):
    """Base of every error jobgen raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.source = source
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        text = f"{self.source}: {self.message}" if self.source else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class UsageError(JobgenError):
    """The command line itself is wrong (a bad choice, a conflicting flag): exit 2."""

    exit_code = 2


class ValidationError(JobgenError):
    """Input data (employer options, a guide, a batch row) breaks a rule."""


class GuideError(ValidationError):
    """A guide file or guide text cannot be used."""


class TemplateError(JobgenError):
    """A template failed to compile or render."""


class OutputError(JobgenError):
    """A file could not be written, or would overwrite one without --force."""
