"""Typed errors of the form engine (`forms`, except `forms.documents`); all derive from `SpecError`.

A fault in a spec file names the file and the key path of every problem (`SpecFileError`). Problems
with an applicant's answers are never exceptions: they are `Finding`s (see `forms.review`).
"""

from __future__ import annotations

from collections.abc import Sequence


class SpecError(Exception):
    """Base class of every error raised by the form engine."""


class SpecFileError(SpecError):
    """A catalog file (service spec or test-case file) is unreadable or does not fit the schema.

    `problems` holds one line per error, each starting with the key path, e.g.
    ``fields[3].type: Input should be 'text', 'address', ...``.
    """

    def __init__(self, path: str, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = tuple(problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{path}: {len(self.problems)} problem(s)\n{lines}")


class UnknownServiceError(SpecError, KeyError):
    """No service item with this id is in the catalog."""

    def __init__(self, service_id: str) -> None:
        self.service_id = service_id
        super().__init__(service_id)

    def __str__(self) -> str:
        return f"unknown service {self.service_id!r}"


class UnknownFieldError(SpecError, KeyError):
    """An answer was given for a key that the service spec does not declare."""

    def __init__(self, service_id: str, key: str) -> None:
        self.service_id = service_id
        self.key = key
        super().__init__(key)

    def __str__(self) -> str:
        return f"service {self.service_id!r} has no field {self.key!r}"


class LockedFieldError(SpecError):
    """The applicant tried to change a value that came from an authority (card or registry) and is locked."""


class ConditionError(SpecError):
    """A rule or show_if condition could not be compiled or evaluated."""


class NumberingError(SpecError):
    """A number template is malformed, or a number cannot be made (e.g. the item issues no licence)."""


class SettingsError(SpecError):
    """Hall settings are invalid or lack something a service item needs (e.g. its issuing office)."""
