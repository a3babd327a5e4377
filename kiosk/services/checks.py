"""One check's result, and how long and how hard the devices are probed: shared by `kiosk doctor`
(kiosk.commands.doctor) and the technician panel (kiosk.services.technician), so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from printers.transports import TransportTimeouts
from printers.vocabulary import PrinterCondition

#: How long the reader may take to open its port and pass the SAM status check.
READER_PROBE_SECONDS = 4.0
#: The printer probe's timeouts (connect, then each DLE EOT answer).
PRINTER_TIMEOUTS = TransportTimeouts(connect=2.0, status=1.0)
#: What staff do about a printer that is not ready, by PrinterStatus.code.
PRINTER_TODO = {
    PrinterCondition.NO_ANSWER: "check the printer's power and cable, and devices.printer in the configuration",
    PrinterCondition.COVER_OPEN: "close the printer cover",
    PrinterCondition.PAPER_OUT: "load a paper roll",
    PrinterCondition.OFFLINE: "check the printer's panel lights; switch it off and on",
    PrinterCondition.ERROR: "cutter or head fault: call the technician",
}


@dataclass(frozen=True)
class Check:
    """The result of one check: `detail` says what was found; `todo` what to do when it is a problem."""

    name: str
    ok: bool
    detail: str
    todo: str = ""

    def line(self) -> str:
        if self.ok:
            return f"OK       {self.name}: {self.detail}"
        return f"PROBLEM  {self.name}: {self.detail}" + (f" -> {self.todo}" if self.todo else "")
