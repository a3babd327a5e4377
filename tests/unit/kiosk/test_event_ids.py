"""The outbox's event ids (kiosk.sync.outbox.new_event_id) are random version 4 UUIDs written as
`str(uuid.uuid4())` writes them, made without importing uuid (which imports platform)."""

from __future__ import annotations

import subprocess
import sys
import uuid

from kiosk.sync.outbox import new_event_id


def test_an_event_id_is_a_random_uuid4_in_the_standard_form() -> None:
    ids = [new_event_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_making_one_imports_neither_uuid_nor_platform() -> None:
    code = ("import sys\nfrom kiosk.sync.outbox import new_event_id\nnew_event_id()\n"
            "print(sorted(m for m in ('uuid', 'platform') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
