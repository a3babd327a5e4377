"""`kiosk doctor`'s checks of what the window and the hall need (issue 13), beside those of
kiosk/commands/doctor.py: the document camera gives a frame, a speech engine is there for elder mode,
the Qt plugins the window loads (platform, the virtual keyboard, image formats), the data dir's free
space, and the hall answers with this kiosk's credentials. Each returns a `Check` (OK, or the problem and
what to do). Qt is never imported here: `qt_probe()` runs `python -m kiosk.ui.qt_probe` offscreen.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kiosk.services.checks import Check

CAMERA_FRAME_SECONDS = 5.0
QT_PROBE_SECONDS = 60.0
#: Below this the data dir is a problem: a busy day's PDFs, page photos and database growth.
DISK_PROBLEM_BYTES = 1024**3
#: The image formats the window shows (camera and demo photos are JPEG; PNG is built in).
NEEDED_IMAGE_FORMATS = ("png", "jpeg")
HALL_TIMEOUT_SECONDS = 5.0


# --- camera -----------------------------------------------------------------------------------------------

def check_camera(devices: Any, *, timeout: float = CAMERA_FRAME_SECONDS) -> Check:
    """Open the configured camera and wait for one frame."""
    from kiosk.camera.url import CameraError

    name = f"camera {devices.camera_url}"
    if devices.camera_url.strip() == "none":
        return Check(name, True, "no document camera on this kiosk (devices.camera = none)")
    todo = ("check the camera's USB cable and power; try another device on the panel's camera page, then set "
            "devices.camera in the configuration")
    started = time.monotonic()
    try:
        source = devices.open_camera()
    except CameraError as exc:
        return Check(name, False, str(exc), todo)
    try:
        while True:
            try:
                frame = source.read()
            except CameraError as exc:
                return Check(name, False, str(exc), todo)
            if frame is not None:
                height, width = frame.shape[:2]
                return Check(name, True, f"a {width}x{height} frame in {time.monotonic() - started:.1f} s")
            if time.monotonic() - started > timeout:
                return Check(name, False, f"no frame within {timeout:g} s", todo)
            time.sleep(0.05)
    finally:
        source.close()


# --- Qt and speech ----------------------------------------------------------------------------------------

def qt_probe(*, timeout: float = QT_PROBE_SECONDS) -> dict[str, Any]:
    """What Qt offers here (kiosk.ui.qt_probe in a child process, offscreen); {"error": ...} when it fails."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    try:
        done = subprocess.run([sys.executable, "-m", "kiosk.ui.qt_probe"], capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"Qt did not start within {timeout:g} s"}
    except OSError as exc:
        return {"error": f"cannot start Python: {exc}"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return {"error": f"Qt does not start: {last[:300]}"}
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"error": "the Qt probe answered nothing readable"}


def window_platform(environ: dict[str, str] | os._Environ = os.environ) -> str:
    """The Qt platform plugin the kiosk window will load here (QT_QPA_PLATFORM, else wayland or xcb)."""
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if chosen:
        return chosen
    return "wayland" if environ.get("WAYLAND_DISPLAY") else "xcb"


PINYIN_PROBE = ("zhong", "中")  # kiosk.ui.qt_probe types the first on the 简体中文 layout; the second comes first


def check_qt_plugins(probe: dict[str, Any], platform: str) -> Check:
    """The platform plugin, the virtual keyboard (QML module, input context, Pinyin) and the image formats."""
    name = "qt plugins"
    if "error" in probe:
        return Check(name, False, probe["error"], "reinstall the kiosk (PySide6) or run `./kiosk.sh setup`")
    problems = []
    if platform not in probe.get("platforms", []):
        problems.append(f"no '{platform}' platform plugin in {probe.get('plugins')}")
    if not probe.get("virtual_keyboard"):
        why = probe.get("keyboard_error") or "QtQuick.VirtualKeyboard"
        problems.append(f"the virtual keyboard does not load ({why})")
    elif not probe.get("input_context"):
        problems.append("no virtual keyboard input-context plugin")
    elif probe.get("pinyin") != PINYIN_PROBE[1]:
        problems.append(f"the 简体中文 keyboard offers no {PINYIN_PROBE[1]} for '{PINYIN_PROBE[0]}' (the Pinyin "
                        "plugin or its dictionary is missing): applicants cannot type Chinese")
    missing = [fmt for fmt in NEEDED_IMAGE_FORMATS if fmt not in probe.get("image_formats", [])]
    if missing:
        problems.append(f"no image format plugin for {', '.join(missing)}")
    if problems:
        return Check(name, False, "; ".join(problems),
                     "the window cannot start or type: reinstall the kiosk's PySide6 (./kiosk.sh setup), or set "
                     "QT_QPA_PLATFORM to a platform listed: " + ", ".join(probe.get("platforms", [])))
    return Check(name, True, f"Qt {probe.get('qt')}: platform {platform}, virtual keyboard, "
                             f"{'/'.join(NEEDED_IMAGE_FORMATS)} images")


def check_speech(probe: dict[str, Any], *, path: str | None = None) -> Check:
    """Elder mode reads aloud through a Qt speech engine or espeak-ng (kiosk.ui.voice.choose_voice)."""
    engines = [name for name in probe.get("speech_engines", []) if name != "mock"]
    espeak = shutil.which("espeak-ng", path=path)
    found = [f"Qt speech engine {', '.join(engines)}"] if engines else []
    found += [f"espeak-ng {espeak}"] if espeak else []
    if found:
        return Check("speech", True, " and ".join(found))
    return Check("speech", False, "no speech engine: elder mode's spoken help is silent",
                 "apt-get install espeak-ng (or speech-dispatcher)")


# --- disk -------------------------------------------------------------------------------------------------

def check_disk(data_dir: Path, *, minimum: int = DISK_PROBLEM_BYTES) -> Check:
    """Free space on the data dir's disk (the nearest existing folder when it is not made yet)."""
    where = next((p for p in (Path(data_dir), *Path(data_dir).parents) if p.exists()), Path("/"))
    try:
        usage = shutil.disk_usage(where)
    except OSError as exc:
        return Check("disk space", False, f"{where}: {exc.strerror or exc}", "check the disk the data dir is on")
    free_gb, share = usage.free / 1024**3, usage.free / usage.total * 100 if usage.total else 0.0
    detail = f"{free_gb:.1f} GB free of {usage.total / 1024**3:.0f} GB ({share:.0f}%) at {where}"
    if usage.free < minimum:
        return Check("disk space", False, detail + f", under {minimum / 1024**3:.1f} GB",
                     "free space: `kiosk purge` old personal data, move old exports off, or give the disk more room")
    return Check("disk space", True, detail)


# --- the hall ---------------------------------------------------------------------------------------------

def check_hall_connection(config: Any, *, timeout: float = HALL_TIMEOUT_SECONDS) -> Check:
    """Reach the hall with this kiosk's credentials: an events request with no events (the hall stores
    nothing; a 200 proves the address, the network and the token). Not configured: OK (works alone)."""
    from kiosk.sync.uploader import settings_for
    from kiosk.sync.wire import HallError, post_json

    settings = settings_for(config)
    if settings is None:
        return Check("hall connection", True, "[sync] not configured: the kiosk works alone")
    url = settings.url.rstrip("/") + "/api/v1/events"
    payload = {"kiosk_id": settings.kiosk_id, "sent_at": dt.datetime.now().astimezone().isoformat(), "events": []}
    started = time.monotonic()
    try:
        reply = post_json(url, settings.token, payload, timeout=timeout)
    except HallError as exc:
        todo = ("enrol this kiosk again on the hall (python -m hall enrol) and update [sync] token"
                if exc.kind == "refused" else "check the network cable / Wi-Fi and [sync] url; events wait on this "
                                              "kiosk and are sent when the hall answers")
        return Check("hall connection", False, str(exc), todo)
    if not isinstance(reply.get("held"), list):
        return Check("hall connection", False, f"{url} answered, but not as the hall does", "check [sync] url")
    return Check("hall connection", True, f"{settings.url} answers as kiosk {settings.kiosk_id} "
                                          f"({(time.monotonic() - started) * 1000:.0f} ms)")
