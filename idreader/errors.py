"""Typed errors of the idreader package; every one of them derives from `ReaderError`.

Frame errors come from the pure protocol layer, card errors from decoding the text block, and the
port/timeout errors from the driver. A caller that only wants "something went wrong with the reader"
catches `ReaderError`.
"""

from __future__ import annotations


class ReaderError(Exception):
    """Base class of every error raised by the idreader package."""


class FrameError(ReaderError):
    """A byte sequence is not a well-formed SAM_V frame."""


class ChecksumError(FrameError):
    """The XOR check byte of a frame does not match its contents."""


class LengthError(FrameError):
    """The length field of a frame is impossible, or disagrees with the data it announces."""


class StatusError(ReaderError):
    """The reader answered with an SW3 status other than the success expected for the command."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class CardDataError(ReaderError):
    """The card's text block holds something that cannot be decoded (bad date, unknown code, ...)."""


class IdNumberError(ReaderError, ValueError):
    """An ID number fails the GB 11643 rules (length, characters, birth date or check digit)."""


class ReaderTimeout(ReaderError):
    """The reader did not send a complete reply in time (silence, or a frame cut short)."""

    def __init__(self, message: str, received: int = 0) -> None:
        super().__init__(message)
        self.received = received


class PortError(ReaderError):
    """The serial port could not be opened, or was lost while in use (USB cable pulled)."""


class ReaderUrlError(ReaderError, ValueError):
    """A reader address is not a usable pyserial URL, port name or sim:// URL."""


class CardFileError(ReaderError):
    """A card given by name or file cannot be loaded (unknown demo card, missing or malformed JSON)."""


class SimulatorError(ReaderError):
    """The simulator was given something it cannot do (unknown card name, unknown fault kind)."""
