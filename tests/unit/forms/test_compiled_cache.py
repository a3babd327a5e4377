"""The compiled catalog cache (forms.compiled, forms.loader, forms.ruletables): used when it matches, never
wrong — stale after a YAML edit or new code, a corrupt file ignored (logged once) and rewritten."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from forms import compiled
from forms.errors import SpecFileError, UnknownServiceError
from forms.loader import catalog_dir, load_catalog

ITEMS = ("public-place-health-permit", "residence-permit")


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir()
    for name in ITEMS:
        (folder / f"{name}.yaml").write_bytes((catalog_dir() / f"{name}.yaml").read_bytes())
    return folder


def edit_title(folder: Path, title: str) -> None:
    path = folder / "residence-permit.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 居住证申领", f"title: {title}", 1), encoding="utf-8")


def test_warm_load_comes_from_the_cache_and_equals_the_source(specs: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = load_catalog(specs, cache_dir=cache)
    (cache_file,) = cache.glob("catalog-*.pickle")
    assert cold.cache_file == cache_file and cold.key
    os.utime(specs / "residence-permit.yaml", ns=(1, 1))  # only the bytes count, not the times
    warm = load_catalog(specs, cache_dir=cache)
    assert warm.key == cold.key and list(warm) == list(cold) == list(ITEMS)
    assert [warm[name] for name in ITEMS] == [cold[name] for name in ITEMS]
    assert warm["residence-permit"] is not cold["residence-permit"]  # unpickled, not the same objects
    assert list(cache.iterdir()) == [cache_file]  # no temporary file left behind


def test_a_warm_catalog_unpickles_only_the_specs_asked_for(specs: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_catalog(specs, cache_dir=cache)
    warm = load_catalog(specs, cache_dir=cache)
    assert "residence-permit" in warm and "nothing-like-it" not in warm and len(warm) == len(ITEMS)
    assert warm._specs == {}  # nothing unpickled yet
    assert warm["residence-permit"].id == "residence-permit" and list(warm._specs) == ["residence-permit"]
    with pytest.raises(UnknownServiceError):
        warm["nothing-like-it"]
    assert [spec.id for spec in warm.values()] == list(ITEMS)  # all of them, in catalog order


def test_a_yaml_edit_makes_the_cache_stale_and_it_is_rebuilt(specs: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_catalog(specs, cache_dir=cache)
    edit_title(specs, "居住证申领（改过）")
    edited = load_catalog(specs, cache_dir=cache)
    assert edited["residence-permit"].title == "居住证申领（改过）" and edited.key != first.key
    stored = compiled.read(edited.cache_file, edited.key)  # rewritten: each spec pickled apart
    assert pickle.loads(stored["residence-permit"]).title == "居住证申领（改过）"
    (specs / "residence-permit.yaml").write_text("id: residence-permit\nmode: sometimes\n", encoding="utf-8")
    with pytest.raises(SpecFileError):  # a broken file is reported, never hidden by the cache
        load_catalog(specs, cache_dir=cache)


def test_a_new_code_version_makes_the_cache_stale(specs: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    first = load_catalog(specs, cache_dir=cache)
    monkeypatch.setattr(compiled, "code_version", lambda *modules: "another build")
    assert load_catalog(specs, cache_dir=cache).key != first.key


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "foreign"])
def test_a_corrupt_cache_is_ignored_logged_once_and_rewritten(specs: Path, tmp_path: Path, caplog,
                                                             damage: str) -> None:
    cache = tmp_path / "cache"
    first = load_catalog(specs, cache_dir=cache)
    data = first.cache_file.read_bytes()
    broken = {"truncate": data[: len(data) // 2], "flip": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:],
              "garbage": b"\x00" * 100, "foreign": compiled.MAGIC + b"x" * 32 + b"not a pickle"}[damage]
    first.cache_file.write_bytes(broken)
    caplog.set_level(logging.INFO, logger="forms.compiled")
    again = load_catalog(specs, cache_dir=cache)
    assert [again[name] for name in ITEMS] == [first[name] for name in ITEMS]
    assert compiled.read(again.cache_file, again.key) is not None  # rewritten whole
    first.cache_file.write_bytes(broken)
    load_catalog(specs, cache_dir=cache)
    notes = [r for r in caplog.records if "not used" in r.getMessage()]
    assert len(notes) == 1 and str(first.cache_file) in notes[0].getMessage()


def test_an_unwritable_cache_folder_only_costs_time(specs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    catalog = load_catalog(specs, cache_dir=blocker / "cache")
    assert list(catalog) == list(ITEMS)


WARM_PROBE = """
import sys
from forms.loader import load_catalog
from forms.conditions import compile_condition
from forms.ruletables import import_rule_engine, tables_were_read
from kiosk.services.catalog_search import catalog_entries, search
catalog = load_catalog(sys.argv[1], cache_dir=sys.argv[2])
entries = catalog_entries(catalog)
assert search(entries, "jzz")[0].id == "residence-permit"
compile_condition("applicant_age >= 18")
translated_only = "rule_engine" not in sys.modules
import_rule_engine()
print("pypinyin" in sys.modules, translated_only, tables_were_read())
"""


def test_a_warm_process_needs_neither_pypinyin_nor_the_parser_generator(specs: Path, tmp_path: Path) -> None:
    env = {**os.environ, "KIOSK_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-c", WARM_PROBE, str(specs), str(tmp_path / "cache" / "catalog")]

    def run() -> str:
        return subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout.strip()

    # cold: builds the index with pypinyin, parses the condition, generates the parser tables
    assert run() == "True False False"
    # warm: the index, the translated condition and the tables all from the compiled cache
    assert run() == "False True True"
    (tmp_path / "cache" / "rule-parsetab.pickle").write_bytes(b"junk")
    assert run() == "False True False"  # a corrupt table cache: rule-engine builds its own, then it is rewritten
    assert run() == "False True True"


TABLE_PROBE = """
from forms.ruletables import import_rule_engine, tables_were_read
rule_engine = import_rule_engine()
print(rule_engine.Rule("applicant_age >= 18 and name != ''").matches({"applicant_age": 20, "name": "x"}),
      tables_were_read())
"""


def test_parser_tables_of_another_grammar_are_refused_by_ply(tmp_path: Path) -> None:
    """A cache entry with the right key but tables whose grammar signature differs (another rule-engine
    build) is not used: PLY checks the signature itself and generates the tables."""
    from forms import ruletables

    env = {**os.environ, "KIOSK_CACHE_DIR": str(tmp_path)}
    argv = [sys.executable, "-c", TABLE_PROBE]
    subprocess.run(argv, env=env, capture_output=True, check=True)
    path = tmp_path / ruletables.CACHE_NAME
    key = ruletables._key()
    tables = compiled.read(path, key)
    assert compiled.write(path, key, {**tables, "_lr_signature": "another grammar", "_lr_action": {}})
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "False"]
    assert compiled.read(path, key)["_lr_signature"] == tables["_lr_signature"]  # rewritten right
