"""Specs as plain data (forms.spec) validated by the pydantic schema (forms.spec_schema): the two agree
field for field, the whole catalog from the compiled cache equals the catalog from source, and a process
that finds the cache current imports neither pydantic nor YAML (issue 17)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic_core import PydanticUndefined

from forms import spec as plain
from forms import spec_schema
from forms.loader import catalog_dir, load_catalog, parse_spec, read_yaml

CLASSES = sorted(plain.PLAIN_CLASSES)


def _default(field: dataclasses.Field) -> object:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return PydanticUndefined if field.default is dataclasses.MISSING else field.default


@pytest.mark.parametrize("name", CLASSES)
def test_each_plain_class_has_the_fields_and_defaults_of_its_schema_model(name: str) -> None:
    model = getattr(spec_schema, name)
    fields = {f.name: _default(f) for f in dataclasses.fields(plain.PLAIN_CLASSES[name])}
    schema = {key: (info.default_factory() if info.default_factory else info.default)
              for key, info in model.model_fields.items()}
    assert fields == schema


def test_the_whole_catalog_from_the_cache_equals_the_catalog_from_source(tmp_path: Path) -> None:
    source = load_catalog()
    cold = load_catalog(cache_dir=tmp_path)  # validated, then written to the cache
    warm = load_catalog(cache_dir=tmp_path)  # unpickled
    assert warm.cache_file is not None and warm.cache_file.exists()
    assert list(warm) == list(cold) == list(source) and len(source) >= 40
    for service_id, spec in source.items():
        assert type(warm[service_id]) is plain.ServiceSpec
        assert warm[service_id] == cold[service_id] == spec, service_id
        assert warm[service_id] is not spec


def test_a_validated_spec_is_plain_data_all_the_way_down() -> None:
    spec = parse_spec(read_yaml(catalog_dir() / "public-place-health-permit.yaml"), "x.yaml")
    seen = [spec, *spec.fields, *spec.rules, *spec.materials, spec.numbering, spec.numbering.receipt,
            spec.validity]
    assert all(type(obj).__module__ == "forms.spec" for obj in seen)
    assert spec.role_key(plain.FieldRole.HYGIENE_MANAGER) == "hygiene_manager"
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.title = "改"  # type: ignore[misc]


WARM_PROBE = """
import sys
from forms.loader import load_catalog
catalog = load_catalog(cache_dir=sys.argv[1])
spec = catalog["public-place-health-permit"]
print(len(catalog), spec.field("hygiene_manager").label, "pydantic" in sys.modules, "yaml" in sys.modules)
"""


def test_a_process_with_a_current_cache_imports_neither_pydantic_nor_yaml(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", WARM_PROBE, str(tmp_path)]

    def run() -> list[str]:
        result = subprocess.run(argv, env=dict(os.environ), capture_output=True, text=True, check=True)
        return result.stdout.split()

    cold = run()
    assert cold[1:] == ["卫生管理员", "True", "True"]  # built from the YAML files, validated
    assert run() == [cold[0], "卫生管理员", "False", "False"]
