"""Errors of the kiosk's store. Everything raised on purpose by `kiosk.store` derives from StoreError."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot do what was asked; the message says what and why."""


class MigrationError(StoreError):
    """The database schema cannot be brought up to date (e.g. it is newer than this program)."""


class NotInTransactionError(StoreError):
    """An operation that must share the caller's transaction (numbering) was called outside one."""


class DuplicateNumberError(StoreError):
    """A receipt or licence number is already recorded for another application."""
