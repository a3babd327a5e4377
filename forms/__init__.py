"""Service catalog and everything pure about an application: specs, prefill, pre-review, decision,
numbering formats and the PDF materials. No Qt, no devices, no database.

The facade is `forms.engine` (prefill, set_answer, apply_answers, review, decide, visible_fields,
final_values, materials); the catalog is `forms.loader.load_catalog()`. Names re-exported here are the
ones other packages use.

The names are imported on first use (PEP 562 `__getattr__`): importing one submodule (say
`forms.errors`) no longer loads the whole package (issue 17).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.answers import Answer, Answers, Choice, Source
    from forms.context import ReviewContext
    from forms.decision import Decision, ItemResult, decide
    from forms.errors import (
        ConditionError,
        LockedFieldError,
        NumberingError,
        SettingsError,
        SpecError,
        SpecFileError,
        UnknownFieldError,
        UnknownServiceError,
    )
    from forms.loader import Catalog, check_catalog, load_catalog
    from forms.registry import Business, InMemoryRegistry, Licence, Person, Registry
    from forms.review import Finding, review
    from forms.settings import HallSettings
    from forms.spec import ServiceSpec

__all__ = [
    "Answer", "Answers", "Business", "Catalog", "Choice", "ConditionError", "Decision", "Finding",
    "HallSettings", "InMemoryRegistry", "ItemResult", "Licence", "LockedFieldError", "NumberingError",
    "Person", "Registry", "ReviewContext", "ServiceSpec", "SettingsError", "Source", "SpecError",
    "SpecFileError", "UnknownFieldError", "UnknownServiceError", "check_catalog", "decide", "load_catalog",
    "review",
]

_WHERE: dict[str, str] = {
    "Answer": "forms.answers",
    "Answers": "forms.answers",
    "Choice": "forms.answers",
    "Source": "forms.answers",
    "ReviewContext": "forms.context",
    "Decision": "forms.decision",
    "ItemResult": "forms.decision",
    "decide": "forms.decision",
    "ConditionError": "forms.errors",
    "LockedFieldError": "forms.errors",
    "NumberingError": "forms.errors",
    "SettingsError": "forms.errors",
    "SpecError": "forms.errors",
    "SpecFileError": "forms.errors",
    "UnknownFieldError": "forms.errors",
    "UnknownServiceError": "forms.errors",
    "Catalog": "forms.loader",
    "check_catalog": "forms.loader",
    "load_catalog": "forms.loader",
    "Business": "forms.registry",
    "InMemoryRegistry": "forms.registry",
    "Licence": "forms.registry",
    "Person": "forms.registry",
    "Registry": "forms.registry",
    "Finding": "forms.review",
    "review": "forms.review",
    "HallSettings": "forms.settings",
    "ServiceSpec": "forms.spec",
}


def __getattr__(name: str) -> Any:
    """Import the submodule that defines `name` on first use (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
