"""assets.qrcodes: segno without urllib/ssl until a URL is really opened, and each symbol encoded once."""

from __future__ import annotations

import subprocess
import sys

from assets import qrcodes

CHECK = """
import sys
from assets import qrcodes
segno = qrcodes.segno()
print(sorted(m for m in ("ssl", "http.client", "email.message") if m in sys.modules))
import urllib.request                                  # another module imports it the usual way
from urllib.request import Request                     # and reads from it: the real module loads
print(Request("http://example.invalid/").full_url, type(sys.modules["urllib.request"]).__name__)
print(urllib.request.urlopen.__module__, "ssl" in sys.modules)
from xml.sax.saxutils import prepare_input_source      # what saxutils needs urllib for still works
print(prepare_input_source("data:,kiosk").getByteStream().read().decode())
"""


def test_segno_comes_without_the_network_stack_which_still_loads_when_used() -> None:
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "http://example.invalid/ module", "urllib.request True", "kiosk"]


def test_a_symbol_is_encoded_once_and_is_segnos_own() -> None:
    text = "MB1:" + "0123456789ABCDEF" * 12
    first = qrcodes.make(text)
    assert qrcodes.make(text) is first
    expected = qrcodes.segno().make_qr(text, error="m", boost_error=False, encoding="utf-8")
    assert list(first.matrix_iter(border=4)) == list(expected.matrix_iter(border=4))
    assert (first.version, first.error, first.mask) == (expected.version, expected.error, expected.mask)
