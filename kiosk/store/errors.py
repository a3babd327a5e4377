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


class DataDirUnusable(StoreError):
    """The data folder or its database cannot be used at all (damaged, disk full, read-only): nothing can
    be stored. The message is the one line the command prints (`kiosk.cli.main` exits 2)."""


class DatabaseDamagedError(DataDirUnusable):
    """The database file is not a SQLite database any more, or fails its integrity check."""

    def __init__(self, path: object, reason: object) -> None:
        self.path = path
        self.reason = " ".join(str(reason).split())  # quick_check's report spans lines
        super().__init__(f"database damaged: {path}: {self.reason}, run kiosk doctor")


class DiskFullError(DataDirUnusable):
    """The disk holding the data folder has no room left."""


class DataDirNotWritable(DataDirUnusable):
    """The data folder is on a read-only file system, or the kiosk may not write there."""
