"""The hall's own PostgreSQL cluster under its data dir, with Debian's binaries (/usr/lib/postgresql/N/bin).

    DIR/pg/data     the cluster (initdb), owned by the user it runs as
    DIR/pg/run      its unix socket (no TCP port: nothing but this machine's users who can enter DIR reach it;
                    a path too long for a unix socket falls back to /tmp/hall-pg-<hash of DIR>)
    DIR/pg/log      the server log

initdb refuses root, so when run as root the cluster runs as the unprivileged `postgres` user that Debian's
postgresql package creates (DIR/pg is chowned to it). Local connections are trusted over the socket only,
whose directory is mode 700. The database is "hall", its owner the role "hall".

Used by `python -m hall` (hall.cli) and by the test suite's throwaway cluster (tests/hall/conftest.py).
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DATABASE = "hall"
ROLE = "hall"
#: Unix socket paths are limited to 107 bytes on Linux.
_MAX_SOCKET_PATH = 100


class ClusterError(RuntimeError):
    """The cluster could not be set up or started; the message says what to do."""


def bin_dir() -> Path:
    """The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/N/bin)."""
    override = os.environ.get("HALL_PG_BIN")
    if override:
        return Path(override)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        on_path = shutil.which("initdb")
        if on_path:
            return Path(on_path).parent
        raise ClusterError(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): install Debian's package "
            "(`apt-get install postgresql`, which ./kiosk.sh does), or give `--database URL` of an existing server."
        )
    return Path(found[-1]).parent


@dataclass(frozen=True)
class Cluster:
    root: Path  # DIR/pg

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "log"

    @property
    def socket_dir(self) -> Path:
        inside = self.root / "run"
        if len(str(inside / ".s.PGSQL.5432")) <= _MAX_SOCKET_PATH:
            return inside
        return Path("/tmp") / f"hall-pg-{hashlib.sha256(str(self.root).encode()).hexdigest()[:12]}"

    @property
    def url(self) -> str:
        return f"postgresql://{ROLE}@/{DATABASE}?host={self.socket_dir}"

    # -- who runs it -----------------------------------------------------------------------------------

    def _runas(self) -> pwd.struct_passwd | None:
        """The unprivileged user the cluster runs as when we are root, else None (ourselves)."""
        if os.geteuid() != 0:
            return None
        name = os.environ.get("HALL_PG_USER", "postgres")
        try:
            return pwd.getpwnam(name)
        except KeyError:
            raise ClusterError(
                f"running as root, the hall's PostgreSQL must run as an unprivileged user, and user {name!r} "
                "does not exist (Debian's postgresql package creates `postgres`; or set HALL_PG_USER)."
            ) from None

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        user = self._runas()
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        kwargs = {}
        if user is not None:
            kwargs = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
            env["HOME"] = user.pw_dir
        result = subprocess.run([str(bin_dir() / args[0]), *args[1:]], env=env, capture_output=True, text=True,
                                timeout=timeout, cwd="/", **kwargs)
        if check and result.returncode != 0:
            raise ClusterError(f"{args[0]} failed ({result.returncode}): {(result.stderr or result.stdout).strip()}")
        return result

    def _own(self, path: Path, mode: int) -> None:
        path.mkdir(parents=True, exist_ok=True)
        user = self._runas()
        if user is not None:
            os.chown(path, user.pw_uid, user.pw_gid)
        path.chmod(mode)

    # -- life cycle ------------------------------------------------------------------------------------

    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def init(self, *, fast: bool = False) -> None:
        """initdb once (UTF-8, the `hall` superuser role, trust on the socket only). `fast` turns fsync off:
        for throwaway test clusters only."""
        if self.initialised():
            return
        self._own(self.root, 0o700)
        user = self._runas()
        if user is not None:
            probe = subprocess.run(["test", "-x", str(self.root)], user=user.pw_uid, group=user.pw_gid,
                                   extra_groups=[], capture_output=True)
            if probe.returncode != 0:
                raise ClusterError(
                    f"the PostgreSQL user {user.pw_name!r} cannot reach {self.root}: a directory above it is "
                    "closed to other users (as /root is). Choose a --data-dir outside it, e.g. /var/lib/hall."
                )
        self._run("initdb", "-D", str(self.data), "-U", ROLE, "-E", "UTF8", "--locale=C.UTF-8",
                  "--auth-local=trust", "--auth-host=scram-sha-256")
        settings = [
            "listen_addresses = ''",
            # workers x (threads + 1) + 10 (hall.server: one connection per request thread and group writer)
            "max_connections = 400",
            "shared_buffers = 128MB",
            f"unix_socket_directories = '{self.socket_dir}'",
            "unix_socket_permissions = 0700",
            "timezone = 'UTC'",
        ]
        if fast:
            settings += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        with open(self.data / "postgresql.auto.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# hall.pgcluster\n" + "\n".join(settings) + "\n")

    def running(self) -> bool:
        return self.initialised() and self._run("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0

    def start(self) -> None:
        """Start the cluster (initialising it first) and make sure the `hall` database exists."""
        self.init()
        self._own(self.socket_dir, 0o700)
        if not self.running():
            self._own(self.log.parent, 0o700)
            result = self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log),
                               check=False)
            if result.returncode != 0:
                tail = self.log.read_text(errors="replace")[-1500:] if self.log.exists() else ""
                raise ClusterError(f"PostgreSQL did not start: {result.stderr.strip()}\n{tail}")
        self._create_database()

    def _create_database(self) -> None:
        exists = self._run("psql", "-h", str(self.socket_dir), "-U", ROLE, "-d", "postgres", "-tAc",
                           f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'")
        if exists.stdout.strip() != "1":
            self._run("createdb", "-h", str(self.socket_dir), "-U", ROLE, DATABASE)

    def stop(self) -> None:
        """Stop the cluster (fast shutdown: open transactions roll back, committed data is safe)."""
        if self.running():
            self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", str(self.data), check=False)


def for_data_dir(data_dir: Path) -> Cluster:
    return Cluster(Path(data_dir) / "pg")
