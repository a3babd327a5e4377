"""`kiosk --self-test` from the checkout: every step passes on a sound installation (one line each, exit
0, nothing left behind), and a step that really fails — no printer at the address, a catalog file that
does not parse — is named with its reason, the steps that need it are skipped, and the exit is 1."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from kiosk.commands.selftest import STEPS, run_self_test

ROOT = Path(__file__).resolve().parents[3]


def _lines(text: str) -> dict[str, str]:
    """step name -> its whole line."""
    return {line.split()[1]: line for line in text.splitlines() if line.split() and line.split()[0] in
            ("ok", "FAIL", "skip")}


def test_the_self_test_passes_from_the_checkout_and_leaves_nothing_behind(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    result = subprocess.run([sys.executable, "-m", "kiosk", "--self-test"], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=300, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    lines = _lines(result.stdout)
    assert list(lines) == list(STEPS)
    assert all(line.startswith("ok ") and " s  " in line for line in lines.values()), result.stdout
    assert "approved: licence" in lines["apply"]
    assert "the same as the queued job" in lines["print"]
    assert "signature holds" in lines["qr"]
    assert "start screen" in lines["screen"]
    assert result.stdout.splitlines()[-1] == f"self-test: all {len(STEPS)} steps ok"
    assert list((tmp_path / "tmp").iterdir()) == []  # the throwaway data dir and caches are gone


def test_no_printer_at_the_address_fails_the_printer_step_and_skips_what_needs_it() -> None:
    with socket.socket() as bound:  # a port that is bound but never listens: every connect is refused
        bound.bind(("127.0.0.1", 0))
        url = f"tcp://127.0.0.1:{bound.getsockname()[1]}"
        out = io.StringIO()
        code = run_self_test(out, screen=False, printer_url=url)
    lines = _lines(out.getvalue())
    assert code == 1
    assert lines["printer"].startswith("FAIL") and f"no ready printer at {url}" in lines["printer"]
    assert lines["catalog"].startswith("ok") and lines["reader"].startswith("ok")
    for step in ("apply", "pdfs", "print", "qr", "outbox"):
        assert lines[step].startswith("skip"), lines[step]
    assert out.getvalue().splitlines()[-1] == ("self-test: FAILED (printer); skipped: apply, pdfs, print, qr, outbox; "
                                               "2 of 8 steps ok")


def test_a_corrupted_catalog_fails_the_catalog_step(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "forms" / "catalog", catalog)
    (catalog / "public-place-health-permit.yaml").write_text("id: public-place-health-permit\nfields: [\n",
                                                             encoding="utf-8")
    out = io.StringIO()
    code = run_self_test(out, screen=False, catalog_dir=catalog)
    lines = _lines(out.getvalue())
    assert code == 1
    assert lines["catalog"].startswith("FAIL")
    assert "public-place-health-permit.yaml" in lines["catalog"]
    assert lines["apply"].startswith("skip") and "needs catalog" in lines["apply"]
    assert out.getvalue().splitlines()[-1].startswith("self-test: FAILED (catalog); skipped: apply, pdfs,")
