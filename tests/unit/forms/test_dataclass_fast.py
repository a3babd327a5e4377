"""forms.dataclass_fast: every dataclass of the project, made by its memoized helpers, is the class stock
`dataclasses` makes (issue 17).

Three fresh processes import every module of kiosk/, forms/, printers/, idreader/ and assets/ that mentions
a dataclass, within `cached_dataclass_code`: stock (`fast=False`), then the fast path with an empty cache
(each helper's key is new: the stock helper runs and is recorded), then with the cache it wrote (every
method made from the recorded code, no stock helper run). Each describes every class `_process_class`
returned while the block was active: its fields (each attribute of each Field), params, __match_args__,
__doc__, its __dict__ (names in order, values described), every function in it (qualname, module,
globals, code objects attribute by attribute, defaults, keyword defaults, annotations, closure contents,
the wrapped function of __repr__), and how an instance behaves (construction with made-up values, repr,
==, hash, replace, order, setting and deleting a field). The descriptions must be equal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PACKAGES = ("kiosk", "forms", "printers", "idreader", "assets")


def dataclass_modules() -> list[str]:
    """Every module of PACKAGES whose source mentions `dataclass` (what may define one)."""
    found = []
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            if path.name == "__main__.py" or "dataclass" not in path.read_text(encoding="utf-8"):
                continue
            parts = path.relative_to(REPO).with_suffix("").parts
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


#: Besides the project's modules: one with every option that changes what `_process_class` does.
EXOTIC = textwrap.dedent('''
    from __future__ import annotations
    import dataclasses
    import typing
    from dataclasses import KW_ONLY, InitVar, dataclass, field
    from typing import ClassVar

    @dataclass(order=True, unsafe_hash=True)
    class Ordered:
        number: int
        names: list[str] = field(default_factory=list, compare=False, hash=False)
        label: ClassVar[str] = "row"
        secret: str = field(default="", repr=False, hash=True, metadata={"m": 1})

    @dataclass(slots=True, frozen=True)
    class Slotted:
        a: int
        b: str = "b"
        c: int = field(default=3, init=False)

    @dataclass(slots=True, weakref_slot=True)
    class WeakSlotted:
        a: int = 0

    @dataclass
    class WithInitVar:
        self: int
        scale: InitVar[int] = 2
        total: int = field(init=False, default=0)
        made: list = field(init=False, default_factory=list)
        tag: dataclasses.InitVar[str] = "t"
        kind: typing.ClassVar[int] = 1

        def __post_init__(self, scale, tag):
            self.total = self.self * scale

    @dataclass(frozen=True)
    class Marker:
        a: int
        _: KW_ONLY
        b: int = 1
        c: list = field(default_factory=list)

    @dataclass(kw_only=True, eq=False, match_args=False)
    class KeywordsOnly:
        a: int
        b: int = field(default=2, kw_only=False)

    @dataclass(frozen=True)
    class Base:
        a: int
        b: str = "b"

    @dataclass(frozen=True)
    class Derived(Base):
        a: int = 5
        c: tuple = ()

        def __repr__(self):
            return "mine"

    @dataclass(repr=False, init=False)
    class Own:
        a: int = 0

        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    @dataclass
    class NoDoc:
        a: int = 0

    NoDoc.__doc__  # (dataclasses wrote one from the signature)

    @dataclass(eq=True)
    class EqNoHash:
        a: int = 0

        def __eq__(self, other):
            return False

    # twins: the same field names, one thing apart each (each one's methods differ from the first's)
    @dataclass
    class Twin1:
        p: int
        q: int = 0

    @dataclass
    class Twin2:
        p: int
        q: int = field(default=0, init=False)

    @dataclass
    class Twin3:
        p: int
        q: list = field(default_factory=list)

    @dataclass
    class Twin4:
        p: int
        q: int = field(default=0, kw_only=True)

    @dataclass
    class Twin5:
        p: int
        q: InitVar[int] = 0

    @dataclass(frozen=True)
    class Twin6:
        p: int
        q: int = 0

    @dataclass
    class Twin7:
        p: int
        q: int = 0

        def __post_init__(self):
            pass

    @dataclass(slots=True)
    class Twin8:
        p: int
        q: int = field(default=0, init=False)

    @dataclass
    class Twin9:
        p: int
        q: list = field(default_factory=list, init=False)

    @dataclass(order=True)
    class Twin10:
        p: int
        q: int = field(default=0, compare=False)

    @dataclass
    class Twin12:
        p: int
        q: int

    @dataclass(unsafe_hash=True)
    class Twin11:
        p: int
        q: int = field(default=0, hash=False)

    Made = dataclasses.make_dataclass("Made", [("x", int), ("y", "str", field(default="y"))], frozen=True)
''')

#: Run in a fresh process: argv = cache folder, "fast" or "stock", modules (JSON); prints the description.
DESCRIBE = textwrap.dedent(r'''
    import dataclasses, importlib, json, re, sys, types
    from pathlib import Path

    folder, mode, modules = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
    made = []
    stock_process_class = dataclasses._process_class

    def recording(cls, *args):
        result = stock_process_class(cls, *args)
        if "exec" in vars(dataclasses):  # within the block
            made.append(result)
        return result

    dataclasses._process_class = recording
    from forms.dataclass_code import cached_dataclass_code

    with cached_dataclass_code(folder, fast=mode == "fast") as cache:
        for name in modules:
            importlib.import_module(name)
    dataclasses._process_class = stock_process_class

    ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
    CODE_ATTRIBUTES = ("co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_nlocals", "co_stacksize",
                       "co_flags", "co_code", "co_names", "co_varnames", "co_freevars", "co_cellvars",
                       "co_filename", "co_name", "co_qualname", "co_firstlineno", "co_linetable",
                       "co_exceptiontable")

    def text(value):
        try:
            return ADDRESS.sub("0x?", repr(value))
        except Exception as exc:
            return f"repr raised {type(exc).__name__}"

    def describe(value, cls, depth=0):
        if depth > 4:
            return "deep"
        if value is cls:
            return "the class"
        if value is dataclasses.MISSING:
            return "MISSING"
        if value is dataclasses._HAS_DEFAULT_FACTORY:
            return "_HAS_DEFAULT_FACTORY"
        if isinstance(value, types.CodeType):
            described = {name: text(getattr(value, name)) for name in CODE_ATTRIBUTES}
            described["co_consts"] = [describe(const, cls, depth + 1) for const in value.co_consts]
            return described
        if isinstance(value, types.FunctionType):
            return describe_function(value, cls, depth)
        if isinstance(value, type):
            return f"type {value.__module__}.{value.__qualname__}"
        if isinstance(value, (dict, types.MappingProxyType)):
            return {"mapping": type(value).__name__,
                    "items": [[text(k), describe(v, cls, depth + 1)] for k, v in value.items()]}
        return f"{type(value).__module__}.{type(value).__qualname__}: {text(value)}"

    def describe_function(function, cls, depth):
        module = sys.modules.get(function.__module__)
        return {
            "qualname": function.__qualname__, "name": function.__name__, "module": function.__module__,
            "doc": function.__doc__,
            "globals": ("its module's" if module is not None and function.__globals__ is vars(module)
                        else sorted(function.__globals__)[:20]),
            "code": describe(function.__code__, cls, depth + 1),
            "defaults": None if function.__defaults__ is None
                        else [describe(v, cls, depth + 1) for v in function.__defaults__],
            "kwdefaults": None if function.__kwdefaults__ is None
                          else describe(function.__kwdefaults__, cls, depth + 1),
            "annotations": describe(function.__annotations__, cls, depth + 1),
            "closure": None if function.__closure__ is None else [
                [type(cell).__name__, describe(cell.cell_contents, cls, depth + 1)]
                for cell in function.__closure__],
            "dict": describe(vars(function), cls, depth + 1),
        }

    def describe_field(field, cls):
        inherited = [base for base in cls.__mro__[1:] if field.name in vars(base).get("__dataclass_fields__", {})]
        return {
            "name": field.name, "type": describe(field.type, cls), "default": describe(field.default, cls),
            "default_factory": describe(field.default_factory, cls), "init": field.init, "repr": field.repr,
            "hash": field.hash, "compare": field.compare, "metadata": describe(field.metadata, cls),
            "kw_only": describe(field.kw_only, cls), "_field_type": repr(field._field_type),
            "the base's Field": bool(inherited) and vars(inherited[0])["__dataclass_fields__"][field.name] is field,
        }

    def outcome(call):
        try:
            return ["ok", describe(call(), None)]
        except Exception as exc:
            return [type(exc).__qualname__, text(str(exc))]

    def behaviour(cls):
        fields = vars(cls)["__dataclass_fields__"].values()
        required = {f.name: f"v-{f.name}" for f in fields if f.init and f._field_type is not dataclasses._FIELD_CLASSVAR
                    and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
        seen = {}
        try:
            instance = cls(**required)
        except Exception as exc:
            return {"init": [type(exc).__qualname__, text(str(exc))]}
        seen["repr"] = outcome(lambda: repr(instance))
        seen["copy"] = outcome(lambda: dataclasses.replace(instance))
        seen["== copy"] = outcome(lambda: instance == dataclasses.replace(instance))
        seen["== other"] = outcome(lambda: instance == object())
        # (hash values change with every process: None's, an object's; how they are made does not)
        hashed = [f.name for f in dataclasses.fields(cls) if (f.compare if f.hash is None else f.hash)]
        seen["hash of the fields"] = outcome(lambda: hash(instance) == hash(tuple(getattr(instance, name)
                                                                                  for name in hashed)))
        seen["hash of the object"] = outcome(lambda: hash(instance) == object.__hash__(instance))
        seen["<"] = outcome(lambda: instance < instance)
        seen["asdict"] = outcome(lambda: dataclasses.asdict(instance))
        real = [f.name for f in dataclasses.fields(cls)]
        if real:
            seen["set"] = outcome(lambda: setattr(instance, real[0], "changed"))
            seen["del"] = outcome(lambda: delattr(instance, real[0]))
        seen["set other"] = outcome(lambda: setattr(instance, "not_a_field", 1))
        return seen

    classes = []
    for cls in made:
        namespace = vars(cls)
        classes.append({
            "class": f"{cls.__module__}.{cls.__qualname__}",
            "fields": [describe_field(f, cls) for f in namespace["__dataclass_fields__"].values()],
            "field names": list(namespace["__dataclass_fields__"]),
            "params": repr(namespace["__dataclass_params__"]),
            "match_args": describe(namespace.get("__match_args__", "none"), cls),
            "doc": cls.__doc__,
            "dict": [[name, describe(value, cls)] for name, value in namespace.items()],
            "behaviour": behaviour(cls),
        })
    print(json.dumps({"classes": classes, "compiled": cache.compiled, "added": cache.added,
                      "served": cache.served, "missed": cache.missed}))
''')


def describe_classes(folder: Path, mode: str, modules: list[str]) -> dict:
    (folder / "dataclass_fast_exotic.py").write_text(EXOTIC, encoding="utf-8")
    path = os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONHASHSEED": "0", "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", DESCRIBE, str(folder), mode, json.dumps(modules)],
                          capture_output=True, text=True, cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def differences(expected: list[dict], got: list[dict]) -> list[str]:
    """Where two runs' descriptions differ, class by class and key by key (empty when equal)."""
    found = [f"{len(expected)} classes != {len(got)}"] if len(expected) != len(got) else []
    for want, have in zip(expected, got, strict=False):
        for key in want.keys() | have.keys():
            if want.get(key) != have.get(key):
                found.append(f"{want['class']}: {key}: {json.dumps(want.get(key))[:300]} != "
                             f"{json.dumps(have.get(key))[:300]}")
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, dict]:
    modules = [*dataclass_modules(), "dataclass_fast_exotic"]
    folder = tmp_path_factory.mktemp("dataclass-cache")
    return {"stock": describe_classes(folder, "stock", modules),  # writes the texts' code only
            "recording": describe_classes(folder, "fast", modules),  # every key new: stock helpers recorded
            "fast": describe_classes(folder, "fast", modules)}  # every method from the recorded code


def test_the_modules_make_many_kinds_of_dataclass(runs) -> None:
    classes = runs["stock"]["classes"]
    assert len(classes) >= 250
    params = "".join(c["params"] for c in classes)
    assert "frozen=True" in params and "frozen=False" in params and "order=True" in params
    described = json.dumps(classes)
    for sign in ("_FIELD_CLASSVAR", "_FIELD_INITVAR", "_HAS_DEFAULT_FACTORY", "__post_init__",
                 "\"kw_only\": \"builtins.bool: True\"", "FrozenInstanceError", "__slots__", "__weakref__",
                 "__dataclass_self__", "__lt__", "unsafe_hash=True", "match_args\": \"builtins.str: 'none'"):
        assert sign in described, sign


def test_a_new_cache_runs_the_stock_helpers_and_the_next_process_none(runs) -> None:
    assert runs["recording"]["missed"] > 500 and runs["recording"]["added"] > 400
    assert runs["fast"]["missed"] == 0 and runs["fast"]["added"] == 0 and runs["fast"]["compiled"] == 0
    assert runs["fast"]["served"] > 1000


@pytest.mark.parametrize("mode", ["recording", "fast"])
def test_every_class_is_the_one_stock_dataclasses_makes(runs, mode) -> None:
    assert differences(runs["stock"]["classes"], runs[mode]["classes"]) == []


def test_a_difference_in_any_method_is_found(runs) -> None:
    """The comparison is not blind: one generated method's default, closure or code changed is reported."""
    classes = json.loads(json.dumps(runs["stock"]["classes"]))
    frozen = next(c for c in classes if "frozen=True" in c["params"] and c["fields"])
    for name, value in frozen["dict"]:
        if name == "__setattr__":
            value["closure"][0][1] = "another class"
    found = differences(runs["stock"]["classes"], classes)
    assert len(found) == 1 and found[0].startswith(f"{frozen['class']}: dict: ")
