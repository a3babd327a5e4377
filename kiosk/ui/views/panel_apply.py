"""What a configuration saved in the technician panel changes in the window (the kiosk itself took it
in kiosk.services.tech_config): the hall name in the header, the applicant catalog (items switched off
are not offered), the speaker's volume, and the next visit's timeouts, language and elder mode.

`offer_catalog(bridge, entries, config)` is called when the services arrive (the catalog entries kept
whole, the offered ones shown); `apply_config(bridge, config)` when the panel saved. The screen
orientation waits for a restart (the window is laid out)."""

from __future__ import annotations

from typing import Any


def offered(entries: list[Any], config: Any) -> list[Any]:
    """The applicant catalog: every item but those switched off in the technician panel."""
    disabled = set(config.catalog.disabled) if config is not None else set()
    return [entry for entry in entries if entry.id not in disabled]


def offer_catalog(bridge: Any, entries: list[Any], config: Any) -> None:
    bridge.all_entries = list(entries)
    if config is not None:
        bridge.voice.set_volume(config.speaker.volume)
    bridge.start.set_entries(offered(entries, config))


def apply_config(bridge: Any, config: Any) -> None:
    from kiosk.app import idle_settings

    bridge._hall_name = config.hall.name
    bridge.start.set_entries(offered(getattr(bridge, "all_entries", []), config))
    bridge.session.settings = idle_settings(config)
    bridge.readyChanged.emit()
