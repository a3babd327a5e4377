"""Screens name what an applicant takes away by the item's own document (`result_name`), in English
too: a food 备案 is a filing receipt, not a licence, and no English screen shows the Chinese name."""

from __future__ import annotations

import pytest

from forms.loader import load_catalog
from kiosk.ui.readability import han_characters
from kiosk.ui.views.screen import document_name

CATALOG = load_catalog()


@pytest.mark.parametrize("spec", [spec for spec in CATALOG.values() if spec.result_name], ids=lambda spec: spec.id)
def test_every_result_has_an_english_name_without_han(spec):
    shown = document_name(spec, "en")
    assert shown and han_characters(shown) == [], shown
    assert document_name(spec, "zh") == spec.result_name


def test_a_filing_is_not_called_a_licence_in_english():
    filings = [spec for spec in CATALOG.values() if spec.result_name and "备案" in spec.result_name]
    assert filings
    for spec in filings:
        assert "licence" not in document_name(spec, "en").lower(), spec.id
