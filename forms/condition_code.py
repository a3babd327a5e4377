"""A condition's rule-engine syntax tree translated into Python source, once, so that evaluating it needs
neither rule-engine nor its parser (issue 17: importing them cost `kiosk apply` ~50 ms).

Pure: `translate(statement)` walks the `rule_engine.ast.Statement` that `rule_engine.Rule` parsed (and
reduced) and returns the text of a small module defining `condition(s)`, which evaluates the expression
over the symbol mapping `s` with the functions of `forms.condition_runtime` (rule-engine's semantics
restated). No user text is ever evaluated: the source is made only by this walk, from the node classes it
knows; every literal is written with `repr` (str, bool, None, and `Decimal(repr(str(value)))`), every
symbol name as a `repr`'d string argument, never as Python code. forms.conditions compiles the source with
`compile()` and runs the code object with forms.condition_runtime.NAMESPACE as its only globals.

A node this module does not know (arithmetic, ternaries, functions, builtins such as `$now`, `??`, safe
navigation, date, set and mapping literals, attributes other than `.days` and `.length`) raises
`Untranslatable`; the caller then keeps evaluating that condition with rule-engine.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


class Untranslatable(Exception):
    """The expression uses a construct the translator does not handle (the message names it)."""


_ORDER = {"ge": "_GE", "gt": "_GT", "le": "_LE", "lt": "_LT"}
_REGEX = {"eq_fzm": (False, False), "eq_fzs": (True, False), "ne_fzm": (False, True), "ne_fzs": (True, True)}
_ATTRIBUTES = frozenset({"days", "length"})


class _Translator:
    def __init__(self) -> None:
        self.constants: list[str] = []

    def constant(self, code: str) -> str:
        name = f"_k{len(self.constants)}"
        self.constants.append(f"{name} = {code}")
        return name

    def node(self, node: Any) -> str:
        kind = type(node)
        if not kind.__module__.startswith("rule_engine.ast"):
            raise Untranslatable(f"node {kind.__module__}.{kind.__qualname__}")
        method = getattr(self, f"_{kind.__name__}", None)
        if method is None:
            raise Untranslatable(kind.__name__)
        return method(node)

    # literals (rule-engine has reduced constant sub-expressions to these already)
    def _StringExpression(self, node: Any) -> str:
        if type(node.value) is not str:
            raise Untranslatable("string literal of another type")
        return repr(node.value)

    def _FloatExpression(self, node: Any) -> str:
        if type(node.value) is not Decimal:
            raise Untranslatable("float literal of another type")
        return self.constant(f"Decimal({str(node.value)!r})")

    def _BooleanExpression(self, node: Any) -> str:
        if type(node.value) is not bool:
            raise Untranslatable("boolean literal of another type")
        return repr(node.value)

    def _NullExpression(self, node: Any) -> str:
        return "None"

    def _ArrayExpression(self, node: Any) -> str:
        members = [self.node(member) for member in node.value]
        return "(" + "".join(f"{member}, " for member in members) + ")"

    # names and operators
    def _SymbolExpression(self, node: Any) -> str:
        if node.scope is not None or type(node.name) is not str:
            raise Untranslatable("builtin symbol")
        return f"_sym(s, {node.name!r})"

    def _ComparisonExpression(self, node: Any) -> str:
        if node.type not in ("eq", "ne"):
            raise Untranslatable(f"comparison {node.type}")
        return f"_{node.type}({self.node(node.left)}, {self.node(node.right)})"

    def _ArithmeticComparisonExpression(self, node: Any) -> str:
        if node.type not in _ORDER:
            raise Untranslatable(f"comparison {node.type}")
        return f"_order({_ORDER[node.type]}, {self.node(node.left)}, {self.node(node.right)})"

    def _FuzzyComparisonExpression(self, node: Any) -> str:
        if node.type not in _REGEX:
            raise Untranslatable(f"regex operator {node.type}")
        search, negated = _REGEX[node.type]
        return (f"_regex(_regex_subject({self.node(node.left)}), {self.node(node.right)}, "
                f"{search!r}, {negated!r})")

    def _LogicExpression(self, node: Any) -> str:
        if node.type not in ("and", "or"):
            raise Untranslatable(f"logic operator {node.type}")
        return f"bool(({self.node(node.left)}) {node.type} ({self.node(node.right)}))"

    def _UnaryExpression(self, node: Any) -> str:
        if node.type == "not":
            return f"(not ({self.node(node.right)}))"
        if node.type == "uminus":
            return f"_neg({self.node(node.right)})"
        raise Untranslatable(f"unary operator {node.type}")

    def _ContainsExpression(self, node: Any) -> str:
        return f"_contains({self.node(node.container)}, {self.node(node.member)})"

    def _AddExpression(self, node: Any) -> str:
        if node.type != "add":
            raise Untranslatable(f"operator {node.type}")
        return f"_add({self.node(node.left)}, {self.node(node.right)})"

    def _SubtractExpression(self, node: Any) -> str:
        if node.type != "sub":
            raise Untranslatable(f"operator {node.type}")
        return f"_sub({self.node(node.left)}, {self.node(node.right)})"

    def _GetAttributeExpression(self, node: Any) -> str:
        if node.safe or node._object_type is not None or node.name not in _ATTRIBUTES:
            raise Untranslatable(f"attribute {node.name!r}" + (" (safe navigation)" if node.safe else ""))
        return f"_attr({self.node(node.object)}, {node.name!r})"

    def _GetItemExpression(self, node: Any) -> str:
        if node.safe:
            raise Untranslatable("safe item access")
        return f"_item(_item_container({self.node(node.container)}), {self.node(node.item)})"

    def _GetSliceExpression(self, node: Any) -> str:
        if node.safe:
            raise Untranslatable("safe slice")
        return (f"_slice(_slice_container({self.node(node.container)}), _slice_bound({self.node(node.start)}), "
                f"_slice_bound({self.node(node.stop)}))")


def translate(statement: Any) -> str:
    """The Python source of a module defining `condition(s)` for a parsed rule-engine `Statement`
    (`rule_engine.Rule(text).statement`); Untranslatable when it uses a construct not handled here."""
    if type(statement).__name__ != "Statement" or not type(statement).__module__.startswith("rule_engine.ast"):
        raise Untranslatable(f"not a rule-engine statement: {type(statement).__name__}")
    translator = _Translator()
    body = translator.node(statement.expression)
    return "\n".join([*translator.constants, "", "def condition(s):", f"    return {body}", ""])
