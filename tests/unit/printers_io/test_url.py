"""The printer URL parser: every scheme of the contract, options, and clear refusals."""

import pytest

from printers.errors import PrinterUrlError
from printers.url import parse_printer_url


@pytest.mark.parametrize(("text", "expected"), [
    ("tcp://192.168.1.50:9100", {"scheme": "tcp", "host": "192.168.1.50", "port": 9100}),
    ("tcp://printer.local", {"scheme": "tcp", "host": "printer.local", "port": 9100}),
    ("tcp://[::1]:9101", {"scheme": "tcp", "host": "::1", "port": 9101}),
    ("serial:///dev/ttyS1?baudrate=115200", {"scheme": "serial", "target": "/dev/ttyS1", "baudrate": 115200}),
    ("serial://COM3", {"scheme": "serial", "target": "COM3", "baudrate": 9600}),
    ("serial://loop://?baudrate=19200&rtscts=1", {"target": "loop://", "baudrate": 19200, "rtscts": True}),
    ("serial://socket://127.0.0.1:7000", {"target": "socket://127.0.0.1:7000"}),
    ("usb://0x0416:0x5011", {"scheme": "usb", "vendor_id": 0x0416, "product_id": 0x5011}),
    ("file:///dev/usb/lp0", {"scheme": "file", "target": "/dev/usb/lp0"}),
    ("cups://receipt", {"scheme": "cups", "target": "receipt"}),
    ("sim://", {"scheme": "sim", "target": ""}),
    ("sim://?width=384&mode=raster&profile=generic-58",
     {"scheme": "sim", "width": 384, "mode": "raster", "profile": "generic-58"}),
    ("tcp://10.0.0.9:9100?profile=xp-80&width=576&mode=text&timeout=2.5",
     {"profile": "xp-80", "width": 576, "mode": "text", "timeout": 2.5}),
    ("TCP://h:1", {"scheme": "tcp", "host": "h", "port": 1}),
])
def test_parses_contract_forms(text, expected):
    url = parse_printer_url(text)
    for name, value in expected.items():
        assert getattr(url, name) == value, name
    assert str(url) == text


@pytest.mark.parametrize(("text", "words"), [
    ("lpt1", "not a printer URL"),
    ("http://x", "not a printer URL"),
    ("tcp://", "needs a host"),
    ("tcp://h:0", "not a port number"),
    ("tcp://h:70000", "not a port number"),
    ("tcp://h:abc", "not a port number"),
    ("tcp://h?colour=red", "unknown printer URL option 'colour'"),
    ("tcp://h?baudrate=9600", "unknown printer URL option 'baudrate'"),
    ("serial://", "needs a port"),
    ("serial:///dev/ttyS0?baudrate=fast", "not a whole number"),
    ("serial:///dev/ttyS0?rtscts=maybe", "must be 0 or 1"),
    ("usb://0416", "VENDOR:PRODUCT"),
    ("usb://xx:yy", "not numbers"),
    ("usb://0x10000:1", "16-bit"),
    ("file://relative/path", "absolute path"),
    ("cups://", "queue name"),
    ("sim://?mode=colour", "mode='colour'"),
    ("sim://?width=-5", "must be positive"),
    ("sim://?timeout=0", "must be positive"),
    ("sim://?profile=", "empty"),
])
def test_refuses_with_a_clear_message(text, words):
    with pytest.raises(PrinterUrlError, match=words.replace("(", r"\(").replace("?", r"\?")):
        parse_printer_url(text)
