"""kiosk.classcode: dataclasses built from cached code objects are the dataclasses Python builds, the code
is kept across processes, and a missing or corrupt cache file only costs the compiling (issue 17)."""

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from forms import compiled
from kiosk import classcode


def _build(frozen: bool) -> type:
    @dataclasses.dataclass(frozen=frozen, order=True)
    class Point:
        x: int
        y: "list[str]" = dataclasses.field(default_factory=list)
        label: str = "p"

    return Point


def _without_hook() -> type:
    hook = vars(dataclasses).pop("exec")
    try:
        return _build(True)
    finally:
        dataclasses.exec = hook  # type: ignore[attr-defined]


def test_the_kiosk_installs_the_hook() -> None:
    import kiosk  # noqa: F401 - installs it

    assert vars(dataclasses).get("exec") is classcode._exec


@pytest.mark.parametrize("frozen", [True, False])
def test_a_class_from_cached_code_is_the_class_python_builds(frozen: bool) -> None:
    classcode.install()
    cached = _build(frozen)
    cached_again = _build(frozen)  # the second time from the process's code objects
    plain = _without_hook() if frozen else None
    for cls in (cached, cached_again):
        a, b = cls(1, ["x"]), cls(1, ["x"])
        assert a == b and a < cls(2) and repr(a) == "_build.<locals>.Point(x=1, y=['x'], label='p')"
        if frozen:
            with pytest.raises(dataclasses.FrozenInstanceError):
                a.x = 3
        assert cls.__init__.__annotations__ == {"x": int, "y": "list[str]", "label": str, "return": None}
    if plain is not None:
        for name in ("__init__", "__repr__", "__eq__", "__lt__", "__setattr__", "__hash__"):
            ours, python = getattr(cached, name).__code__, getattr(plain, name).__code__
            assert (ours.co_code, ours.co_flags, ours.co_varnames, ours.co_filename) == (
                python.co_code, python.co_flags, python.co_varnames, python.co_filename), name


PROBE = """
import sys
import kiosk  # installs the hook and reads the cache
import kiosk.session.events  # 35 dataclasses
from kiosk import classcode
print(len(classcode._new), len(classcode._stored))
"""


def test_the_code_is_kept_for_the_next_process_and_a_corrupt_file_is_rebuilt(tmp_path: Path) -> None:
    env = {**os.environ, compiled.CACHE_ENV: str(tmp_path)}

    def run() -> tuple[int, int]:
        out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
        new, stored = out.stdout.split()
        return int(new), int(stored)

    new, stored = run()
    assert new >= 100 and stored == 0  # cold: every method compiled, then written at exit
    cache_file = tmp_path / classcode.CACHE_NAME
    assert cache_file.is_file()
    assert run() == (0, new)  # warm: nothing compiled, nothing rewritten
    cache_file.write_bytes(cache_file.read_bytes()[:1000])  # truncated: ignored, compiled, rewritten
    assert run() == (new, 0)
    assert run() == (0, new)


HOOK_PROBE = """
import sys
import kiosk
before = "dataclasses" in sys.modules
import dataclasses
print(before, dataclasses.exec.__module__, any(type(f).__name__ == "_PatchOnImport" for f in sys.meta_path))
"""


def test_installing_imports_nothing_and_patches_dataclasses_when_it_is_imported() -> None:
    result = subprocess.run([sys.executable, "-c", HOOK_PROBE], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "kiosk.classcode", "False"]
