"""The hall's tests run on a real PostgreSQL: a throwaway cluster this suite starts itself (Debian's binaries,
through hall.pgcluster — as the `postgres` user when run as root, since initdb refuses root), with Django set
up on hall.settings against it. It is stopped and deleted at the end of the session.

Nothing is skipped: without PostgreSQL's binaries every hall test fails with the message saying to install
them (./kiosk.sh installs Debian's postgresql). Tests keep apart by using their own kiosks, staff and case
numbers (the case history is append-only: no table is emptied between tests).

Every test under tests/hall gets the `hall` marker (`pytest -m "not hall"` leaves them out).
"""

from __future__ import annotations

import atexit
import io
import itertools
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import django
import pytest

from hall import pgcluster

HALL_TESTS = Path(__file__).resolve().parent
_serial = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HALL_TESTS in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.hall)


def _scratch_dir(prefix: str) -> Path:
    """A directory the cluster's unprivileged user can reach (pytest's tmp_path under root is mode 700)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


#: The session's scratch directories and cluster, named now so Django can be set up while the tests are
#: collected (test modules import hall's models); the cluster itself starts with the first hall test.
_ROOT = _scratch_dir("hall-test-")
_CLUSTER = pgcluster.Cluster(_ROOT / "pg")
atexit.register(shutil.rmtree, _ROOT, True)
os.environ["HALL_DATA_DIR"] = str(_ROOT / "data")
os.environ["HALL_DATABASE_URL"] = _CLUSTER.url
os.environ["DJANGO_SETTINGS_MODULE"] = "hall.settings"
django.setup()


@pytest.fixture(scope="session")
def hall_pg() -> Iterator[pgcluster.Cluster]:
    """The session's throwaway PostgreSQL cluster (fsync off: it is thrown away), stopped at the end."""
    try:
        try:
            _CLUSTER.init(fast=True)
            _CLUSTER.start()
        except pgcluster.ClusterError as e:
            pytest.fail(f"the hall's tests need PostgreSQL and could not start it: {e}", pytrace=False)
        yield _CLUSTER
    finally:
        from django.db import connections

        connections.close_all()
        _CLUSTER.stop()


@pytest.fixture(scope="session")
def hall_django(hall_pg: pgcluster.Cluster) -> None:
    """Django on hall.settings against the session's cluster, migrated."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _hall_db(hall_django: None) -> None:
    """Every hall test has the database."""


def unique(prefix: str) -> str:
    return f"{prefix}{next(_serial)}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
def enrolled() -> Callable[..., tuple[str, str]]:
    """enrolled() -> (kiosk_id, token) of a freshly enrolled kiosk."""
    from hall.cases import tokens

    def make(location: str = "一楼大厅") -> tuple[str, str]:
        kiosk_id = unique("K")
        return kiosk_id, tokens.enrol(kiosk_id, location=location)

    return make


@pytest.fixture
def staff() -> Callable[..., Any]:
    """staff("reviewer"|"approver"|"admin") -> a new user in that role."""
    from django.contrib.auth import get_user_model

    from hall.cases import services

    def make(role: str, name: str | None = None):
        user = get_user_model().objects.create_user(name or unique(role), password=uuid.uuid4().hex)
        services.set_role(user, role)
        return user

    return make


@pytest.fixture
def client():
    from django.test import Client

    return Client()


# -- a client of the WSGI application gunicorn serves ----------------------------------------------------------
# hall.wsgi.application (the kiosk API's thin path, everything else Django) called with a real WSGI environ, as
# Django's test Client calls Django's own handler; the same calls and reply attributes the API tests use.

class Reply:
    def __init__(self, status: str, headers: list[tuple[str, str]], content: bytes):
        self.status_code = int(status.split()[0])
        self.headers = {name: value for name, value in headers}
        self.content = content

    def json(self):
        assert self.headers.get("Content-Type", "").startswith("application/json"), self.headers
        return json.loads(self.content)

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


class WsgiClient:
    def _call(self, method: str, path: str, body: bytes, content_type: str | None, extra: dict) -> Reply:
        from hall.wsgi import application

        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "testserver",
            "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)), **({"CONTENT_TYPE": content_type} if content_type else {}), **extra,
        }
        started: list = []
        chunks = application(environ, lambda status, headers, exc_info=None: started.extend([status, headers]))
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return Reply(started[0], started[1], content)

    def post(self, path: str, data: bytes | str = b"", content_type: str = "application/json", **extra) -> Reply:
        return self._call("POST", path, data.encode() if isinstance(data, str) else data, content_type, extra)

    def get(self, path: str, **extra) -> Reply:
        return self._call("GET", path, b"", None, extra)


@pytest.fixture
def wsgi_client() -> WsgiClient:
    return WsgiClient()


def _application_event(number: str, *, outcome: str = "accepted", at: str = "2026-11-21T10:00:00+08:00",
                      event_id: str | None = None, **body: Any) -> dict[str, Any]:
    """An application event as the kiosk's outbox makes it."""
    return {
        "id": event_id or str(uuid.uuid4()), "kind": "application", "at": at,
        "body": {
            "number": number, "service": body.pop("service", "food-licence"), "service_title": "食品经营许可",
            "outcome": outcome, "decided_at": at, "licence_number": None, "document_name": "食品经营许可证",
            "office": "市场监督管理局", "promised_days": body.pop("promised_days", None),
            "time_limit_days": body.pop("time_limit_days", 20),
            "applicant": {"name": "张三", "id_number": "110101199001011234", "phone": "13800000000"},
            "answers": {"shop_name": "张三小吃"},
            "findings": [{"rule": "r1", "severity": "warn", "message": "缺少平面图"}],
            "documents": [], "material_pages": [], **body,
        },
    }


def _post(client, path: str, payload: Any, token: str | None):
    """POST JSON with the kiosk's bearer token; the response."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload, ensure_ascii=False)
    return client.post(path, data=body, content_type="application/json", **headers)


@pytest.fixture
def app_event() -> Callable[..., dict[str, Any]]:
    """app_event(number, outcome=..., at=..., event_id=..., **body) -> an application event."""
    return _application_event


@pytest.fixture
def post() -> Callable[..., Any]:
    """post(client, path, payload, token) -> the response."""
    return _post


@pytest.fixture
def new_number() -> Callable[[], str]:
    return lambda: unique("N")
