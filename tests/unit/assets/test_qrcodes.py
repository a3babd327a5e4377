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


def test_a_hinted_symbol_is_the_one_segnos_search_finds() -> None:
    """Another process's choice (version, mask) given as a hint gives the very symbol segno's own search
    finds, for short and long, ASCII and CJK texts."""
    segno = qrcodes.segno()
    texts = [f"MB1:hint-{n}:" + "0123456789ABCDEF" * n for n in (1, 5, 12, 30)]
    texts.append("证书编号 铜卫公证字〔2026〕第000001号")
    for text in texts:
        found = segno.make_qr(text, error="m", boost_error=False, encoding="utf-8")
        qrcodes.hint(text, "m", "utf-8", found.version, found.mask)
        made = qrcodes.make(text, "m", "utf-8")
        assert (made.version, made.mask) == (found.version, found.mask)
        assert list(made.matrix_iter(border=4)) == list(found.matrix_iter(border=4))
        assert [text, "m", "utf-8", found.version, found.mask] in qrcodes.known()


def test_a_hint_is_what_make_encodes_with() -> None:
    """The hint is used (not searched again): a mask given is the mask made; a bad hint is refused."""
    text = "MB1:hint-used:" + "XYZ" * 20
    found = qrcodes.segno().make_qr(text, error="m", boost_error=False, encoding="utf-8")
    other = (found.mask + 1) % 8
    qrcodes.hint(text, "m", "utf-8", found.version, other)
    assert qrcodes.make(text, "m", "utf-8").mask == other
    for version, mask in ((0, 1), (41, 1), (5, 8), (5, -1)):
        try:
            qrcodes.hint(text + "!", "m", "utf-8", version, mask)
        except ValueError:
            continue
        raise AssertionError(f"hint {version}, {mask} accepted")
