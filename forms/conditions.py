"""Conditions (rules, show_if, material `when`): rule-engine expressions, evaluated as Python translated
from them, with no `eval`.

A condition is a rule-engine expression over the review symbols (see `forms.context`): the answers by
field key plus `today`, `applicant_age`, `card_*`, `hall_*` and `reg_*` facts. `compile_condition(text)`
gives a `Condition` (cached by text for the life of the process): its text, the names it reads (so a
rule can be skipped while a field it needs is still empty, and `kiosk services check` can reject unknown
names) and `holds(symbols)`.

rule-engine stays the parser and the reference, but is not needed at run time (issue 17: importing it
and parsing cost `kiosk apply` ~50 ms of CPU). The first time a text is seen, rule-engine parses it
(through `forms.ruletables`, which keeps its parser tables cached), reports the names it reads, and
`forms.condition_code` translates its syntax tree into a small Python function that evaluates it with
rule-engine's semantics (`forms.condition_runtime`); the source is compiled with `compile()`. Names,
source and code object are kept in the compiled cache (forms.compiled, file `conditions.pickle`), one
entry per condition text, the file keyed by rule-engine's version and the translator's and runtime's
source (and Python's version: the code objects are marshalled), so a process that finds its texts there
never imports rule-engine. A text that does not parse is never cached and raises ConditionError each time.

Nothing that used to work is refused: a condition using a construct the translator does not know is
evaluated by a rule-engine `Rule` (logged once at info), and so is one evaluation whose symbols hold a
kind of value the runtime does not restate (a datetime, a dict ...). `Condition.rule`, the rule-engine
`Rule`, is built on first use only.
"""

from __future__ import annotations

import functools
import logging
import marshal
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forms.condition_runtime import NAMESPACE, EvaluationFailed, UnsupportedValue
from forms.errors import ConditionError

if TYPE_CHECKING:
    import rule_engine

CACHE_NAME = "conditions.pickle"
#: The cache entries' format; the translator's own version is the sha256 of its and the runtime's source.
FORMAT_VERSION = 1
#: Beyond this many texts, a write keeps only those this process used (specs edited in development).
MAX_ENTRIES = 4096
_log = logging.getLogger(__name__)
_LOCK = threading.RLock()


class Condition:
    """A compiled condition: its text, the names it reads, and `holds`."""

    __slots__ = ("_function", "_rule", "names", "source", "text")

    def __init__(self, text: str, names: frozenset[str], function: Callable[[Mapping[str, Any]], Any] | None,
                 source: str | None = None, rule: rule_engine.Rule | None = None) -> None:
        self.text = text
        self.names = names
        self.source = source  # the translated Python source; None when rule-engine evaluates it
        self._function = function
        self._rule = rule

    def __repr__(self) -> str:
        how = "translated" if self._function is not None else "rule-engine"
        return f"Condition({self.text!r}, names={sorted(self.names)!r}, {how})"

    @property
    def translated(self) -> bool:
        return self._function is not None

    @property
    def rule(self) -> rule_engine.Rule:
        """The rule-engine Rule of the text (parsed on first use: imports rule-engine)."""
        if self._rule is None:
            self._rule = _parse(self.text)[0]
        return self._rule

    def holds(self, symbols: Mapping[str, Any]) -> bool:
        """Whether the condition holds over `symbols`; ConditionError when rule-engine would raise."""
        if self._function is not None and isinstance(symbols, Mapping):
            try:
                return self.evaluate_translated(symbols)
            except UnsupportedValue as exc:
                _note_once(f"value:{self.text}", "condition %r read a %s: evaluated by rule-engine",
                           self.text, exc)
        return self.evaluate_with_rule_engine(symbols)

    def evaluate_translated(self, symbols: Mapping[str, Any]) -> bool:
        """`holds` by the translated code only: UnsupportedValue for a value it does not restate."""
        if self._function is None:
            raise UnsupportedValue("condition not translated")
        try:
            return bool(self._function(symbols))
        except EvaluationFailed as exc:
            raise ConditionError(f"condition {self.text!r} failed: {exc.message}") from exc

    def evaluate_with_rule_engine(self, symbols: Any) -> bool:
        """`holds` as rule-engine evaluates it (the fallback, and the reference the tests compare with)."""
        from forms.ruletables import import_rule_engine

        rule_engine = import_rule_engine()
        try:
            return bool(self.rule.evaluate(symbols))
        except rule_engine.EngineError as exc:
            raise ConditionError(f"condition {self.text!r} failed: {exc.message}") from exc


_noted: set[str] = set()


def _note_once(key: str, message: str, *args: Any) -> None:
    if key not in _noted:
        _noted.add(key)
        _log.info(message, *args)


def _parse(text: str) -> tuple[rule_engine.Rule, frozenset[str]]:
    """rule-engine's Rule for `text` and the names it reads; ConditionError when it does not parse."""
    from forms.ruletables import import_rule_engine

    rule_engine = import_rule_engine()
    names: set[str] = set()

    def record(name: str) -> rule_engine.DataType:
        names.add(name)
        return rule_engine.DataType.UNDEFINED

    context = rule_engine.Context(type_resolver=record, default_value=None)
    try:
        rule = rule_engine.Rule(text, context=context)
    except rule_engine.EngineError as exc:
        raise ConditionError(f"condition {text!r} does not parse: {exc.message}") from exc
    return rule, frozenset(names)


def _function(code: Any) -> Callable[[Mapping[str, Any]], Any]:
    namespace = dict(NAMESPACE)
    exec(code, namespace)  # a code object compiled from forms.condition_code's output only (never user text)
    return namespace["condition"]


def _code(text: str, source: str) -> Any:
    return compile(source, f"<condition {text!r}>", "exec", dont_inherit=True)


# -- the compiled cache -------------------------------------------------------------------------------

@functools.cache
def cache_key() -> str:
    """What the stored translations depend on: rule-engine's version (its `__init__.py`, read as a file:
    importing it is what the cache avoids), the translator's and runtime's source (read as files, the
    translator is not imported), Python's version and bytecode magic number (marshalled code objects)."""
    from importlib.util import MAGIC_NUMBER

    from forms import compiled

    rule_engine = compiled._package_file("rule_engine", "__init__.py")
    engine = compiled._digest([rule_engine] if rule_engine else [])
    code = compiled.code_version("forms.condition_code", "forms.condition_runtime")
    return f"conditions-{FORMAT_VERSION}|{engine}|{code}|{MAGIC_NUMBER.hex()}"


#: text -> (sorted names, source or None, marshalled code or None); None until first loaded
_stored: dict[str, tuple[tuple[str, ...], str | None, bytes | None]] | None = None
_cache_folder: list[Path | None] = [None]  # tests point it elsewhere; None: forms.compiled.cache_root()


def _path() -> Path:
    from forms import compiled

    return (_cache_folder[0] or compiled.cache_root()) / CACHE_NAME


def _load() -> dict[str, tuple[tuple[str, ...], str | None, bytes | None]]:
    global _stored
    if _stored is None:
        from forms import compiled

        value = compiled.read(_path(), cache_key())
        _stored = dict(value) if isinstance(value, dict) else {}
    return _stored


_pending = [0, False]  # [compile_all blocks running, entries added and not yet written]


def _save(text: str, entry: tuple[tuple[str, ...], str | None, bytes | None]) -> None:
    """Add one translation to the cache file (merged with what another process may have written since);
    within `compile_all`, once at its end."""
    _load()[text] = entry
    if _pending[0]:
        _pending[1] = True
    else:
        _write()


def _write() -> None:
    from forms import compiled

    stored = _load()
    path, key = _path(), cache_key()
    on_disk = compiled.read(path, key)
    merged = {**on_disk, **stored} if isinstance(on_disk, dict) else dict(stored)
    if len(merged) > MAX_ENTRIES:
        merged = {used: merged[used] for used in _CACHE if used in merged}
    compiled.write(path, key, merged)
    _pending[1] = False


def _from_cache(text: str) -> Condition | None:
    entry = _load().get(text)
    if entry is None:
        return None
    try:
        names, source, code = entry
        function = _function(marshal.loads(code)) if code is not None else None
    except Exception as exc:  # a damaged entry (the file's digest matched): translate it again
        _log.info("cached condition %r not used: %s", text, exc)
        return None
    if function is None:
        _note_once(f"rule:{text}", "condition %r is evaluated by rule-engine (cached: not translatable)", text)
    return Condition(text, frozenset(names), function, source)


def _translated(text: str) -> Condition:
    """Parse with rule-engine, translate, and store the result in the cache."""
    from forms.condition_code import Untranslatable, translate

    rule, names = _parse(text)
    source: str | None
    try:
        source = translate(rule.statement)
        code = _code(text, source)
        function = _function(code)
        data = marshal.dumps(code)
    except Untranslatable as exc:
        _note_once(f"rule:{text}", "condition %r is evaluated by rule-engine: the translator does not "
                   "handle %s", text, exc)
        source = function = data = None
    _save(text, (tuple(sorted(names)), source, data))
    return Condition(text, names, function, source, rule)


_CACHE: dict[str, Condition] = {}


def compile_condition(text: str) -> Condition:
    """The compiled condition for `text` (cached); ConditionError when it does not parse."""
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    with _LOCK:
        cached = _CACHE.get(text)
        if cached is None:
            cached = _from_cache(text) or _translated(text)
            _CACHE[text] = cached
    return cached


def compile_all(texts: Iterable[str]) -> dict[str, ConditionError]:
    """Compile many conditions (the catalog's, ahead of use), writing the cache once at the end rather
    than once per new text; the texts that do not parse, with their error."""
    failed: dict[str, ConditionError] = {}
    with _LOCK:
        _pending[0] += 1
    try:
        for text in texts:
            try:
                compile_condition(text)
            except ConditionError as exc:
                failed[text] = exc
    finally:
        with _LOCK:
            _pending[0] -= 1
            if not _pending[0] and _pending[1]:
                _write()
    return failed


def cached_count() -> int:
    """How many distinct conditions are compiled (for benchmarks and diagnostics)."""
    return len(_CACHE)


def forget() -> None:
    """Drop what this process compiled and loaded (tests: as if it had just started)."""
    global _stored
    with _LOCK:
        _CACHE.clear()
        _stored = None
        _noted.clear()

