"""The one atomic private-file write (forms.atomicfile): mode 0600, no temporary left behind, and
`exclusive` lets the first writer win (keys and the audit key are created that way)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from forms.atomicfile import TEMP_SUFFIX, write_private_file


def test_replace_writes_a_private_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "audit.head"
    seen: list[Path] = []
    assert write_private_file(target, b"old", sync_folder=True)
    assert write_private_file(target, b"new", on_temporary=seen.append)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert seen[0].name.startswith(".audit.head.") and seen[0].name.endswith(TEMP_SUFFIX)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.head"]


def test_exclusive_keeps_the_first_writers_file(tmp_path: Path) -> None:
    target = tmp_path / "signing.key"
    assert write_private_file(target, b"first", exclusive=True)
    assert not write_private_file(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["signing.key"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "licence.pdf"
    target.write_bytes(b"old")

    def crash(temporary: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_private_file(target, b"new", on_temporary=crash)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["licence.pdf"]
