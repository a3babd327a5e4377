"""Error types of the ``printers`` package.

Every fault raised by printers code derives from :class:`PrinterError`, so callers (the kiosk, the
technician CLI) can catch one base class and show the message. Subclasses for transports, status and
the queue are added here by their owners.
"""


class PrinterError(Exception):
    """Base class for every error raised by the ``printers`` package."""


# --- transports, status and queue (owned by the transports/queue engineer) ---------------------------


class PrinterUrlError(PrinterError, ValueError):
    """A printer URL that cannot be understood (unknown scheme, bad port, bad option)."""


class PrinterUnreachable(PrinterError):
    """The printer could not be reached at all (connection refused, no such device, no `lp`)."""


class PrinterTimeout(PrinterError):
    """The printer did not answer, or stopped taking data, within the named timeout."""


class PrinterConnectionLost(PrinterError):
    """The connection broke during a job. ``reset`` is True when the printer reset it (discarding
    data it had not read) and False when it closed it in an orderly way."""

    def __init__(self, message: str, *, reset: bool = False) -> None:
        super().__init__(message)
        self.reset = reset


class PrinterNotReady(PrinterError):
    """The printer answered but is not able to print; ``status`` says why."""

    def __init__(self, message: str, status: object) -> None:
        super().__init__(message)
        self.status = status


class PaperOut(PrinterNotReady):
    """The paper roll is empty."""


class CoverOpen(PrinterNotReady):
    """The printer cover is open."""


class PrinterOffline(PrinterNotReady):
    """The printer reports itself offline or in error for a reason other than paper or cover."""


class StatusUnsupported(PrinterError):
    """This transport cannot read anything back from the printer (file://, cups://)."""


class DeliveryFailed(PrinterError):
    """A job could not be delivered. ``phase`` says how far it got, which decides whether resending
    is safe: "before" (nothing was sent), "during" (the printer cannot have the whole job, so it
    cannot have cut a complete slip) or "after" (every byte went out, but the printer did not confirm
    it is fine afterwards: the slip may or may not be complete). ``cause`` is the underlying error."""

    def __init__(self, phase: str, cause: PrinterError) -> None:
        super().__init__(f"{phase} sending: {cause}")
        self.phase = phase
        self.cause = cause


class QueueError(PrinterError):
    """Misuse of the print queue: unknown job, a state change that is not allowed, a stopped queue."""
