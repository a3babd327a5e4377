"""Phone numbers on paper (the A4 receipt) are masked the way the slip and the logs mask them."""

from __future__ import annotations

import pytest

from forms.documents.model import Delivery, mask_phone


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"),
    ("+86 138 1234 5678", "138****5678"),
    ("023-45678901", "023****8901"),
    ("138****5678", "138****5678"),  # already masked: unchanged
    ("12345", "***45"),
    ("", ""),
])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_delivery_offers_the_masked_phone():
    assert Delivery("mail", "addr", "张伟", "13800138000").masked_phone == "138****8000"
