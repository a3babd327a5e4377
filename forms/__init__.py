"""Service catalog and everything pure about an application: specs, prefill, pre-review, decision,
numbering formats and the PDF materials. No Qt, no devices, no database.

The facade is `forms.engine` (prefill, set_answer, apply_answers, review, decide, visible_fields,
final_values, materials); the catalog is `forms.loader.load_catalog()`. Names re-exported here are the
ones other packages use.
"""

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
