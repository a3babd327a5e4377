"""Saving the technician panel's changes to the configuration file: validated, atomic, the old file kept.

    config = save_config(path, {"devices.reader": "/dev/ttyUSB1?baudrate=57600", "catalog.disabled": [...]})

- `edited_text(text, changes)`: the TOML text with the dotted keys set (None removes a key), edited with
  tomlkit so the technician's comments, key order and layout stay as they were.
- `save_config(path, changes)`: the edited document is validated as a whole by `kiosk.config.parse_config`
  (the same checks as at start: device addresses, ranges, the PIN hash) BEFORE anything is written; a
  refused change raises `ConfigError` (the key and the reason) and leaves the file untouched. A valid one
  copies the current file to `<name>.bak` (atomically, replacing the previous backup), then writes the new
  text atomically (temporary file, fsync, rename: forms.atomicfile), mode 0600 (the file may hold the
  hall token). Returns the new `KioskConfig`.

Nothing here knows about Qt or the panel; the callers audit the change (names of the keys, never the
values of secrets).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit

from forms.atomicfile import write_private_file
from kiosk.config import ConfigError, KioskConfig, parse_config

BACKUP_SUFFIX = ".bak"


def backup_path(path: Path) -> Path:
    """Where the previous configuration is kept: `config.toml` -> `config.toml.bak`."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def edited_text(text: str, changes: Mapping[str, Any]) -> str:
    """`text` (a TOML document, maybe empty) with each dotted key of `changes` set to its value, or
    removed when the value is None. Tables are made as needed; comments and layout elsewhere stay."""
    try:
        document = tomlkit.parse(text)
    except Exception as exc:  # tomlkit's parse errors have no common public base
        raise ConfigError(f"the configuration file is not valid TOML: {exc}") from None
    for dotted, value in changes.items():
        *tables, key = dotted.split(".")
        table: Any = document
        for name in tables:
            if name not in table:
                if value is None:
                    break
                table[name] = tomlkit.table()
            table = table[name]
        else:
            if value is None:
                if key in table:
                    del table[key]
            else:
                table[key] = list(value) if isinstance(value, tuple) else value
    return tomlkit.dumps(document)


def validated(text: str, source: str) -> KioskConfig:
    """The configuration `text` stands for, or ConfigError (`source`, the key path and the reason)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    return parse_config(data, source=source)


def save_config(path: Path | str, changes: Mapping[str, Any]) -> KioskConfig:
    """Validate `changes` applied to the file at `path`, keep the old file as `<name>.bak`, write the new
    one atomically; return the new configuration. ConfigError (file untouched) when the result is
    invalid or the file cannot be read or written."""
    path = Path(path)
    try:
        old = path.read_bytes() if path.exists() else None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror or exc}") from None
    try:
        old_text = old.decode("utf-8") if old is not None else ""
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    new_text = edited_text(old_text, changes)
    config = validated(new_text, str(path))
    try:
        if old is not None:
            write_private_file(backup_path(path), old)
        write_private_file(path, new_text.encode("utf-8"), sync_folder=True)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the configuration: {exc.strerror or exc}") from None
    return config
