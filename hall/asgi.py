"""The hall's ASGI application (granian serves it: hall.server): the kiosk API on the worker's event loop,
everything else to Django.

POST /api/v1/events from a kiosk the worker knows (tokens.remembered: every kiosk after its first post) is
a coroutine on the loop: the body read, the same checks and preparing as the WSGI path
(api.events_reply_async: wire, ingest._at_once_batch), then it awaits its group's commit (hall.cases.agroup:
one writer task and one AsyncConnection per worker). No thread is crossed: on the WSGI path (hall.wsgi) a
post went granian -> request thread -> writer thread -> request thread, and those hand-offs (futexes, the
GIL) cost a worker more CPU than the post's Python (issue 12). Whatever needs Django's connection runs in a
small pool of threads (sync_threads): a kiosk's first post's token lookup, heartbeats (two statements, every
30 s a kiosk), the rare ingest paths (a group's conflict, a case held already, a batch with no valid event),
and every other page (Django's WSGI handler: _django). Same URLs, auth, limits and answers as hall.wsgi and
the Django views.
"""

from __future__ import annotations

import asyncio
import gc
import io
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import orjson

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hall.settings")
from django.conf import settings
from django.db import close_old_connections

from hall import wsgi
from hall.cases import api, tokens

log = logging.getLogger("hall.asgi")

#: Threads a worker runs Django in (its other pages and the kiosk API's database work): each keeps one
#: database connection. Django's own ASGI handler runs every synchronous view of a process in ONE thread
#: (asgiref's thread_sensitive), measured 112 requests/s for GET /healthz against 812 under WSGI threads:
#: so the other pages go to Django's WSGI handler in these threads instead (_django).
#: At most HALL_SYNC_THREADS (hall.server sets it from --threads); started only as requests need them.
_sync = ThreadPoolExecutor(max_workers=int(os.environ.get("HALL_SYNC_THREADS", "16")), thread_name_prefix="hall-sync")
_LIMITS = {"/api/v1/events": lambda: settings.HALL_MAX_BATCH_BYTES,
           "/api/v1/heartbeat": lambda: api.MAX_HEARTBEAT_BYTES}
_RESPONSE_HEADERS = [(b"content-type", b"application/json"),
                     *((name.lower().encode(), value.encode()) for name, value in wsgi._HEADERS)]


def _in_thread(function, *args):
    try:
        return function(*args)
    finally:
        close_old_connections()  # as Django after each request: a broken or too old connection is dropped


async def offload(function, *args):
    """`function(*args)` in a sync thread (Django's connection may be used there); its result."""
    return await asyncio.get_running_loop().run_in_executor(_sync, _in_thread, function, *args)


class BodyRequest:
    """The little of a request the kiosk API reads (.method, .META, .read()), its body read already."""

    __slots__ = ("META", "_body", "method")

    def __init__(self, scope: dict, body: bytes):
        meta = {"REQUEST_METHOD": scope["method"], "PATH_INFO": scope["path"]}
        for name, value in scope["headers"]:
            key = name.decode("latin-1").upper().replace("-", "_")
            meta[key if key in ("CONTENT_LENGTH", "CONTENT_TYPE") else "HTTP_" + key] = value.decode("latin-1")
        self.META, self.method, self._body = meta, scope["method"].upper(), body

    def read(self, size: int) -> bytes:
        return self._body[:size]


async def _body(receive, limit: int) -> bytes:
    """The request's body, or its first limit + 1 bytes when it is longer (the API answers 413 then)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > limit or not message.get("more_body", False):
            break
    return b"".join(chunks)[: limit + 1]


async def _kiosk(scope, receive, send, reply) -> None:
    path = scope["path"]
    try:
        limit = _LIMITS[path]()
        request = BodyRequest(scope, b"")
        # A body over the limit declared by Content-Length is not read at all (413), as on the WSGI path.
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if request.method == "POST" and declared <= limit:
            request._body = await _body(receive, limit)
        if reply is api.events_reply and request.method == "POST" and not tokens.remembered(request):
            await offload(tokens.claimed_kiosk, request)  # a kiosk's first post: its token looked up, remembered
        if reply is api.events_reply and tokens.remembered(request):
            status, payload = await api.events_reply_async(request, offload)
        else:  # a heartbeat, a token the hall does not know (401), not a POST (405)
            status, payload = await offload(reply, request)
    except Exception:  # as Django's handler: logged, answered 500 (the kiosk keeps the batch and sends it again)
        log.exception("kiosk API %s failed", path)
        status, payload = 500, {"error": "the hall failed to store this request: send it again"}
    body = orjson.dumps(payload)
    await send({"type": "http.response.start", "status": status,
                "headers": [*_RESPONSE_HEADERS, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _environ(scope: dict, body: bytes) -> dict:
    """The WSGI environ of an ASGI http scope (PEP 3333, as granian's WSGI interface makes it)."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    root = scope.get("root_path", "")
    path = scope["path"][len(root):] if root and scope["path"].startswith(root) else scope["path"]
    environ = {  # the paths as WSGI has them: the URL's bytes (UTF-8) read as latin-1 (PEP 3333)
        "REQUEST_METHOD": scope["method"], "SCRIPT_NAME": root.encode("utf-8").decode("latin-1"),
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]), "SERVER_PORT": str(server[1] or 80),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}", "REMOTE_ADDR": client[0],
        "wsgi.version": (1, 0), "wsgi.url_scheme": scope.get("scheme", "http"), "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    for name, value in scope["headers"]:
        key = name.decode("latin-1").upper().replace("-", "_")
        key = key if key in ("CONTENT_LENGTH", "CONTENT_TYPE") else "HTTP_" + key
        value = value.decode("latin-1")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _run_wsgi(environ: dict) -> tuple[int, list, bytes]:
    started: list = []
    chunks = wsgi.django_application(environ, lambda status, headers, exc_info=None: started.extend([status, headers]))
    try:
        content = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return int(started[0].split()[0]), started[1], content


async def _django(scope, receive, send) -> None:
    """Everything but the kiosk API: Django's WSGI handler in a sync thread (the whole body read first, the
    whole response sent at once: the console's pages and files are small)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    status, headers, content = await offload(_run_wsgi, _environ(scope, b"".join(chunks)))
    await send({"type": "http.response.start", "status": status,
                "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]})
    await send({"type": "http.response.body", "body": content})


async def application(scope, receive, send):
    if scope["type"] != "http":  # no websockets; lifespan is not asked for (granian's ASGINL interface)
        raise ValueError(f"hall.asgi serves HTTP only, not {scope['type']}")
    reply = wsgi.KIOSK_PATHS.get(scope["path"])
    if reply is not None:
        return await _kiosk(scope, receive, send, reply)
    return await _django(scope, receive, send)


gc.freeze()  # as hall.wsgi: what was loaded so far stays out of the cyclic collector's sight (and shared)
