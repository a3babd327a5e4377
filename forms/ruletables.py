"""rule-engine without building its parser at every start: PLY's LALR tables kept in a compiled cache.

`rule_engine` builds its PLY parser when imported (`Rule.parser = Parser()`): PLY looks for a table
module `rule_engine.parser.parsetab`, finds none (rule-engine ships none and asks PLY not to write one)
and generates the LALR tables, ~0.4 s of CPU in every process that compiles a rule. `import_rule_engine()`
puts the tables from our cache (forms.compiled, file `rule-parsetab.pickle`) in `sys.modules` under that
name before the import, so PLY reads them instead. PLY itself checks them: it uses a table module only
when its `_tabversion` and grammar signature equal those of the grammar it reflects from rule-engine's
code, and generates the tables otherwise — so a stale cache can cost time, never a wrong parse. The
cache's own key (rule-engine's version and parser source, PLY's table version) makes it rebuilt after an
upgrade; when PLY had to generate the tables (no cache, or a stale one), they are written from the
parser just built, in PLY's own table format.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import types
from pathlib import Path
from typing import Any

from assets.lazymodules import defer

TABLE_MODULE = "rule_engine.parser.parsetab"
CACHE_NAME = "rule-parsetab.pickle"
_log = logging.getLogger(__name__)
_lock = threading.Lock()


def _key() -> str:
    """What the tables depend on, found without importing rule_engine (that would build them): the
    parser's sources, PLY's, and rule-engine's own `__init__.py` (which carries its version; read as a
    file: importlib.metadata costs ≈ 20-40 ms to import)."""
    import importlib.util

    from forms.compiled import digest_files

    spec = importlib.util.find_spec("rule_engine")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("rule-engine is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    sources = [root / "__init__.py", root / "parser" / "__init__.py", root / "parser" / "base.py",
               root / "_vendor" / "ply" / "yacc.py"]
    return digest_files(sources, sys.version)


def _table_data(parser: Any, signature: str) -> dict[str, Any]:
    """PLY's table module contents for an `LRParser` just generated (yacc.LRGeneratedTable.write_table's
    format: productions as (str, name, len, func, file, line) tuples)."""
    from rule_engine._vendor.ply import yacc

    productions = []
    for production in parser.productions:
        if production.func:
            productions.append((production.str, production.name, production.len, production.func,
                                os.path.basename(production.file), production.line))
        else:
            productions.append((str(production), production.name, production.len, None, None, None))
    return {"_tabversion": yacc.__tabversion__, "_lr_method": "LALR", "_lr_signature": signature,
            "_lr_action": parser.action, "_lr_goto": parser.goto, "_lr_productions": productions}


def _signature(parser_object: Any) -> str:
    """The grammar signature PLY's `yacc()` computes for rule-engine's parser (the same reflection)."""
    from rule_engine._vendor.ply import yacc

    pdict = {name: getattr(parser_object, name) for name in dir(parser_object)}
    module = sys.modules[pdict["__module__"]]
    pdict.setdefault("__file__", module.__file__)
    pdict.setdefault("__package__", module.__package__)
    reflect = yacc.ParserReflect(pdict, log=yacc.NullLogger())
    reflect.get_all()
    return reflect.signature()


def tables_were_read() -> bool:
    """True when the imported rule-engine's parser was built from a table module (not generated)."""
    from rule_engine._vendor.ply import yacc
    from rule_engine.engine.rule import Rule

    return all(isinstance(p, yacc.MiniProduction) for p in Rule.parser._parser.productions)


def import_rule_engine(cache_dir: Path | None = None) -> types.ModuleType:
    """`import rule_engine`, with its parser tables from the cache under `cache_dir` (default
    forms.compiled.cache_root()) when they are there, and written there when they were not."""
    if "rule_engine" in sys.modules:
        import rule_engine

        return rule_engine
    from forms import compiled

    with _lock:
        if "rule_engine" in sys.modules:
            import rule_engine

            return rule_engine
        path = (cache_dir or compiled.cache_root()) / CACHE_NAME
        try:
            key = _key()
        except Exception as exc:  # no metadata (a vendored copy): build the tables as rule-engine does
            _log.info("rule-engine parser tables not cached: %s", exc)
            key = None
        data = compiled.read(path, key) if key else None
        if isinstance(data, dict):
            table = types.ModuleType(TABLE_MODULE)
            table.__dict__.update(data)
            sys.modules[TABLE_MODULE] = table
        defer("dateutil.parser")  # ~8 ms of its import: only for date literals (d"…"), which no condition holds
        try:
            import rule_engine
        finally:
            sys.modules.pop(TABLE_MODULE, None)  # read once by PLY; never left for anyone else
        if key and not tables_were_read():
            from rule_engine.engine.rule import Rule

            parser = Rule.parser
            compiled.write(path, key, _table_data(parser._parser, _signature(parser)))
        return rule_engine
