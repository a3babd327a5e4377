"""reportlab.platypus is imported with its URL pattern compiled on first use (issue 17): the same pattern,
the same splits, and re.compile left as it was."""

from __future__ import annotations

import json
import re
import subprocess
import sys

PROBE = """
import json, re, sys
real = re.compile
from forms.documents.platypus_import import LazyPattern, import_platypus
import_platypus()
paragraph = sys.modules["reportlab.platypus.paragraph"]
lazy = isinstance(paragraph.uri_pat, LazyPattern)
before = paragraph.uri_pat._compiled is None
pattern, flags = paragraph.uri_pat._args
splits = [list(paragraph._uri_split_pairs(u) or []) for u in sys.argv[1:]]
print(json.dumps({"lazy": lazy, "untouched": before, "restored": re.compile is real, "pattern": pattern,
                  "flags": flags, "splits": splits, "compiled": type(paragraph.uri_pat._compiled).__name__}))
"""
URIS = ["https://example.com/a/b/c", "http://[::1]:8080/x", "not a uri", "ftp://用户@例子.中国/路径/"]


def test_the_url_pattern_is_reportlabs_and_splits_the_same() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE, *URIS], capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout)
    assert seen["lazy"] and seen["untouched"] and seen["restored"]
    assert seen["compiled"] == "Pattern"  # compiled by the first use
    real = re.compile(seen["pattern"], seen["flags"])
    assert seen["flags"] & re.IGNORECASE
    for uri, splits in zip(URIS, seen["splits"], strict=True):
        assert bool(splits) == bool(real.match(uri))
    assert seen["splits"][0][0] == ["https://example.com/a/b/", "c"]
