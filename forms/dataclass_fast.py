"""Dataclasses made without writing their methods' source text again: `dataclasses`' text-building
helpers, memoized by exactly what their text depends on (issue 17).

forms.dataclass_code already took the code *compiled* from each method's text from a cache; a class still
cost ≈ 0.27 ms in `dataclasses._process_class`, mostly writing those texts (`_init_fn` / `_field_init` /
`_repr_fn` / `_frozen_get_del_attr` / `_cmp_fn` / `_hash_fn`: joins and f-strings, then `_create_fn`'s
`exec` and `__create_fn__` call), unmarshalling three code objects per text, and the regular expression
`_is_type` matches each string annotation against up to three times (KW_ONLY, ClassVar, InitVar). Within
`cached_dataclass_code()` those module functions of `dataclasses` are replaced by the ones here:

- each helper computes a small key of what its text depends on (the field names; per field of `__init__`
  whether it has a default, a factory, init, is an InitVar; which are positional and which keyword-only,
  frozen, __post_init__, the self name, slots; for the comparisons the tuple texts `_process_class`
  passes) and finds under it the code of the function(s) the stock helper's text defined the first time
  (recorded from its `exec` calls, kept in the cache file). It then makes the function as
  `__create_fn__(**locals)` would: `FunctionType(code, module globals)` with the same defaults, keyword
  defaults, annotations (the field types, `return: None`) and closure cells (`cls`, the factories,
  `_HAS_DEFAULT_FACTORY`, ...) that its MAKE_FUNCTION gets. `_repr_fn` wraps it in `_recursive_repr`.
- a key not seen yet runs the stock helper (its texts recorded as it runs); so does anything unexpected
  (a code whose free variables these locals lack, globals without `__builtins__`).
- `_is_type` is stock's, line by line, with the regular expression's match of each annotation string
  memoized (it depends on the string only).

Threads (the touchscreen's loader thread makes classes while the Qt thread may too): the helpers are
replaced and restored under forms.dataclass_code's lock, as `exec` is; what the stock helper runs is
recorded per thread; the caches are dicts whose entries, made twice at worst, are equal.

`_process_class` itself is stock: the fields, their validation and errors, the order in which attributes
are set, `__doc__`, `__match_args__`, slots, `abc.update_abstractmethods`: everything outside these
helpers is unchanged, for every option (slots, order, InitVar, KW_ONLY...). The key of the cache file
includes a digest of the `dataclasses` source and of this module (forms.dataclass_code.cache_key), so
another `dataclasses` never sees these entries. tests/unit/forms/test_dataclass_fast.py compares every
dataclass of the project (and a module of odd ones) made stock and fast, in fresh processes: fields,
params, __dict__ order, each method's code, defaults, annotations, closure, behaviour.

Measured (2 shared cores, warm caches, runs interleaved with the code before): in the parent of a real
`python -m kiosk apply` (151 classes) the time inside `_process_class` is 33.8 -> 19.6 ms median (11 runs;
43.8 -> 25.4 ms with the machine busier), opening the cache 3.8 -> 6.5 ms (the functions' code
unmarshalled at once; the texts' file, no longer read, was the 3.8). The whole command gains less than
that, within the noise of bench/bench_apply.py --cli (31 paired rounds: wall -8 and -17 ms median,
CPU -6 and -22 ms): the parent then waits for its PDF child (~55 ms) a little sooner.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections.abc import Callable
from types import CellType, CodeType, FunctionType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.dataclass_code import CodeCache

#: The Pythons whose `dataclasses` helpers these replace (their signatures, what their texts depend on:
#: 3.13 writes its methods with a _FuncBuilder instead). On another, the block caches the texts' code only.
SUPPORTED = {(3, 11)}
#: The functions of `dataclasses` replaced within the block (module globals `_process_class` calls).
HELPERS = ("_init_fn", "_repr_fn", "_cmp_fn", "_frozen_get_del_attr", "_hash_fn", "_is_type")
#: Memoized regular expression matches of annotation strings kept at most.
MAX_MATCHES = 20000

_recording = threading.local()  # .texts: the list the `exec` of the current stock helper appends to
_matches: dict[str, tuple[str | None, str] | None] = {}


def record(text: str) -> None:
    """Called by the code cache's `exec` with every text `dataclasses` runs."""
    texts = getattr(_recording, "texts", None)
    if texts is not None:
        texts.append(text)


class Helpers:
    """The replacements, bound to one code cache (its `made`: key -> the code of each function)."""

    def __init__(self, cache: CodeCache, stock: dict[str, Callable[..., Any]]) -> None:
        self.cache = cache
        self.stock = stock

    def installed(self) -> dict[str, Callable[..., Any]]:
        return {"_init_fn": self.init_fn, "_repr_fn": self.repr_fn, "_cmp_fn": self.cmp_fn,
                "_frozen_get_del_attr": self.frozen_get_del_attr, "_hash_fn": self.hash_fn,
                "_is_type": is_type}

    # -- the shared part: the functions' code by key, or the stock helper recorded

    def _stock(self, name: str, key: tuple, count: int, *args: Any) -> Any:
        self.cache.missed += 1
        outer = getattr(_recording, "texts", None)
        _recording.texts = texts = []
        try:
            result = self.stock[name](*args)
        finally:
            _recording.texts = outer
        if len(texts) == count:
            self.cache.remember(key, tuple(texts))
        return result

    # -- the helpers, with the signatures of dataclasses'

    def init_fn(self, fields: list, std_fields: tuple, kw_only_fields: tuple, frozen: Any,
                has_post_init: Any, self_name: str, globals: dict[str, Any], slots: Any) -> Any:
        missing = dataclasses.MISSING
        initvar = dataclasses._FIELD_INITVAR
        key = ("__init__",
               tuple((f.name, f.default is not missing, f.default_factory is not missing, bool(f.init),
                      f._field_type is initvar) for f in fields),
               tuple(f.name for f in std_fields), tuple(f.name for f in kw_only_fields),
               bool(frozen), bool(has_post_init), self_name, bool(slots))
        codes = self.cache.functions(key, 1) if "__builtins__" in globals else None
        if codes is not None:
            # the locals `_init_fn` and `_field_init` give `_create_fn`
            factory_marker = dataclasses._HAS_DEFAULT_FACTORY
            locals = {"_HAS_DEFAULT_FACTORY": factory_marker, "__dataclass_builtins_object__": object}
            for f in fields:
                if f.default_factory is not missing:
                    locals[f"_dflt_{f.name}"] = f.default_factory
                elif f.default is not missing and (f.init or slots):
                    locals[f"_dflt_{f.name}"] = f.default
            # what `def __init__(self, a:_type_a, b:_type_b=_dflt_b, *, c:_type_c=_HAS_DEFAULT_FACTORY)
            # ->_return_type` makes of them (`_init_param`: `_dflt_` when there is a default, else the marker)
            try:
                defaults = tuple(locals[f"_dflt_{f.name}"] if f.default is not missing else factory_marker
                                 for f in std_fields
                                 if f.default is not missing or f.default_factory is not missing)
                kwdefaults = {f.name: locals[f"_dflt_{f.name}"] if f.default is not missing else factory_marker
                              for f in kw_only_fields
                              if f.default is not missing or f.default_factory is not missing}
                annotations = {f.name: f.type for f in std_fields}
                annotations.update({f.name: f.type for f in kw_only_fields})
                annotations["return"] = None
                return function(codes[0], globals, locals, defaults or None, kwdefaults or None, annotations)
            except KeyError:  # not made as recorded (never seen): what stock makes instead
                pass
        return self._stock("_init_fn", key, 1, fields, std_fields, kw_only_fields, frozen, has_post_init,
                           self_name, globals, slots)

    def repr_fn(self, fields: list, globals: dict[str, Any]) -> Any:
        key = ("__repr__", tuple(f.name for f in fields))
        codes = self.cache.functions(key, 1) if "__builtins__" in globals else None
        if codes is not None and not codes[0].co_freevars:
            return dataclasses._recursive_repr(function(codes[0], globals, {}))
        return self._stock("_repr_fn", key, 1, fields, globals)

    def cmp_fn(self, name: str, op: str, self_tuple: str, other_tuple: str, globals: dict[str, Any]) -> Any:
        key = ("cmp", name, op, self_tuple, other_tuple)
        codes = self.cache.functions(key, 1) if "__builtins__" in globals else None
        if codes is not None and not codes[0].co_freevars:
            return function(codes[0], globals, {})
        return self._stock("_cmp_fn", key, 1, name, op, self_tuple, other_tuple, globals)

    def frozen_get_del_attr(self, cls: type, fields: list, globals: dict[str, Any]) -> Any:
        key = ("frozen", tuple(f.name for f in fields))
        codes = self.cache.functions(key, 2) if "__builtins__" in globals else None
        if codes is not None:
            locals = {"cls": cls, "FrozenInstanceError": dataclasses.FrozenInstanceError}
            try:
                return (function(codes[0], globals, locals), function(codes[1], globals, locals))
            except KeyError:  # not made as recorded (never seen): what stock makes instead
                pass
        return self._stock("_frozen_get_del_attr", key, 2, cls, fields, globals)

    def hash_fn(self, fields: list, globals: dict[str, Any]) -> Any:
        key = ("__hash__", tuple(f.name for f in fields))
        codes = self.cache.functions(key, 1) if "__builtins__" in globals else None
        if codes is not None and not codes[0].co_freevars:
            return function(codes[0], globals, {})
        return self._stock("_hash_fn", key, 1, fields, globals)


def function(code: CodeType, globals: dict[str, Any], locals: dict[str, Any], defaults: tuple | None = None,
             kwdefaults: dict[str, Any] | None = None, annotations: dict[str, Any] | None = None) -> Any:
    """What `__create_fn__(**locals)` returns for the function whose code is `code`: its MAKE_FUNCTION
    with these defaults, keyword defaults, annotations, and a cell for each of its free variables (a
    local of `__create_fn__`: KeyError when `locals` lacks one)."""
    freevars = code.co_freevars
    made = FunctionType(code, globals, None, defaults,
                        tuple([CellType(locals[name]) for name in freevars]) if freevars else None)
    if kwdefaults is not None:
        made.__kwdefaults__ = kwdefaults
    if annotations is not None:
        made.__annotations__ = annotations
    return made


def inner_code(module_code: CodeType) -> CodeType | None:
    """The code of the function a `def __create_fn__(...): def NAME(...): ... return NAME` text defines
    inside `__create_fn__`; None if the text is not made so."""
    create = [const for const in module_code.co_consts if isinstance(const, CodeType)]
    if len(create) != 1 or create[0].co_name != "__create_fn__":
        return None
    inner = [const for const in create[0].co_consts if isinstance(const, CodeType)]
    return inner[0] if len(inner) == 1 else None


def is_type(annotation: str, cls: type, a_module: Any, a_type: Any, is_type_predicate: Any) -> bool:
    """`dataclasses._is_type`, the match of `annotation` memoized (the rest as stock, line by line)."""
    groups = _matches.get(annotation, False)
    if groups is False:
        match = dataclasses._MODULE_IDENTIFIER_RE.match(annotation)
        groups = (match.group(1), match.group(2)) if match else None
        if len(_matches) < MAX_MATCHES:
            _matches[annotation] = groups
    if groups:
        ns = None
        module_name = groups[0]
        if not module_name:
            ns = sys.modules.get(cls.__module__).__dict__
        else:
            module = sys.modules.get(cls.__module__)
            if module and module.__dict__.get(module_name) is a_module:
                ns = sys.modules.get(a_type.__module__).__dict__
        if ns and is_type_predicate(ns.get(groups[1]), a_module):
            return True
    return False


def install(cache: CodeCache) -> Callable[[], None] | None:
    """Replace the helpers in `dataclasses` by those bound to `cache`; returns what to call to restore
    them (None when this `dataclasses` lacks one of them: nothing replaced)."""
    module = vars(dataclasses)
    if sys.version_info[:2] not in SUPPORTED or not all(callable(module.get(name)) for name in HELPERS):
        return None
    stock = {name: module[name] for name in HELPERS}
    ours = Helpers(cache, stock).installed()
    module.update(ours)

    def restore() -> None:
        for name, function in ours.items():
            if module.get(name) is function:
                module[name] = stock[name]

    return restore
