"""What the Python code translated from a condition (forms.condition_code) calls at run time: rule-engine
5.1.0's evaluation semantics, restated for the values the review symbols hold, without importing it.

Pure functions, no I/O. Each one is the named rule-engine operation (rule_engine/ast/*, types/coercion.py,
engine/_attribute_resolver.py), keeping its quirks, because the translated code must give exactly what
`rule_engine.Rule.evaluate` gives (tests/unit/forms/test_condition_code.py compares them over the catalog):

- values are coerced as `coerce_value` does: int and float become Decimal (a float by its repr), lists and
  tuples tuples (their members coerced), a `date` a midnight `datetime`; a value read from a symbol or an
  item gets a time zone when it is a naive datetime (a member inside a list stays naive, as in rule-engine);
- `==` / `!=` are False / True across Python types (`1 == true` is false, `null == 0` is false);
- ordering (`<` ...) raises "data type mismatch" across types and with null, except null against null
  (`<=` and `>=` true); arrays compare member by member;
- `=~` is `re.match` (anchored at the start only), `=~~` `re.search`; a null left or pattern gives
  false (`null =~ null` is true); `+` checks only its left operand for strings (so `'a' + null` raises
  Python's TypeError, as in rule-engine);
- `x[i]` and `x[a:b]` raise on a null container and need whole numbers; an index out of range is
  "lookup operation failed"; `.days` and `.length` of a value that has none are null (the context's
  default value), not an error;
- what rule-engine raises as an EngineError is raised here as `EvaluationFailed` with the same message
  (forms.conditions turns it into ConditionError); what it lets Python raise (`x in null`: TypeError)
  Python raises here too, from the same operation.

Rule-engine gives a date the local time zone (dateutil's `tzlocal()`, one instance per context). Only
whether a datetime is aware, and whether two share one tzinfo object, can change what these operations
give (aware against naive: `==` false, `<` and `-` TypeError; the same tzinfo: compared as they read),
so one fixed-offset instance, `LOCAL`, stands for it and dateutil (~6 ms to import) is not needed. A
symbol holding any other kind of value (a datetime, a timedelta, a dict, a set, bytes, an enum, an
object) raises `UnsupportedValue` and the condition is evaluated by rule-engine instead.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

#: Stands for rule-engine's `default_timezone` (see the module docstring: its offset is never consulted).
LOCAL = dt.timezone(dt.timedelta(0), "local")


class EvaluationFailed(Exception):
    """What rule-engine raises as an EvaluationError, with its message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedValue(Exception):
    """A symbol holds a kind of value this module does not restate: rule-engine must evaluate."""


def _coerce(value: Any, top: bool) -> Any:
    kind = type(value)
    if value is None or kind is str or kind is bool or kind is Decimal:
        return value
    if kind is int:
        return Decimal(value)
    if kind is float:
        return Decimal(repr(value))
    if kind is dt.date:
        moment = dt.datetime(value.year, value.month, value.day)
        return moment.replace(tzinfo=LOCAL) if top else moment
    if kind is list or kind is tuple:
        return tuple(_coerce(member, False) for member in value)
    raise UnsupportedValue(kind.__name__)


def symbol(symbols: Mapping[str, Any], name: str) -> Any:
    """The symbol's value as rule-engine sees it (missing: null, the context's default value)."""
    return _coerce(symbols[name], True) if name in symbols else None


def _new_value(value: Any) -> Any:
    """rule-engine's ExpressionBase._new_value for a value already coerced (a member of an array)."""
    if type(value) is dt.datetime and value.tzinfo is None:
        return value.replace(tzinfo=LOCAL)
    return value


def _is_numeric(value: Any) -> bool:
    return isinstance(value, Decimal | float | int) and not isinstance(value, bool)


def _is_integer_number(value: Any) -> bool:
    return _is_numeric(value) and math.isfinite(value) and math.floor(value) == value


def eq(left: Any, right: Any) -> bool:
    return False if type(left) is not type(right) else left == right


def ne(left: Any, right: Any) -> bool:
    return True if type(left) is not type(right) else left != right


GE, GT, LE, LT = operator.ge, operator.gt, operator.le, operator.lt


def order(op: Any, left: Any, right: Any) -> Any:
    """ArithmeticComparisonExpression.__op_arithmetic_values."""
    if left is None and right is None:
        return op in (operator.ge, operator.le)
    if isinstance(left, tuple) and isinstance(right, tuple):
        for left_member, right_member in zip(left, right, strict=False):
            if order(operator.ne, left_member, right_member):
                return order(op, left_member, right_member)
        if len(left) != len(right):
            return order(op, len(left), len(right))
        return op in (operator.ge, operator.le)
    if type(left) is not type(right):
        raise EvaluationFailed("data type mismatch")
    return op(left, right)


def regex_subject(left: Any) -> Any:
    """The left operand of `=~`, checked before the pattern is evaluated (as rule-engine does)."""
    if not isinstance(left, str) and left is not None:
        raise EvaluationFailed("data type mismatch")
    return left


def regex(left: Any, pattern: Any, search: bool, negated: bool) -> bool:
    """FuzzyComparisonExpression: `=~` / `=~~` (negated: `!~` / `!~~`), flags 0."""
    if isinstance(pattern, str):
        try:
            compiled = re.compile(pattern)
        except re.error:
            raise EvaluationFailed("invalid regular expression") from None
    elif pattern is not None:
        raise EvaluationFailed("data type mismatch")
    else:
        compiled = None
    if left is None or compiled is None:
        return left is not compiled if negated else left is compiled
    found = compiled.search(left) if search else compiled.match(left)
    return (found is None) if negated else (found is not None)


def contains(container: Any, member: Any) -> bool:
    """ContainsExpression (`member in container`; the container is evaluated first)."""
    if isinstance(container, str) and not isinstance(member, str):
        raise EvaluationFailed("data type mismatch")
    return bool(member in container)


def add(left: Any, right: Any) -> Any:
    """AddExpression._op_add (its string and bytes checks look at the left operand only)."""
    if isinstance(left, dt.datetime):
        if not isinstance(right, dt.timedelta):
            raise EvaluationFailed("data type mismatch (not a timedelta value)")
    elif isinstance(left, dt.timedelta):
        if not isinstance(right, dt.timedelta | dt.datetime):
            raise EvaluationFailed("data type mismatch (not a datetime or timedelta value)")
    elif isinstance(left, bytes) or isinstance(right, bytes):
        if not isinstance(left, bytes):
            raise EvaluationFailed("data type mismatch (not a bytes value)")
    elif isinstance(left, str) or isinstance(right, str):
        if not isinstance(left, str):
            raise EvaluationFailed("data type mismatch (not a string value)")
    elif not (_is_numeric(left) and _is_numeric(right)):
        raise EvaluationFailed("data type mismatch (not a numeric value)")
    return left + right


def subtract(left: Any, right: Any) -> Any:
    """SubtractExpression._op_sub."""
    if isinstance(left, dt.datetime):
        if not isinstance(right, dt.datetime | dt.timedelta):
            raise EvaluationFailed("data type mismatch (not a datetime or timedelta value)")
    elif isinstance(left, dt.timedelta):
        if not isinstance(right, dt.timedelta):
            raise EvaluationFailed("data type mismatch (not a timedelta value)")
    elif not (_is_numeric(left) and _is_numeric(right)):
        raise EvaluationFailed("data type mismatch (not a numeric value)")
    return left - right


def negative(value: Any) -> Any:
    """UnaryExpression `-x`."""
    if not _is_numeric(value) and not isinstance(value, dt.timedelta):
        raise EvaluationFailed("data type mismatch (not a numeric or timedelta value)")
    return -value


def attribute(value: Any, name: str) -> Any:
    """GetAttributeExpression for `.days` and `.length` (the only ones translated): null when the value
    has no such attribute (the context's default value)."""
    if name == "days":
        return Decimal(value.days) if isinstance(value, dt.timedelta) else None
    if name == "length":
        return Decimal(len(value)) if isinstance(value, str | tuple) else None
    raise UnsupportedValue(name)


def item_container(container: Any) -> Any:
    if container is None:
        raise EvaluationFailed("data type mismatch (container is null)")
    return container


def item(container: Any, index: Any) -> Any:
    """GetItemExpression (`x[i]`), after `item_container`."""
    if isinstance(container, bytes | str | tuple):
        if not _is_integer_number(index):
            raise EvaluationFailed("data type mismatch (not an integer number)")
        index = int(index)
    try:
        value = operator.getitem(container, index)
    except (IndexError, KeyError):
        raise EvaluationFailed("lookup operation failed") from None
    return _new_value(value)


def slice_container(container: Any) -> Any:
    if container is None:
        raise EvaluationFailed("data type mismatch")
    return container


def slice_bound(value: Any) -> Any:
    if value is not None:
        if not _is_integer_number(value):
            raise EvaluationFailed("data type mismatch (not an integer number)")
        value = int(value)
    return value


def get_slice(container: Any, start: Any, stop: Any) -> Any:
    """GetSliceExpression (`x[a:b]`), after `slice_container` and `slice_bound`."""
    return operator.getitem(container, slice(start, stop))


#: The names the translated code may use (its globals; nothing else, no builtins but `bool`).
NAMESPACE: dict[str, Any] = {
    "__builtins__": {"bool": bool},
    "Decimal": Decimal,
    "_sym": symbol, "_eq": eq, "_ne": ne, "_order": order, "_GE": GE, "_GT": GT, "_LE": LE, "_LT": LT,
    "_regex_subject": regex_subject, "_regex": regex, "_contains": contains, "_add": add, "_sub": subtract,
    "_neg": negative, "_attr": attribute, "_item_container": item_container, "_item": item,
    "_slice_container": slice_container, "_slice_bound": slice_bound, "_slice": get_slice,
}
