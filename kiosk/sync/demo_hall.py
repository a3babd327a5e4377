"""The demo's local hall: `./kiosk.sh demo` starts one in the background so a newcomer sees the whole loop.

    python -m kiosk.sync.demo_hall start    # prints the path of a kiosk config pointing at it (exit 0),
                                            # or says why not on stderr (exit 1: the demo runs without a hall)
    python -m kiosk.sync.demo_hall stop     # stops the hall this started (by its recorded process group)

`start` runs `python -m hall serve --data-dir <demo data dir>/hall` (its own PostgreSQL cluster; when run
as root the cluster runs as `postgres`, which cannot enter root's private home, so the hall's data then
lives in /var/tmp/miaoban-demo-hall-<hash of the demo data dir>), waits for /healthz, enrols kiosk K01
and adds the staff member `demo` (admin) once, keeps their credentials in `<demo data dir>/demo-hall.json`
(0600), and writes `<demo data dir>/demo-hall.toml`: the demo configuration plus `[sync]`. It prints the console address
and the demo login on stderr. The kiosk never imports the hall: this only starts its processes.
`kiosk demo` without this (no hall installed, KIOSK_DEMO_NO_HALL=1) works as before, alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from importlib.util import find_spec
from pathlib import Path

from kiosk.config import default_data_dir

STATE_FILE = "demo-hall.json"
CONFIG_FILE = "demo-hall.toml"
ROOT_HALL_PARENT = Path("/var/tmp")
READY_SECONDS = 180.0
DEFAULT_PORT = 8600


def _say(text: str) -> None:
    print(f"[demo hall] {text}", file=sys.stderr, flush=True)


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    if _port_free(DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _hall(*argv: str) -> dict:
    run = subprocess.run([sys.executable, "-m", "hall", *argv], capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise RuntimeError(f"python -m hall {argv[0]}: {run.stderr.strip() or run.stdout.strip()}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def start(data_dir: Path) -> Path:
    if find_spec("hall") is None or find_spec("django") is None:
        raise RuntimeError("the hall is not installed in this environment (./kiosk.sh installs it)")
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    tag = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:8]
    hall_dir = ROOT_HALL_PARENT / f"miaoban-demo-hall-{tag}" if os.geteuid() == 0 else data_dir / "hall"
    hall_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        hall_dir.chmod(0o755)  # the cluster's user must enter it
    state_path = data_dir / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.is_file() else {}
    stop(data_dir, quiet=True)  # a hall left by a demo that was killed
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = data_dir / "demo-hall.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "hall", "serve", "--data-dir", str(hall_dir),
                                    "--port", str(port), "--workers", "2"], stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    state.update(pid=process.pid, url=url, hall_dir=str(hall_dir))
    _write_private(state_path, json.dumps(state, ensure_ascii=False))
    _say(f"starting the hall at {url} (data {hall_dir}, log {log_path}) ...")
    deadline = time.monotonic() + READY_SECONDS
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(data_dir, quiet=True)
            raise RuntimeError(f"the hall did not start (see {log_path})")
        time.sleep(0.3)
    if state.get("hall_dir") != str(hall_dir) or "token" not in state:
        state["token"] = _hall("enrol", "K01", "--data-dir", str(hall_dir), "--json",
                               "--name", "演示终端", "--location", "一楼大厅 演示")["token"]
    if "password" not in state:
        staff = _hall("staff", "add", "demo", "--role", "admin", "--display-name", "演示管理员",
                      "--data-dir", str(hall_dir), "--json")
        state["password"] = staff["password"]
    _write_private(state_path, json.dumps(state, ensure_ascii=False))
    config = data_dir / CONFIG_FILE
    _write_private(config, f'demo = true\ndata_dir = "{data_dir}"\n\n[sync]\nurl = "{url}"\n'
                           f'token = "{state["token"]}"\n')
    _say(f"hall console: {url}/   login: demo / {state['password']}")
    return config


def stop(data_dir: Path, quiet: bool = False) -> None:
    state_path = data_dir / STATE_FILE
    if not state_path.is_file():
        return
    state = json.loads(state_path.read_text(encoding="utf-8"))
    pid = state.pop("pid", None)
    if pid:
        try:
            os.killpg(pid, signal.SIGTERM)  # serve, its workers and its PostgreSQL stop together
            for _ in range(300):
                os.killpg(pid, 0)
                time.sleep(0.1)
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if not quiet:
            _say("the hall stopped")
    _write_private(state_path, json.dumps(state, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = Path(os.environ.get("KIOSK_DEMO_DATA_DIR") or default_data_dir(demo=True))
    if argv[:1] == ["start"]:
        try:
            print(start(data_dir))
        except (RuntimeError, OSError, ValueError, subprocess.SubprocessError) as exc:
            _say(f"the demo runs without a hall: {exc}")
            return 1
        return 0
    if argv[:1] == ["stop"]:
        stop(data_dir)
        return 0
    print("usage: python -m kiosk.sync.demo_hall start|stop", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
