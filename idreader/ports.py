"""Reader addresses: the one parser and opener for the URLs a reader is configured with.

Accepted forms (DESIGN.md "Device addresses"):

    /dev/ttyUSB0, COM3, socket://127.0.0.1:7001, loop://, rfc2217://...   any pyserial URL or port name
    sim://                       the in-process simulator, no card on it yet
    sim://?card=adult&card=hmt   ... with a deck of demo cards (names) or IdCard JSON files; the first
                                 is on the reader at once
Options, for every form: `?baudrate=115200` (115200, 57600, 38400, 19200 or 9600); for sim:// also
`hold=SECONDS` (after a read the card is taken away, and the next one of the deck placed, that long
later) and `pacing=0` (answer without waiting for the wire time; benchmarks only).

`open_reader_port(url)` opens the port once; `PortOpener` is what the driver keeps so it can reopen a
lost port (for sim:// the same simulator is reached again).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

import serial

from idreader.errors import CardFileError, PortError, ReaderUrlError
from idreader.protocol import BAUD_RATE_CODES
from idreader.simulator import PtyServer, SimulatedReader, TcpServer

DEFAULT_BAUDRATE = 115200
DEFAULT_WRITE_TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class ReaderAddress:
    """A parsed reader URL."""

    url: str
    simulated: bool
    target: str = ""  # what serial_for_url gets (sim:// has none until its server runs)
    baudrate: int = DEFAULT_BAUDRATE
    cards: tuple[str, ...] = ()
    hold_seconds: float | None = None
    pacing: bool = True


def parse_reader_url(url: str) -> ReaderAddress:
    """Parse a reader address; raise ReaderUrlError saying what is wrong."""
    if not isinstance(url, str) or not url.strip():
        raise ReaderUrlError("the reader address is empty")
    url = url.strip()
    base, _, query = url.partition("?")
    try:
        options = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ReaderUrlError(f"{url}: cannot parse the options after '?'") from None
    baudrate = DEFAULT_BAUDRATE
    rest: list[tuple[str, str]] = []
    cards: list[str] = []
    hold: float | None = None
    pacing = True
    simulated = base.lower() in ("sim://", "sim:")
    for key, value in options:
        if key == "baudrate":
            if not value.isdigit() or int(value) not in BAUD_RATE_CODES:
                allowed = ", ".join(str(rate) for rate in BAUD_RATE_CODES)
                raise ReaderUrlError(f"{url}: baudrate must be one of {allowed}, not {value!r}")
            baudrate = int(value)
        elif simulated and key == "card":
            cards.append(value)
        elif simulated and key == "hold":
            try:
                hold = float(value)
            except ValueError:
                raise ReaderUrlError(f"{url}: hold must be a number of seconds, not {value!r}") from None
        elif simulated and key == "pacing":
            pacing = value not in ("0", "false", "no", "off")
        elif simulated:
            raise ReaderUrlError(f"{url}: unknown sim:// option {key!r} (card, hold, pacing, baudrate)")
        else:
            rest.append((key, value))
    if simulated:
        return ReaderAddress(url, True, "", baudrate, tuple(cards), hold, pacing)
    if base.lower().startswith("sim:"):
        raise ReaderUrlError(f"{url}: a simulator address is written sim:// or sim://?card=NAME")
    target = base + ("?" + urlencode(rest) if rest else "")
    return ReaderAddress(url, False, target, baudrate)


@dataclass
class PortOpener:
    """Opens (and reopens) the serial port of one reader address; owns the sim:// simulator."""

    address: ReaderAddress
    simulator: SimulatedReader | None = None
    server: PtyServer | TcpServer | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.address.simulated and self.simulator is None:
            try:
                self.simulator = SimulatedReader(
                    self.address.cards, self.address.baudrate, self.address.hold_seconds
                )
            except CardFileError as exc:
                raise ReaderUrlError(f"{self.address.url}: {exc}") from None

    @classmethod
    def for_url(cls, url: str) -> PortOpener:
        return cls(parse_reader_url(url))

    @property
    def url(self) -> str:
        return self.address.url

    def open(self, timeout: float = 0.05) -> serial.SerialBase:
        """Open the port (starting the simulator on first use); raise PortError when it cannot."""
        target = self.address.target
        if self.address.simulated:
            target = self._ensure_simulator()
        try:
            return serial.serial_for_url(
                target,
                baudrate=self.address.baudrate,
                timeout=timeout,
                write_timeout=DEFAULT_WRITE_TIMEOUT_SECONDS,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PortError(f"cannot open reader port {self.address.url}: {exc}") from exc

    def close(self) -> None:
        """Stop the simulator, if this opener started one."""
        if self.server is not None:
            self.server.stop()
            self.server = None

    def _ensure_simulator(self) -> str:
        assert self.simulator is not None
        if self.server is None:
            if hasattr(os, "openpty"):
                self.server = PtyServer(self.simulator, pacing=self.address.pacing).start()
            else:  # pragma: no cover - Windows: loopback TCP instead of a pty
                self.server = TcpServer(self.simulator, pacing=self.address.pacing).start()
        return self.server.url


@dataclass
class ReaderPort:
    """An opened reader port, plus the simulator behind it for sim:// addresses."""

    port: serial.SerialBase
    simulator: SimulatedReader | None
    opener: PortOpener

    def close(self) -> None:
        self.port.close()
        self.opener.close()


def open_reader_port(url: str, timeout: float = 0.05) -> ReaderPort:
    """Open a reader address, e.g. `open_reader_port("sim://?card=adult").simulator.remove_card()`."""
    opener = PortOpener.for_url(url)
    try:
        port = opener.open(timeout)
    except BaseException:
        opener.close()
        raise
    return ReaderPort(port, opener.simulator, opener)
