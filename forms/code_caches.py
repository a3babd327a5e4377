"""The caches of generated code a process enters while its modules load: the methods `dataclasses` writes
(forms.dataclass_code) and the engine code `re` compiles patterns to (forms.regex_code), each taken from a
file of the compiled cache folder instead of being made again (issue 17).

One pair of files per kind of process, since processes of different kinds run at the same time and each
writes its whole file: `kiosk apply` ("", the default), its PDF child ("documents"), the touchscreen's
loader thread ("window").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from forms.dataclass_code import cached_dataclass_code
from forms.regex_code import cached_regex_code


def dataclass_cache_name(kind: str = "") -> str:
    return f"dataclass-code{_suffix(kind)}.pickle"


def regex_cache_name(kind: str = "") -> str:
    return f"regex-code{_suffix(kind)}.pickle"


def _suffix(kind: str) -> str:
    return f"-{kind}" if kind else ""


@contextlib.contextmanager
def cached_code(kind: str = "") -> Iterator[None]:
    """Dataclasses made and patterns compiled within the block come from the caches of process `kind`."""
    with cached_dataclass_code(name=dataclass_cache_name(kind)), cached_regex_code(regex_cache_name(kind)):
        yield
