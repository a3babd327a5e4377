"""What a real `kiosk apply` process carries (issue 17): the parent never imports the PDF renderer (its
child does) and runs no cyclic garbage collection while the command runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PP = "public-place-health-permit"
ANSWERS = REPO / "assets" / "demo" / "answers" / f"{PP}.json"
#: Modules only the PDFs need: the child process imports them, the parent must not.
RENDERER = ("reportlab", "forms.documents.layout", "forms.documents.fonts", "forms.documents.worker",
            "forms.documents.licence", "forms.documents.application_form")

#: `kiosk apply ARGV` in this process (as `python -m kiosk` runs it), then the modules it had imported and
#: what the cyclic garbage collector did while the command ran (kiosk.commands.apply._checked).
RUN = """
import contextlib, gc, io, json, sys
import kiosk.commands.apply as command
from kiosk.cli import main

collections, seen, inner = [], {}, command._checked
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))

def checked(*args):
    seen["enabled"], start = gc.isenabled(), len(collections)
    try:
        return inner(*args)
    finally:
        seen["collections"] = len(collections) - start

command._checked = checked
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(json.loads(sys.argv[1]))
seen["enabled_after"] = gc.isenabled()
print(json.dumps({"code": code, "result": json.loads(out.getvalue()), "modules": sorted(sys.modules),
                  "gc": seen}))
"""


def apply_process(tmp_path: Path, out: Path) -> dict:
    argv = ["apply", "--data-dir", str(tmp_path / "data"), "--service", PP, "--card", "adult",
            "--answers", str(ANSWERS), "--out", str(out), "--json"]
    env = {**os.environ, "KIOSK_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(argv)], capture_output=True, text=True,
                          cwd=REPO, env=env, check=True)
    return json.loads(done.stdout)


def loaded(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


def test_the_parent_imports_no_pdf_renderer_and_runs_no_cyclic_collection(tmp_path) -> None:
    first = apply_process(tmp_path, tmp_path / "out1")
    assert first["code"] == 0 and first["result"]["print"]["status"] == "printed"
    assert [Path(p).name for p in first["result"]["documents"]] == \
        ["application.pdf", "licence.pdf", "hygiene_rules.pdf"]
    assert loaded(first["modules"], RENDERER) == []
    # no cyclic collection while the command runs (it ran ~95 times), and the collector is back after it
    assert first["gc"] == {"enabled": False, "collections": 0, "enabled_after": True}
