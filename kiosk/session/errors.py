"""Typed errors of the applicant session; every one derives from `SessionError`.

These are raised for events the UI should never send (a programming error in the caller): an edit of
a locked field, a rating of 7 stars, a service the catalog does not know. Mistakes the applicant can
make (an empty mail address, a missing commitment) are never raised: they become a `Notice` on the
screen instead.
"""

from __future__ import annotations


class SessionError(Exception):
    """Base class of every error raised by the kiosk.session package."""


class InvalidEventError(SessionError, ValueError):
    """An event carries a value that can never be valid (unknown language, rating out of 1..5, ...)."""


class UnknownServiceError(SessionError, LookupError):
    """`ServiceChosen` names a service the injected `ServiceDirectory` does not know."""


class UnknownFieldError(SessionError, LookupError):
    """`AnswerChanged` names a field that is not shown on the current form."""


class LockedFieldError(SessionError):
    """`AnswerChanged` tries to edit a value that came from an authority (the card, shared data)."""


class RulesContractError(SessionError):
    """The injected `ApplicationRules` returned something outside its contract (e.g. an unknown outcome)."""
