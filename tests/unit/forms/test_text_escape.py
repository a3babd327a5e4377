"""forms.documents.text's escape/quoteattr are the standard library's (xml.sax.saxutils), without its
import of urllib.request (http.client, email, ssl) at the start of kiosk apply's PDF child."""

from __future__ import annotations

import subprocess
import sys
from xml.sax import saxutils

import pytest

from forms.documents.text import escape, quoteattr

SAMPLES = ["", "plain", "张伟&理发", "<b>x</b>", "a > b & c < d", 'say "hi"', "it's", "both \" and '",
           "tab\tnew\nline\rreturn", "&amp; already", "Hanazono A", '"\'<>&\n\r\t', "𠮷䶮", "\"'\""]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_same_as_saxutils(text: str) -> None:
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)


def test_the_documents_text_module_loads_no_network_stack() -> None:
    names = "('urllib.request', 'http.client', 'ssl', 'xml.sax.saxutils')"
    code = f"import sys\nimport forms.documents.text\nprint(sorted(m for m in {names} if m in sys.modules))\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]"]
