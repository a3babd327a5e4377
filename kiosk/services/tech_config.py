"""The technician panel's configuration changes, without Qt: validate, save, apply, audit.

`ConfigDesk(kiosk, config_path, reopen_reader).save(changes, what)` (a worker's call):
1. keeps only the dotted keys whose value differs from the running configuration;
2. validates the whole new configuration (kiosk.config's model: device addresses by kiosk.device_check,
   ranges, the PIN hash) — a refusal says which key and why, and nothing is written or applied;
3. saves it (kiosk.config_writer: old file kept as `<name>.bak`, new one written atomically); with no
   configuration file (the offline demo's built-in configuration) the change holds for this run only and
   the answer says so;
4. applies it without a restart where it can: the reader is reopened at its new address
   (`reopen_reader`, the app's own reader), the printer's jobs waiting in the queue move to the new
   printer URL and new jobs go there, the camera is opened at its new address next time; the
   composition root's `config` is replaced, so everything that reads it (retention, device checks, the
   panel's summary) sees the new values; what only a restart applies (`RESTART_KEYS`) is named;
5. audits `config.changed` (the keys, the old and new values with any credential in a URL masked; the
   PIN hash and the hall token are never in it) or `config.refused` (the keys and the reason).
The UI then applies what lives in it (hall name, catalog, volume, timeouts: kiosk.ui.techbridge).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import ConfigError, KioskConfig, parse_config
from kiosk.services.panel_forms import RESTART_KEYS, FormError

if TYPE_CHECKING:
    from kiosk.app import Kiosk

_log = logging.getLogger(__name__)
#: Keys whose values are never written to the audit log.
SECRET_KEYS = frozenset({"admin.pin_hash", "sync.token"})


@dataclass(frozen=True)
class SaveOutcome:
    """What saving came to: `ok`, the panel's line, the keys changed, the keys that wait for a restart."""

    ok: bool
    text: str
    changed: tuple[str, ...] = ()
    restart: tuple[str, ...] = ()
    config: KioskConfig | None = field(default=None, compare=False)


def config_value(config: Any, dotted: str) -> Any:
    value = config
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def _audit_value(dotted: str, value: Any) -> Any:
    from kiosk.services.technician import redact_url

    if dotted in SECRET_KEYS:
        return "***"
    if dotted.startswith("devices.") and isinstance(value, str):
        return redact_url(value)
    return list(value) if isinstance(value, tuple) else value


def _merged(config: KioskConfig, changes: Mapping[str, Any]) -> dict[str, Any]:
    data = config.model_dump(mode="json", exclude_none=True)
    for dotted, value in changes.items():
        *tables, key = dotted.split(".")
        table = data
        for name in tables:
            table = table.setdefault(name, {})
        table[key] = list(value) if isinstance(value, tuple) else value
    return data


class ConfigDesk:
    """Saves and applies the panel's configuration changes over a built `Kiosk` (call on a worker)."""

    def __init__(self, kiosk: Kiosk, config_path: Path | None,
                 reopen_reader: Callable[[str], Any] | None = None) -> None:
        self.kiosk = kiosk
        self.config_path = config_path
        self._reopen_reader = reopen_reader

    def differences(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        config = self.kiosk.config
        return {key: value for key, value in changes.items()
                if _normal(config_value(config, key)) != _normal(value)}

    def save(self, changes: Mapping[str, Any], what: str) -> SaveOutcome:
        changed = self.differences(changes)
        if not changed:
            return SaveOutcome(True, f"{what}：没有改动 · nothing changed")
        try:
            if self.config_path is not None:
                from kiosk.config_writer import save_config

                config = save_config(self.config_path, changed)
            else:
                config = parse_config(_merged(self.kiosk.config, changed), source="(demo, no file)")
        except (ConfigError, FormError) as exc:
            reason = str(exc)
            self.kiosk.store.append_audit("config.refused", "config", {"what": what, "keys": sorted(changed),
                                                                       "reason": reason, "by": "panel"})
            return SaveOutcome(False, f"✖ 未保存，原配置未改动 · NOT saved, the old file is untouched\n{reason}")
        old = self.kiosk.config
        applied = self.apply(config, changed)
        restart = tuple(sorted(key for key in changed if key in RESTART_KEYS))
        self.kiosk.store.append_audit("config.changed", "config", {
            "what": what, "by": "panel", "file": str(self.config_path) if self.config_path else None,
            "changes": {key: {"from": _audit_value(key, config_value(old, key)),
                              "to": _audit_value(key, value)} for key, value in sorted(changed.items())},
        })
        where = ("已保存到 " + str(self.config_path) + "（原文件另存为 .bak）· saved"
                 if self.config_path else "演示模式没有配置文件：本次运行有效 · demo: this run only")
        lines = [f"✔ {what}：{where}", *applied]
        if restart:
            lines.append("重启终端后生效 · after a restart: " + ", ".join(restart))
        return SaveOutcome(True, "\n".join(lines), tuple(sorted(changed)), restart, config)

    def apply(self, config: KioskConfig, changed: Mapping[str, Any]) -> list[str]:
        """Put `config` in force in the running kiosk; lines saying what was applied."""
        kiosk = self.kiosk
        lines: list[str] = []
        kiosk.config = config
        if hasattr(kiosk, "directory"):  # the forms' hall (pickup window, offices) for the next application
            kiosk.directory.hall = config.hall
        if "devices.camera" in changed:
            kiosk.devices = dataclasses.replace(kiosk.devices, camera_url=config.devices.camera)
        if "devices.printer" in changed:
            lines.append(self._switch_printer(config.devices.printer))
        if "devices.reader" in changed:
            if self._reopen_reader is None:
                lines.append("读卡器：重启后使用新地址 · reader: after a restart")
            else:
                try:
                    self._reopen_reader(config.devices.reader)
                    lines.append("读卡器已按新地址重新打开 · reader reopened")
                except Exception as exc:  # the address is valid but the port is not there
                    _log.warning("reader reopen at the new address failed: %s", exc)
                    lines.append(f"读卡器打不开：{exc}；请检查连线后点“读卡测试” · reader not opened")
        return lines

    def _switch_printer(self, url: str) -> str:
        from printers.url import parse_printer_url

        kiosk = self.kiosk
        if parse_printer_url(url).scheme == "sim" and kiosk.sim_printer is None:
            return "打印机：模拟打印机需重启终端 · sim:// printer after a restart"
        old = kiosk.printer_url
        kiosk.devices = dataclasses.replace(kiosk.devices, printer_url=url)
        kiosk.printer_url = url
        from printers.errors import QueueError

        moved = 0
        for job in kiosk.queue.jobs(printer=old, state="queued"):  # held ones go where 重新打印 sends them
            try:
                kiosk.queue.move(job.id, url)
                moved += 1
            except QueueError:  # claimed by the old printer's worker meanwhile: it finishes there
                pass
        if moved:
            kiosk.queue.retry_now(url)  # the new printer's worker starts on them
        return f"打印机已切换到新地址，{moved} 个等待中的任务随之转过去 · printer switched ({moved} jobs moved)"


def _normal(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
