"""Start-up figures of the real entry points, timed from outside as processes (issue 17). Run:

    .venv/bin/python bench/bench_start.py [--runs 5] [--importtime]

Each row is the median of --runs fresh processes (offscreen, software rendering), interleaved with a
bare baseline in the same run so a busy machine moves both:
1. `kiosk demo --startup-probe` until it prints `start-screen` (the start screen's first frame) and
   `services-ready` (catalog and devices usable), against a bare PySide6 QML window (a Window with one
   Text, printing on its first frameSwapped). Goals: start screen <= 1.5 x bare; services ready <= 0.4 s
   after start (both: after process start, and after the start screen).
2. `kiosk apply` (health permit, 张伟, approved, 3 PDFs, sim:// printer): process wall time. Goal <= 0.4 s.
   With --importtime, the import cost of one apply is broken down (`python -X importtime`): rule_engine
   (its PLY parser tables, built at import; the compiled catalog cache removes it) shown apart.
3. `kiosk --help`: process wall time. Goal <= 0.1 s. Beside it `python -c pass` (the interpreter alone).
Each process's CPU time (user + system) is printed too: steadier than wall time on a shared machine;
and the CPU time the kiosk and the bare window had used when they printed `start-screen` (read from
/proc as the line arrives), whose ratio is the start screen's cost against a bare window's under load.
`--tree DIR` times another checkout's kiosk (its .venv) with this bench: the "before" figures.
Python writes its bytecode caches here (PYTHONDONTWRITEBYTECODE is removed from the children's
environment, and one unmeasured run of each warms them), as on an installed kiosk.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import report

ROOT = Path(__file__).resolve().parent.parent
KIOSK = [sys.executable, "-m", "kiosk"]
ANSWERS = ROOT / "assets" / "demo" / "answers" / "public-place-health-permit.json"
CWD = [ROOT]  # --tree: time another checkout (its .venv) with the same bench, e.g. main before a change
BARE_QML = b"""
import QtQuick
Window { width: 1080; height: 1920; visible: true; Text { anchors.centerIn: parent; text: "hello" } }
"""
BARE_SCRIPT = """
import sys
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine

app = QGuiApplication([])
engine = QQmlApplicationEngine()
engine.load(QUrl.fromLocalFile(sys.argv[1]))
window = engine.rootObjects()[0]

def shown():
    print("start-screen", flush=True)
    app.exit(0)

window.frameSwapped.connect(shown)
sys.exit(app.exec())
"""


def child_env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software",
           "KIOSK_TODAY": os.environ.get("KIOSK_TODAY", "2026-11-21")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cpu_so_far(pid: int) -> float | None:
    """CPU seconds a running process has used so far (Linux: the sum of its threads' run time in
    /proc/PID/task/*/schedstat, in ns; else /proc/PID/stat's user + system ticks), None if unknown."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        total = sum(int((task / "schedstat").read_text().split()[0]) for task in tasks)
        if total:
            return total / 1e9
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def timed_lines(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from the process start to each line it printed, "exit" to its end, and "cpu" the CPU
    seconds (user + system) the process used in all; "LINE cpu" the CPU seconds it had used when it
    printed LINE (read from /proc as the line arrives: steady on a busy machine, where wall time is not)."""
    started = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=CWD[0])
    assert process.stdout is not None
    seen: dict[str, float] = {}
    for line in process.stdout:
        key = line.decode(errors="replace").strip()
        if key not in seen:
            seen[key] = time.monotonic() - started
            cpu = cpu_so_far(process.pid)
            if cpu is not None:
                seen[f"{key} cpu"] = cpu
    _, status, usage = os.wait4(process.pid, 0)  # the child's CPU time too: steadier on a busy machine
    process.returncode = code = os.waitstatus_to_exitcode(status)
    seen["exit"] = time.monotonic() - started
    seen["cpu"] = usage.ru_utime + usage.ru_stime
    if code != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} exited {code}")
    return seen


def median(values: list[float]) -> float:
    return statistics.median(values)


def row(label: str, values: list[float], goal: str = "") -> None:
    print(f"{label:<58} median {median(values) * 1000:7.0f} ms  (min {min(values) * 1000:.0f}, "
          f"max {max(values) * 1000:.0f}, n={len(values)}){'  goal ' + goal if goal else ''}")


def importtime(argv: list[str], env: dict[str, str]) -> list[tuple[str, float]]:
    """(top-level module, cumulative ms) of one process's imports, largest first."""
    result = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], capture_output=True, env=env,
                            cwd=CWD[0], check=True)
    tops: list[tuple[str, float]] = []
    for line in result.stderr.decode(errors="replace").splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match[2]) == 1:  # one space after the bar: a top-level import
            tops.append((match[3], int(match[1]) / 1000))
    return sorted(tops, key=lambda item: -item[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--importtime", action="store_true", help="break down the imports of one apply")
    parser.add_argument("--tree", type=Path, metavar="DIR",
                        help="time the kiosk of another checkout (DIR/.venv/bin/python, run in DIR); rows its "
                             "kiosk cannot give (no --startup-probe before issue 17) are left out")
    args = parser.parse_args()
    env = child_env()
    global KIOSK
    if args.tree:
        CWD[0] = args.tree.resolve()
        KIOSK = [str(CWD[0] / ".venv" / "bin" / "python"), "-m", "kiosk"]
        env.pop("PYTHONPATH", None)
        # its bytecode caches go to a folder of ours, not into the other checkout
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "bench-start-pycache")
        # and its compiled caches to a folder of their own: keys built by other code would make each
        # checkout rebuild the other's font and catalog caches at every run
        env["KIOSK_CACHE_DIR"] = str(Path(tempfile.gettempdir()) / "bench-start-cache")
    with tempfile.TemporaryDirectory(prefix="bench-start-") as scratch:
        work = Path(scratch)
        (work / "bare.qml").write_bytes(BARE_QML)
        (work / "bare.py").write_text(BARE_SCRIPT, encoding="utf-8")
        bare_argv = [sys.executable, str(work / "bare.py"), str(work / "bare.qml")]
        demo_argv = [*KIOSK, "demo", "--startup-probe", "--data-dir", str(work / "demo")]

        def apply_argv(index: int) -> list[str]:
            return [*KIOSK, "apply", "--data-dir", str(work / "apply"), "--service", "public-place-health-permit",
                    "--card", "adult", "--answers", str(ANSWERS), "--out", str(work / f"out{index}"), "--json"]

        help_argv = [*KIOSK, "--help"]
        python_argv = [sys.executable, "-c", "pass"]
        for argv in (bare_argv, apply_argv(-1), help_argv):  # warm: bytecode, data dirs, caches
            timed_lines(argv, env)
        try:
            timed_lines(demo_argv, env)
            probe = True
        except RuntimeError:  # a kiosk without --startup-probe (--tree)
            probe = False
        bare, screen, ready, apply, helps, python = [], [], [], [], [], []
        cpu: dict[str, list[float]] = {"bare": [], "demo": [], "apply": [], "help": [], "python": [],
                                       "bare frame": [], "demo frame": []}
        for index in range(args.runs):
            lines = timed_lines(bare_argv, env)
            bare.append(lines["start-screen"])
            cpu["bare"].append(lines["cpu"])
            if "start-screen cpu" in lines:
                cpu["bare frame"].append(lines["start-screen cpu"])
            if probe:
                demo = timed_lines(demo_argv, env)
                screen.append(demo["start-screen"])
                ready.append(demo["services-ready"])
                cpu["demo"].append(demo["cpu"])
                if "start-screen cpu" in demo:
                    cpu["demo frame"].append(demo["start-screen cpu"])
            for key, argv, into in (("apply", apply_argv(index), apply), ("help", help_argv, helps),
                                    ("python", python_argv, python)):
                lines = timed_lines(argv, env)
                into.append(lines["exit"])
                cpu[key].append(lines["cpu"])
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        row("bare PySide6 QML window: first frame", bare)
        if probe:
            row("kiosk demo --startup-probe: start-screen", screen)
            print(f"{'  ratio start screen / bare window':<58} {median(screen) / median(bare):.2f} x  "
                  "goal <= 1.5 x")
            if cpu["bare frame"] and cpu["demo frame"]:
                print(f"{'  CPU to the first frame: kiosk / bare window':<58} "
                      f"{median(cpu['demo frame']) * 1000:.0f} / {median(cpu['bare frame']) * 1000:.0f} ms = "
                      f"{median(cpu['demo frame']) / median(cpu['bare frame']):.2f} x")
            row("kiosk demo --startup-probe: services-ready (from start)", ready)
            after = [r - s for r, s in zip(ready, screen, strict=True)]
            row("  services-ready after the start screen", after, "<= 400 ms")
        row("kiosk apply (health permit, 3 PDFs, sim:// printer)", apply, "<= 400 ms")
        row("kiosk --help", helps, "<= 100 ms")
        row("python -c pass (the interpreter alone)", python)
        print(f"{'  ratio kiosk --help / python -c pass':<58} {median(helps) / median(python):.2f} x")
        print(f"{'  ratio kiosk apply / python -c pass':<58} {median(apply) / median(python):.2f} x wall, "
              f"{median(cpu['apply']) / median(cpu['python']):.2f} x CPU")
        if probe:
            report("kiosk demo -> start screen", median(screen), "s", goal="<= 1.5 x",
                   ratio=median(screen) / median(bare), ratio_to="bare PySide6 QML window")
            report("services ready after the start screen", median(after) * 1000, "ms", goal="<= 400 ms")
        report("kiosk apply CLI wall (health permit, 3 PDFs)", median(apply), "s", goal="<= 0.4 s",
               ratio=median(apply) / median(python), ratio_to="python -c pass")
        report("kiosk --help", median(helps), "s", goal="<= 0.1 s", ratio=median(helps) / median(python),
               ratio_to="python -c pass")
        print("CPU seconds (user + system) per process, whole run:")
        for key, label in (("bare", "bare window (to its first frame, then exit)"),
                           ("demo", "kiosk demo --startup-probe (to services-ready, then exit)"),
                           ("apply", "kiosk apply"), ("help", "kiosk --help"), ("python", "python -c pass")):
            if cpu[key]:
                row(f"  {label}", cpu[key])
        if args.importtime:
            tops = importtime(apply_argv(99), env)
            total = sum(ms for _, ms in tops)
            rule_engine = sum(ms for name, ms in tops if name.startswith("rule_engine"))
            print(f"kiosk apply imports: {total:.0f} ms in all, of which rule_engine {rule_engine:.0f} ms "
                  f"(absent when the conditions come from the compiled cache) -> {total - rule_engine:.0f} ms without")
            for name, ms in tops[:12]:
                print(f"  {ms:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
