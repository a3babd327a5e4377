"""reportlab.platypus imported with its URL-splitting pattern compiled on first use, not at import.

`reportlab.platypus.paragraph` compiles `uri_pat` at import: Django's URL validator, case-insensitive
over Unicode ranges, ≈ 35 ms of CPU — about a quarter of importing platypus, in every process that
renders a PDF (`kiosk apply`, the kiosk's first document). reportlab uses it only to break a URL across
two lines (`_uri_split_pairs`). `import_platypus()` imports reportlab.platypus with `re.compile`
answering that one call (made by reportlab.platypus.paragraph, for a pattern starting with
`URI_PATTERN_START`) with a `LazyPattern`, which compiles the very same pattern and flags the first time
it is used; any other caller of `re.compile` meanwhile (another thread too) gets the real function.
forms.documents imports its renderers through here; a process that imported platypus before (another
path) simply keeps reportlab's own compiled pattern.
"""

from __future__ import annotations

import re
import sys
import threading
from types import ModuleType
from typing import Any

#: How reportlab's `uri_pat` begins (reportlab 4 and 5): a pattern it no longer starts with is compiled
#: at import as before.
URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
_DEFERRING_MODULE = "reportlab.platypus.paragraph"
_lock = threading.Lock()


class LazyPattern:
    """`re.compile(pattern, flags)`, compiled the first time any of its attributes is used."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)


def import_platypus() -> ModuleType:
    """`reportlab.platypus`, imported (once) with `paragraph.uri_pat` a `LazyPattern`."""
    module = sys.modules.get("reportlab.platypus")
    if module is not None:
        return module
    with _lock:
        real_compile = re.compile

        def compile_later(pattern: Any, flags: int = 0) -> Any:
            if (isinstance(pattern, str) and pattern.startswith(URI_PATTERN_START)
                    and sys._getframe(1).f_globals.get("__name__") == _DEFERRING_MODULE):
                return LazyPattern(pattern, flags)
            return real_compile(pattern, flags)

        re.compile = compile_later
        try:
            import reportlab.platypus
        finally:
            re.compile = real_compile
    return reportlab.platypus
