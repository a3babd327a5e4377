"""assets.lazymodules: a deferred module is not loaded until an attribute of it is read, then it is the
real module everywhere; rule-engine imported through forms.ruletables leaves dateutil.parser unloaded and
still parses a date literal (which loads it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                            check=True)
    return result.stdout.split()


def test_a_deferred_module_loads_on_first_attribute_and_is_then_the_real_module() -> None:
    out = run("""
        import sys
        from assets.lazymodules import LoadOnFirstUse, defer
        print(defer("xml.dom.minidom"))
        print(type(sys.modules["xml.dom.minidom"]).__name__)
        import xml.dom.minidom                       # an import statement does not load it
        print(type(sys.modules["xml.dom.minidom"]).__name__)
        print(xml.dom.minidom.parseString("<a/>").documentElement.tagName)
        print(type(sys.modules["xml.dom.minidom"]).__name__, xml.dom.minidom is sys.modules["xml.dom.minidom"])
        from xml.dom.minidom import parseString
        print(parseString("<b/>").documentElement.tagName, defer("xml.dom.minidom"))
    """)
    assert out == ["True", "LoadOnFirstUse", "LoadOnFirstUse", "a", "module", "True", "b", "False"]


def test_rule_engine_through_ruletables_loads_no_date_parser_until_a_date_literal() -> None:
    out = run("""
        import sys
        from forms.ruletables import import_rule_engine
        rule_engine = import_rule_engine()
        print(type(sys.modules["dateutil.parser"]).__name__)
        print(rule_engine.Rule("a < 3").matches({"a": 2}))
        print(type(sys.modules["dateutil.parser"]).__name__)
        print(rule_engine.Rule('d"2027-01-02" > d"2026-12-31"').matches({}))
        print(type(sys.modules["dateutil.parser"]).__name__)
    """)
    assert out == ["LoadOnFirstUse", "True", "LoadOnFirstUse", "True", "module"]
