"""Loading the service catalog: YAML files -> validated `ServiceSpec`s, with errors that name the file
and the key path of every problem.

`load_catalog(directory)` reads every `*.yaml` directly under the directory (sub-folders such as
`tests/` hold test cases and are skipped); each file holds one spec whose `id` equals the file name.
Parsing uses libyaml when present. Rule conditions are not compiled here (that is lazy and cached, see
`forms.conditions`); `check_spec` compiles them all and checks the names they use; `kiosk services
check` runs it. Parsing YAML and validating is the slow part (~2-6 ms a file), so
`load_catalog(..., cache_dir=DIR)` keeps the validated specs in a compiled pickle (forms.compiled) keyed
by the sha256 of every file and the code version, and unpickles them on later starts. The specs are
plain data (forms.spec): a start that finds the cache current imports neither pydantic nor YAML.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import string
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from forms.conditions import compile_condition
from forms.context import CONTEXT_SYMBOLS
from forms.errors import ConditionError, SpecFileError, UnknownServiceError
from forms.spec import ServiceSpec


def catalog_dir() -> Path:
    """The catalog shipped with the package."""
    return Path(__file__).resolve().parent / "catalog"


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; SpecFileError naming the line on a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecFileError(str(path), [f"cannot read the file: {exc}"]) from None
    import yaml  # only when a file is parsed: a kiosk with a current compiled catalog never needs it

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecFileError(str(path), [f"{where}YAML syntax: {problem}"]) from None


def key_path(loc: tuple[Any, ...], data: Any = None) -> str:
    """A pydantic error location as a key path: ('fields', 3, 'type') -> 'fields[3](uscc).type'."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("key") or node.get("id"), str):
                out += f"({node.get('key') or node.get('id')})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(top level)"


def parse_spec(data: Any, source: str) -> ServiceSpec:
    """Validate parsed YAML (forms.spec_schema, pydantic) into a plain ServiceSpec; SpecFileError lists
    every problem with its key path."""
    if not isinstance(data, dict):
        raise SpecFileError(source, ["(top level): a service spec must be a mapping of keys"])
    from pydantic import ValidationError  # only when a file is validated from source

    from forms.spec_schema import validate_spec

    try:
        return validate_spec(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{key_path(tuple(error['loc']), data)}: {message}")
        raise SpecFileError(source, problems) from None


def load_spec(path: Path | str) -> ServiceSpec:
    """One spec file; its `id` must equal the file name."""
    path = Path(path)
    spec = parse_spec(read_yaml(path), str(path))
    if spec.id != path.stem:
        raise SpecFileError(str(path), [f"id: {spec.id!r} must equal the file name {path.stem!r}"])
    return spec


def check_spec(spec: ServiceSpec) -> list[str]:
    """Deeper checks than the schema: every condition compiles and reads only known names."""
    problems: list[str] = []
    known = set(spec.field_keys) | CONTEXT_SYMBOLS

    def check(where: str, text: str) -> None:
        try:
            condition = compile_condition(text)
        except ConditionError as exc:
            problems.append(f"{where}: {exc}")
            return
        unknown = sorted(condition.names - known)
        if unknown:
            problems.append(f"{where}: unknown name(s) {', '.join(unknown)}")

    for index, field in enumerate(spec.fields):
        if field.show_if:
            check(f"fields[{index}]({field.key}).show_if", field.show_if)
    for index, rule in enumerate(spec.rules):
        check(f"rules[{index}]({rule.id}).condition", rule.condition)
        names = {name for _, name, _, _ in string.Formatter().parse(rule.message) if name}
        unknown = sorted(names - known)
        if unknown:
            problems.append(f"rules[{index}]({rule.id}).message: unknown placeholder(s) {', '.join(unknown)}")
    for index, material in enumerate(spec.materials):
        if material.when:
            check(f"materials[{index}].when", material.when)
    for index, sub in enumerate(spec.bundle or ()):
        if sub.when:
            check(f"bundle[{index}]({sub.id}).when", sub.when)
    return problems


class Catalog(Mapping[str, ServiceSpec]):
    """The service items by id, in catalog order (`order`, then id). `key` is the compiled cache's key
    (`catalog_key`) and `cache_file` its compiled cache file when the catalog was loaded with a cache
    folder, else None (what is built over the catalog, e.g. its search index, is cached beside it).
    From the compiled cache each spec is unpickled when first asked for (`packed`: id -> pickle, in
    catalog order): a command about one item (`kiosk apply`) reads one of the ~40 (~7 ms less)."""

    def __init__(self, specs: Sequence[ServiceSpec] = (), key: str | None = None, cache_file: Path | None = None,
                 *, packed: dict[str, bytes] | None = None) -> None:
        self._specs: dict[str, ServiceSpec] = {spec.id: spec for spec in specs}
        self._packed = dict(packed or {})
        self._order = list(self._packed) or [spec.id for spec in sorted(specs, key=lambda s: (s.order, s.id))]
        self.key = key
        self.cache_file = cache_file

    @staticmethod
    def pack(specs: Sequence[ServiceSpec]) -> dict[str, bytes]:
        """What the compiled cache keeps: each spec pickled apart, in catalog order."""
        ordered = sorted(specs, key=lambda spec: (spec.order, spec.id))
        return {spec.id: pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL) for spec in ordered}

    def __getitem__(self, service_id: str) -> ServiceSpec:
        spec = self._specs.get(service_id)
        if spec is None:
            data = self._packed.get(service_id)
            if data is None:
                raise UnknownServiceError(service_id)
            spec = self._specs[service_id] = _unpickled_spec(data, service_id)
        return spec

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, service_id: object) -> bool:
        return service_id in self._specs or service_id in self._packed

    def by_life_event(self) -> dict[str, list[ServiceSpec]]:
        """Items grouped by life event (开办经营, 出生, 居住 ...), groups in first-seen order."""
        groups: dict[str, list[ServiceSpec]] = {}
        for spec in self.values():
            groups.setdefault(spec.life_event, []).append(spec)
        return groups


def _unpickled_spec(data: bytes, service_id: str) -> ServiceSpec:
    """One spec of the compiled cache (its file passed the cache's digest and key checks)."""
    spec = pickle.loads(data)
    if not isinstance(spec, ServiceSpec) or spec.id != service_id:
        raise SpecFileError(service_id, ["the compiled catalog cache holds something else here; delete it"])
    return spec


def spec_paths(directory: Path) -> list[Path]:
    """The folder's *.yaml files (symbolic links to files too), by name. One os.scandir: Path.glob with a
    stat per file cost ~1.5 ms of every start that loads the catalog."""
    with os.scandir(directory) as entries:
        names = sorted(entry.name for entry in entries if entry.name.endswith(".yaml") and entry.is_file())
    return [directory / name for name in names]


CACHE_FILE_PREFIX = "catalog-"
#: The modules whose code shapes a cached spec: a change to any of them makes every cache stale.
SPEC_MODULES = ("forms.spec", "forms.spec_schema", "forms.fieldtypes", "forms.loader", "forms.compiled")


def catalog_key(paths: list[Path]) -> str:
    """The cache key of a catalog: sha256 of every spec file (name and bytes) and of the code version."""
    from forms.compiled import code_version, digest_files

    return digest_files(paths, code_version(*SPEC_MODULES))


def _cache_file(cache_dir: Path, directory: Path) -> Path:
    digest = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"{CACHE_FILE_PREFIX}{digest}.pickle"


def load_catalog(directory: Path | str | None = None, cache_dir: Path | str | None = None) -> Catalog:
    """Load every spec in `directory` (default: the shipped catalog); SpecFileError for the first bad file.

    Without `cache_dir` (`kiosk services check`, tests) every file is parsed and validated from source.
    With it (the kiosk passes `forms.compiled.cache_root() / "catalog"`), the validated specs are kept in
    one compiled pickle keyed by `catalog_key` (every file's sha256 and the code version): a start with
    unchanged files and code unpickles them (a few ms); an edited file, new code or a corrupt cache file
    loads from source and rewrites it (forms.compiled). The key is `Catalog.key` (the search index
    built over the catalog is cached under it too).
    """
    directory = Path(directory) if directory is not None else catalog_dir()
    if not directory.is_dir():
        raise SpecFileError(str(directory), ["not a directory"])
    paths = spec_paths(directory)
    key = cache_file = None
    if cache_dir is not None:
        from forms import compiled

        try:
            key = catalog_key(paths)
        except OSError as exc:
            raise SpecFileError(str(directory), [f"cannot read the catalog: {exc}"]) from None
        cache_file = _cache_file(Path(cache_dir), directory)
        cached = compiled.read(cache_file, key)
        if isinstance(cached, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in cached.items()):
            return Catalog(key=key, cache_file=cache_file, packed=cached)
    specs: list[ServiceSpec] = []
    seen: dict[str, Path] = {}
    for path in paths:
        spec = parse_spec(read_yaml(path), str(path))
        if spec.id != path.stem:
            raise SpecFileError(str(path), [f"id: {spec.id!r} must equal the file name {path.stem!r}"])
        if spec.id in seen:
            raise SpecFileError(str(path), [f"id: {spec.id!r} is already defined in {seen[spec.id].name}"])
        seen[spec.id] = path
        specs.append(spec)
    if cache_file is not None and key is not None:
        compiled.write(cache_file, key, Catalog.pack(specs))
    return Catalog(specs, key=key, cache_file=cache_file)


def check_catalog(directory: Path | str | None = None) -> list[str]:
    """Every problem in every file of the directory, as 'file: key.path: message' lines (empty = OK)."""
    directory = Path(directory) if directory is not None else catalog_dir()
    if not directory.is_dir():
        return [f"{directory}: not a directory"]
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in spec_paths(directory):
        try:
            spec = load_spec(path)
        except SpecFileError as exc:
            problems.extend(f"{exc.path}: {problem}" for problem in exc.problems)
            continue
        if spec.id in seen:
            problems.append(f"{path}: id: {spec.id!r} is already defined in {seen[spec.id].name}")
        seen[spec.id] = path
        problems.extend(f"{path}: {problem}" for problem in check_spec(spec))
    return problems
