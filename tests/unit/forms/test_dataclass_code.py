"""forms.dataclass_code: dataclasses made within the block are the same classes, their methods' code comes
from the cache files, and a second process compiles none of it and writes no text (forms.dataclass_fast,
whose class-by-class comparison over the whole project is tests/unit/forms/test_dataclass_fast.py); threads
making classes at once, odd field names, another Python (issue 17)."""

from __future__ import annotations

import dataclasses
import marshal
import pickle
import subprocess
import sys
import textwrap
import threading
import types

import pytest

from forms import compiled, dataclass_fast
from forms.dataclass_code import CACHE_NAME, CodeCache, cache_key, cached_dataclass_code, load, texts_name
from forms.dataclass_fast import HELPERS

#: Classes with every option that changes the generated methods (frozen, defaults, factories, order,
#: keyword-only, slots, unsafe_hash, a class variable, inheritance, a field kept out of repr/eq).
CLASSES = """
from __future__ import annotations
import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

@dataclass(frozen=True)
class Event:
    pass

@dataclass(frozen=True)
class Answer(Event):
    key: str
    value: object = field(repr=False, default=None)
    tags: tuple[str, ...] = ()

@dataclass(order=True)
class Row:
    number: int
    names: list[str] = field(default_factory=list)
    label: ClassVar[str] = "row"
    secret: str = field(default="", compare=False, repr=False)

@dataclass(kw_only=True, slots=True, unsafe_hash=True)
class Slotted:
    a: int
    b: str = "b"

@dataclass(init=False, eq=False)
class Plain:
    x: int = 0
"""


def make_classes(module_name: str = "made_here") -> dict[str, type]:
    """The CLASSES made anew, in a module of their own (dataclasses reads string annotations there)."""
    module = types.ModuleType(module_name)
    sys.modules[module.__name__] = module
    try:
        exec(compile(CLASSES, "<classes>", "exec"), vars(module))
    finally:
        del sys.modules[module.__name__]
    return {name: value for name, value in vars(module).items()
            if isinstance(value, type) and value.__module__ == module.__name__}


METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__lt__", "__ge__")


def codes(classes: dict[str, type]) -> dict[tuple[str, str], object]:
    found = {}
    for name, cls in classes.items():
        for method in METHODS:
            function = vars(cls).get(method)
            if function is not None and hasattr(function, "__code__"):
                found[(name, method)] = function.__code__
    return found


def test_the_classes_and_their_code_are_those_dataclasses_makes_without_the_cache(tmp_path) -> None:
    plain = make_classes()
    with cached_dataclass_code(tmp_path) as cache:
        cached = make_classes()
    assert cache is not None and cache.compiled > 0
    with cached_dataclass_code(tmp_path) as again:
        from_file = make_classes()
    assert again is not None and again.compiled == 0  # all read from the file this time
    expected = codes(plain)
    assert len(expected) >= 15
    for made in (cached, from_file):
        got = codes(made)
        assert got.keys() == expected.keys()
        for key, code in expected.items():
            assert got[key] == code, key
            assert (got[key].co_filename, got[key].co_name) == (code.co_filename, code.co_name)
    # and they behave the same
    answer = from_file["Answer"]("k", 1, ("t",))
    assert answer != from_file["Answer"]("k", 2, ("t",)) and answer == from_file["Answer"]("k", 1, ("t",))
    assert repr(answer) == "Answer(key='k', tags=('t',))"
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.key = "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del answer.key
    assert hash(answer) == hash(plain["Answer"]("k", 1, ("t",)))
    rows = [from_file["Row"](2), from_file["Row"](1, ["a"])]
    assert sorted(rows)[0].names == ["a"] and rows[0].names is not from_file["Row"](3).names
    assert from_file["Row"](1, secret="a") == from_file["Row"](1, secret="b")
    slotted = from_file["Slotted"](a=1)
    assert (slotted.b, hash(slotted) == hash(from_file["Slotted"](a=1))) == ("b", True)
    with pytest.raises(TypeError):
        from_file["Slotted"](1)  # keyword-only
    assert from_file["Plain"]() != from_file["Plain"]()  # eq=False: identity


def test_the_block_leaves_dataclasses_as_it_found_it(tmp_path) -> None:
    assert "exec" not in vars(dataclasses)
    stock = {name: vars(dataclasses)[name] for name in HELPERS}
    with cached_dataclass_code(tmp_path) as outer:
        assert vars(dataclasses)["exec"] == outer.exec
        assert all(vars(dataclasses)[name] is not function for name, function in stock.items())
        with cached_dataclass_code(tmp_path) as inner:
            assert inner is None  # the outer one serves
        assert vars(dataclasses)["exec"] == outer.exec
    assert "exec" not in vars(dataclasses)
    assert {name: vars(dataclasses)[name] for name in HELPERS} == stock
    with pytest.raises(RuntimeError), cached_dataclass_code(tmp_path):
        raise RuntimeError("boom")
    assert "exec" not in vars(dataclasses)
    assert {name: vars(dataclasses)[name] for name in HELPERS} == stock
    with cached_dataclass_code(tmp_path, fast=False):  # only the texts' code cached
        assert {name: vars(dataclasses)[name] for name in HELPERS} == stock


def test_other_uses_of_exec_go_to_the_builtin(tmp_path) -> None:
    cache = CodeCache()
    namespace: dict[str, object] = {}
    cache.exec(compile("x = 1", "<s>", "exec"), namespace)
    cache.exec("y = 2", namespace, None, closure=None)
    assert (namespace["x"], namespace["y"], cache.compiled) == (1, 2, 0)


def test_a_corrupt_or_stale_file_is_rebuilt(tmp_path) -> None:
    path, texts = tmp_path / CACHE_NAME, tmp_path / texts_name(CACHE_NAME)
    path.write_bytes(b"not a cache")
    texts.write_bytes(b"not a cache either")
    with cached_dataclass_code(tmp_path) as cache:
        make_classes()
    assert cache.compiled > 0 and cache.added > 0
    assert load(tmp_path).stored and load(tmp_path).made  # both written anew
    compiled.write(path, "another python", marshal.dumps(load(tmp_path).made))
    compiled.write(texts, "another python", load(tmp_path).stored)
    assert load(tmp_path).made == {} and load(tmp_path).stored == {}  # stale: not used
    stored = pickle.loads(path.read_bytes()[len(compiled.MAGIC) + 32:])
    assert stored["key"] == "another python" != cache_key()
    compiled.write(path, cache_key(), b"\xe3 not marshal")  # the right key, a blob marshal refuses
    assert load(tmp_path).made == {}


def test_a_process_whose_classes_were_all_seen_reads_no_texts(tmp_path) -> None:
    with cached_dataclass_code(tmp_path):
        make_classes()
    with cached_dataclass_code(tmp_path) as again:
        make_classes()
    assert again.missed == 0 and again.served > 15 and again._stored is None  # the texts' file not read


def test_a_second_process_compiles_no_dataclass_code(tmp_path) -> None:
    """What `kiosk apply` relies on: the classes of the session, the specs, the config and the printers,
    made in a new process, take every method's code from the file the first process wrote."""
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from forms.dataclass_code import cached_dataclass_code
        with cached_dataclass_code(Path({str(tmp_path)!r})) as cache:
            import kiosk.session, kiosk.config, forms.spec, printers.model
        print(cache.compiled, len(cache.used), cache.missed, cache.served)
    """)
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]
    first, second = ([int(n) for n in run] for run in runs)
    assert first[0] > 100 and first[1] > 100 and first[2] > 100
    # the second made every method from the code forms.dataclass_fast recorded: no text written or compiled
    assert second[:3] == [0, 0, 0] and second[3] >= first[2] + first[3]


class Name(str):
    """A field name marshal cannot write (it writes exact str only)."""


def test_a_key_marshal_cannot_write_is_left_out_of_the_file(tmp_path) -> None:
    with cached_dataclass_code(tmp_path) as cache:
        make_classes()
        odd = dataclasses.dataclass(type("Odd", (), {"__annotations__": {Name("odd_name"): "int"},
                                                     "__module__": __name__, "__doc__": "Odd."}))
    assert repr(odd(1)) == "Odd(odd_name=1)"

    def writable(key: tuple) -> bool:
        try:
            marshal.dumps(key)
        except ValueError:
            return False
        return True

    assert not all(writable(key) for key in cache.made)  # the keys naming the field (__init__, __repr__)
    assert set(load(tmp_path).made) == {key for key in cache.made if writable(key)} != set()


def test_threads_making_classes_at_once_each_get_the_stock_classes(tmp_path) -> None:
    """What a thread records while the stock helper writes its text is its own (forms.dataclass_fast):
    eight threads making the same classes at once, with empty caches, then with the one they wrote."""
    expected = codes(make_classes())
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch inside the helpers, not once per class
    try:
        for number in range(8):
            made_by_threads(tmp_path / str(number), expected)
        made_by_threads(tmp_path / "7", expected)
    finally:
        sys.setswitchinterval(switching)
    assert load(tmp_path / "7").made


def made_by_threads(folder, expected) -> None:
    barrier, made = threading.Barrier(8), []

    def make(number: int) -> None:
        barrier.wait()
        made.append(codes(make_classes(f"made_here_{number}")))

    with cached_dataclass_code(folder):
        threads = [threading.Thread(target=make, args=(number,)) for number in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(made) == 8 and all(got == expected for got in made)


def test_on_another_python_only_the_texts_code_is_cached(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(dataclass_fast, "SUPPORTED", set())
    stock = {name: vars(dataclasses)[name] for name in HELPERS}
    with cached_dataclass_code(tmp_path) as cache:
        assert {name: vars(dataclasses)[name] for name in HELPERS} == stock
        got = codes(make_classes())
    assert got == codes(make_classes()) and cache.compiled > 0 and cache.made == {}
