"""Reader address parsing (no port is opened here)."""

from __future__ import annotations

import pytest

from idreader.errors import ReaderUrlError
from idreader.ports import PortOpener, parse_reader_url


@pytest.mark.parametrize(
    ("url", "target", "baud"),
    [
        ("/dev/ttyUSB0", "/dev/ttyUSB0", 115200),
        ("COM3?baudrate=9600", "COM3", 9600),
        ("socket://127.0.0.1:7001", "socket://127.0.0.1:7001", 115200),
        ("socket://127.0.0.1:7001?baudrate=57600", "socket://127.0.0.1:7001", 57600),
        ("rfc2217://host:2217?timeout=3&baudrate=19200", "rfc2217://host:2217?timeout=3", 19200),
        ("loop://", "loop://", 115200),
    ],
)
def test_pyserial_urls(url, target, baud):
    address = parse_reader_url(url)
    assert not address.simulated
    assert (address.target, address.baudrate) == (target, baud)


def test_sim_urls():
    plain = parse_reader_url("sim://")
    assert plain.simulated and plain.cards == () and plain.hold_seconds is None
    full = parse_reader_url("sim://?card=adult&card=hmt&baudrate=9600&hold=1.5&pacing=0")
    assert full.cards == ("adult", "hmt")
    assert (full.baudrate, full.hold_seconds, full.pacing) == (9600, 1.5, False)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("", "empty"),
        ("sim://?baudrate=4800", "baudrate"),
        ("/dev/ttyS0?baudrate=fast", "baudrate"),
        ("sim://?colour=red", "unknown sim"),
        ("sim://?hold=soon", "hold"),
        ("sim:/x", "sim://"),
    ],
)
def test_bad_urls(url, why):
    with pytest.raises(ReaderUrlError, match=why):
        parse_reader_url(url)


def test_sim_opener_makes_the_simulator_before_opening():
    opener = PortOpener.for_url("sim://?card=minor")
    assert opener.simulator is not None
    assert opener.simulator.current_card.name == "张小雨"
    assert opener.server is None


def test_unknown_demo_card_in_sim_url():
    with pytest.raises(ReaderUrlError, match="nobody"):
        PortOpener.for_url("sim://?card=nobody")
