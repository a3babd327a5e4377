"""The labels of an item's form fields as the applicant saw them (the shipped catalog), so the case page
names each answer in Chinese (卫生管理员), not by its key (hygiene_manager). An item or a field the hall's
catalog does not know keeps its key. The catalog is read once per process."""

from __future__ import annotations

from functools import cache


@cache
def _labels() -> dict[str, dict[str, str]]:
    from forms.loader import load_catalog

    return {service_id: {field.key: field.label for field in spec.fields}
            for service_id, spec in load_catalog().items()}


def field_label(service: str, key: str) -> str:
    """The field's label in the item's spec, else the key itself."""
    return _labels().get(service, {}).get(key, key)
