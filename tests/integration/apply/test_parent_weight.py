"""What a real `kiosk apply` process carries (issue 17): the parent never imports the PDF renderer (its
child does), runs no cyclic garbage collection while the command runs, and a second run makes its ~150
dataclasses and ~50 regular expressions (its child ~25 and ~65) from the cached code (forms.code_caches)
without compiling or rewriting anything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from forms import dataclass_code, regex_code
from forms.code_caches import dataclass_cache_name, regex_cache_name
from forms.render_worker import CODE_KIND

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
exif, inspect = sys.modules.get("PIL.ExifTags"), sys.modules.get("inspect")
print(json.dumps({"code": code, "result": json.loads(out.getvalue()), "modules": sorted(sys.modules),
                  "gc": seen, "exif_tags_loaded": exif is not None and type(exif).__name__ == "module",
                  "inspect_loaded": inspect is not None and type(inspect).__name__ == "module"}))
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


def test_the_parent_imports_no_pdf_renderer_and_a_second_run_compiles_no_dataclass_code(tmp_path) -> None:
    first = apply_process(tmp_path, tmp_path / "out1")
    assert first["code"] == 0 and first["result"]["print"]["status"] == "printed"
    assert [Path(p).name for p in first["result"]["documents"]] == \
        ["application.pdf", "licence.pdf", "hygiene_rules.pdf"]
    assert loaded(first["modules"], RENDERER) == []
    assert "forms.dataclass_code" in first["modules"] and "forms.regex_code" in first["modules"]
    assert "PIL.Image" in first["modules"] and not first["exif_tags_loaded"]  # the slip has no EXIF
    # no cyclic collection while the command runs (it ran ~95 times), and the collector is back after it
    assert first["gc"] == {"enabled": False, "collections": 0, "enabled_after": True}

    files = [tmp_path / "cache" / name(kind) for kind in ("", CODE_KIND)
             for name in (dataclass_cache_name, regex_cache_name)]

    def written() -> list[tuple[int, int]]:  # a write replaces the file: a new inode
        return [(f.stat().st_ino, f.stat().st_mtime_ns) for f in files]

    after_first = written()  # by the first run (parent, child)
    # the child's file holds the documents' model too, made as its package loads (before its renderers)
    child_code = dataclass_code.load(tmp_path / "cache", dataclass_cache_name(CODE_KIND))
    assert any("def __init__(self,service_title:" in text for text in child_code.stored)
    # and, under forms.dataclass_fast's keys, the code of the methods it makes the next time without a text
    assert any(key[0] == "__init__" and key[1][0][0] == "service_title" for key in child_code.made)
    for kind in ("", CODE_KIND):  # every pattern either process compiled, as the cache serves it: as re makes it
        cache = regex_code.load(tmp_path / "cache", regex_cache_name(kind))
        assert len(cache.stored) > 20
        for pattern, flags in list(cache.stored):
            assert cache.compile(pattern, flags) == regex_code._compile_anew(pattern, flags)
    second = apply_process(tmp_path, tmp_path / "out2")
    assert second["code"] == 0 and second["result"]["print"]["status"] == "printed"
    assert loaded(second["modules"], RENDERER) == []
    # dataclasses' import of inspect is deferred (our classes have docstrings); the first run compiled
    # the catalog's conditions with rule-engine, which uses it
    assert not second["inspect_loaded"]
    # no dataclass compiled, so nothing written: the same files. A few patterns are new (the start
    # repair's file name patterns, on a data dir that now has files): written once, then never again
    after_second = written()
    assert [after_second[0], after_second[2]] == [after_first[0], after_first[2]]
    third = apply_process(tmp_path, tmp_path / "out3")
    assert third["code"] == 0 and written() == after_second
    assert (tmp_path / "out3" / "licence.pdf").read_bytes().startswith(b"%PDF")
