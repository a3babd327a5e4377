"""Deliver one job to a printer: check status, send every byte, check status again.

This is where the rule "no answer is an error" is applied and where a fault is classified by how far
the job got (DeliveryFailed.phase), which the queue uses to decide whether resending is safe:

    before   connect failed, or the status before the job was not ready / not answered:
             nothing was sent.
    during   the write failed, or the printer reset the connection before answering the status
             after the job (a reset discards unread data): the printer cannot have the whole job,
             so it cannot have cut a complete slip.
    after    every byte went out but the printer did not answer afterwards, closed the connection
             in an orderly way, or reported paper out / cover open: the slip may or may not be whole.

Status before a job: DLE EOT 1, 2, 4 (query_status); after: the same three queries. Transports that
cannot read back (file://, cups://) just write.
"""

from __future__ import annotations

from dataclasses import dataclass

from printers.errors import DeliveryFailed, PrinterConnectionLost, PrinterError
from printers.status import PrinterStatus, query_status, raise_if_not_ready, unknown_status
from printers.transports.base import Transport


@dataclass(frozen=True)
class DeliveryResult:
    """A job the printer took. ``status_after`` is None when the transport cannot read status."""

    bytes_sent: int
    status_before: PrinterStatus | None
    status_after: PrinterStatus | None


def probe_status(transport: Transport) -> PrinterStatus:
    """Ask the printer how it is, on a connection of its own. Never raises a PrinterError: an
    unreachable or silent printer gives a status with ``fault`` set (never ready)."""
    if not transport.can_read_status:
        return unknown_status(f"{transport.url.scheme}:// cannot report printer status")
    try:
        with transport.open() as channel:
            return query_status(channel, transport.timeouts.status)
    except PrinterError as error:
        return unknown_status(str(error))


def deliver(transport: Transport, data: bytes) -> DeliveryResult:
    """Send one job; raise DeliveryFailed (with phase and cause) when it did not go through cleanly."""
    timeout = transport.timeouts.status
    try:
        channel = transport.open()
    except PrinterError as error:
        raise DeliveryFailed("before", error) from error
    with channel:
        before = None
        if transport.can_read_status:
            try:
                before = query_status(channel, timeout)
                raise_if_not_ready(before, "printer not ready before the job")
            except PrinterError as error:
                raise DeliveryFailed("before", error) from error
        try:
            channel.write(data)
        except PrinterError as error:
            raise DeliveryFailed("during", error) from error
        if not transport.can_read_status:
            return DeliveryResult(len(data), None, None)
        try:
            after = query_status(channel, timeout)
        except PrinterConnectionLost as error:
            raise DeliveryFailed("during" if error.reset else "after", error) from error
        except PrinterError as error:
            raise DeliveryFailed("after", error) from error
        try:
            raise_if_not_ready(after, "printer reported a fault after the job")
        except PrinterError as error:
            raise DeliveryFailed("after", error) from error
        return DeliveryResult(len(data), before, after)
