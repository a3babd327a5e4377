"""forms.documents.snapshot: a DocumentContext survives JSON exactly (what `kiosk documents` renders from)."""

from __future__ import annotations

import json

import pytest

from forms.documents import demo
from forms.documents.errors import DocumentInputError
from forms.documents.snapshot import context_from_json, context_to_json


@pytest.mark.parametrize("ctx", [demo.demo_context(), demo.demo_accepted_context(), demo.demo_bundle_context(),
                                 demo.demo_context(signature_png=None, licence=None, delivery=None)],
                         ids=["approved", "accepted", "bundle", "bare"])
def test_every_field_comes_back_equal(ctx):
    text = context_to_json(ctx)
    assert context_from_json(text) == ctx
    assert json.loads(text)["context"]["applicant"]["id_number"] == ctx.applicant.id_number


@pytest.mark.parametrize("text", ["", "[]", '{"version": 99, "context": {}}', '{"version": 1}',
                                  '{"version": 1, "context": {"decision": "approved"}}',
                                  '{"version": 1, "context": []}'])
def test_text_that_is_not_a_snapshot_is_one_error(text):
    with pytest.raises(DocumentInputError, match="stored document data cannot be read"):
        context_from_json(text)
