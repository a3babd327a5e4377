"""The floors stay: the import contract holds, the services load without Qt, and the headless player
loads no module named `testing` (issue 11). Each runs in a fresh interpreter, so what another test
imported does not count."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_the_import_contract_holds():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


def test_the_services_and_the_commands_load_without_qt_and_without_each_other():
    result = _python(
        "import sys, pkgutil, importlib, kiosk.services, kiosk.commands\n"
        "for package in (kiosk.services, kiosk.commands):\n"
        "    for info in pkgutil.iter_modules(package.__path__):\n"
        "        importlib.import_module(f'{package.__name__}.{info.name}')\n"
        "print(sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in ('PySide6', 'shiboken6') or m.startswith('kiosk.ui')))\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_headless_player_loads_no_testing_module():
    result = _python("import sys, kiosk.ui.player\nprint(sorted(m for m in sys.modules if 'testing' in m.split('.')))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


DEVICE_MAKERS = {"CardReader", "open_transport", "EmulatedPrinter", "SimulatedReader", "PortOpener",
                 "open_reader_port", "SimTransport"}


def test_only_the_device_wiring_makes_devices():
    """Real or simulated is decided in kiosk/devices.py only: no other kiosk module makes a reader, a
    printer transport or an emulator (they ask the kiosk's `Devices`)."""
    import ast

    makers = []
    for path in sorted((REPO / "kiosk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in DEVICE_MAKERS:
                    makers.append(f"{path.relative_to(REPO)}:{node.lineno} {name}")
    assert makers and all(maker.startswith("kiosk/devices.py:") for maker in makers), makers
