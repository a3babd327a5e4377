"""Loading the service catalog: YAML files -> validated `ServiceSpec`s, with errors that name the file
and the key path of every problem.

`load_catalog(directory)` reads every `*.yaml` directly under the directory (sub-folders such as
`tests/` hold test cases and are skipped); each file holds one spec whose `id` equals the file name.
Parsing uses libyaml when present. Rule conditions are not compiled here (that is lazy and cached, see
`forms.conditions`); `check_spec` compiles them all and checks the names they use; `kiosk services
check` runs it. Parsing YAML is the slow part (pure-Python object construction, ~1-4 ms a file), so
`load_catalog(..., cache_dir=DIR)` keeps the parsed data in a JSON file keyed by each file's name, size
and mtime, and validates from that on later starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from forms.conditions import compile_condition
from forms.context import CONTEXT_SYMBOLS
from forms.errors import ConditionError, SpecFileError, UnknownServiceError
from forms.spec import ServiceSpec

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CACHE_VERSION = 1


def catalog_dir() -> Path:
    """The catalog shipped with the package."""
    return Path(__file__).resolve().parent / "catalog"


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; SpecFileError naming the line on a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecFileError(str(path), [f"cannot read the file: {exc}"]) from None
    try:
        return yaml.load(text, Loader=_Loader)
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
    """Validate parsed YAML into a ServiceSpec; SpecFileError lists every problem with its key path."""
    if not isinstance(data, dict):
        raise SpecFileError(source, ["(top level): a service spec must be a mapping of keys"])
    try:
        return ServiceSpec.model_validate(data)
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
    """The service items by id, in catalog order (`order`, then id).

    Built from validated specs, or (warm start from the cache) from already-validated raw data that is
    turned into a `ServiceSpec` on first access, so start-up does not pay for 80 validations at once.
    """

    def __init__(self, specs: list[ServiceSpec], pending: list[tuple[str, Any]] | None = None) -> None:
        self._specs: dict[str, ServiceSpec] = {spec.id: spec for spec in specs}
        self._pending: dict[str, tuple[str, Any]] = {}
        order: list[tuple[int, str]] = [(spec.order, spec.id) for spec in specs]
        for source, data in pending or []:
            service_id = str(data["id"])
            self._pending[service_id] = (source, data)
            order.append((int(data.get("order", 100)), service_id))
        self._order = [service_id for _, service_id in sorted(order)]

    def __getitem__(self, service_id: str) -> ServiceSpec:
        spec = self._specs.get(service_id)
        if spec is not None:
            return spec
        if service_id not in self._pending:
            raise UnknownServiceError(service_id)
        source, data = self._pending[service_id]
        spec = parse_spec(data, source)
        self._specs[service_id] = spec
        return spec

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, service_id: object) -> bool:
        return service_id in self._specs or service_id in self._pending

    def by_life_event(self) -> dict[str, list[ServiceSpec]]:
        """Items grouped by life event (开办经营, 出生, 居住 ...), groups in first-seen order."""
        groups: dict[str, list[ServiceSpec]] = {}
        for spec in self.values():
            groups.setdefault(spec.life_event, []).append(spec)
        return groups


def spec_paths(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def _stamp(paths: list[Path]) -> list[list[Any]]:
    stamps = []
    for path in paths:
        info = path.stat()
        stamps.append([path.name, info.st_size, info.st_mtime_ns])
    return stamps


def _cache_file(cache_dir: Path, directory: Path) -> Path:
    digest = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"catalog-{digest}.json"


def _read_cache(cache_file: Path, stamps: list[list[Any]]) -> list[Any] | None:
    try:
        cached = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(cached, dict)
        or cached.get("version") != CACHE_VERSION
        or cached.get("files") != stamps
    ):
        return None
    specs = cached.get("specs")
    if not isinstance(specs, list) or len(specs) != len(stamps):
        return None
    if not all(isinstance(data, dict) and isinstance(data.get("id"), str) for data in specs):
        return None
    return specs


def _write_cache(cache_file: Path, stamps: list[list[Any]], raw: list[Any]) -> None:
    """Best effort: a cache that cannot be written only makes the next start slower."""
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(
            json.dumps(
                {"version": CACHE_VERSION, "files": stamps, "specs": raw}, ensure_ascii=False, default=str
            ),
            encoding="utf-8",
        )
        os.replace(temporary, cache_file)
    except OSError:
        return


def load_catalog(directory: Path | str | None = None, cache_dir: Path | str | None = None) -> Catalog:
    """Load every spec in `directory` (default: the shipped catalog); SpecFileError for the first bad file.

    With `cache_dir` (the kiosk passes a folder in its data dir), the parsed YAML is kept in one JSON file
    keyed by every spec file's name, size and mtime: a start with unchanged files skips YAML parsing
    and defers each spec's pydantic validation to its first use (it was validated when cached).
    """
    directory = Path(directory) if directory is not None else catalog_dir()
    if not directory.is_dir():
        raise SpecFileError(str(directory), ["not a directory"])
    paths = spec_paths(directory)
    stamps = _stamp(paths)
    cache_file = _cache_file(Path(cache_dir), directory) if cache_dir is not None else None
    cached = _read_cache(cache_file, stamps) if cache_file is not None else None
    if cached is not None:  # validated when the cache was written; each spec is rebuilt on first use
        return Catalog([], [(str(path), data) for path, data in zip(paths, cached, strict=True)])
    raw = [read_yaml(path) for path in paths]
    specs: list[ServiceSpec] = []
    seen: dict[str, Path] = {}
    for path, data in zip(paths, raw, strict=True):
        spec = parse_spec(data, str(path))
        if spec.id != path.stem:
            raise SpecFileError(str(path), [f"id: {spec.id!r} must equal the file name {path.stem!r}"])
        if spec.id in seen:
            raise SpecFileError(str(path), [f"id: {spec.id!r} is already defined in {seen[spec.id].name}"])
        seen[spec.id] = path
        specs.append(spec)
    if cache_file is not None:
        _write_cache(cache_file, stamps, raw)
    return Catalog(specs)


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
