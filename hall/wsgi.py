"""The hall's WSGI application (granian serves it: hall.server).

The kiosk API's two hot endpoints (POST /api/v1/events and /api/v1/heartbeat: 200 kiosks, a batch every
few seconds each) are answered on a thin path: straight from the WSGI environ to hall.cases.api's
events_reply / heartbeat_reply, without Django's request object, middleware (sessions, CSRF, auth,
messages, WhiteNoise: nothing the kiosk API uses — it authenticates by the kiosk's bearer token) and URL
resolving. Same code, same auth, same replies as the Django views in hall.urls (which stay for Django's
test client and any other WSGI host). Everything else goes to Django.
"""

import gc
import logging
import os

import orjson
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hall.settings")
django_application = get_wsgi_application()

from django.db import close_old_connections  # noqa: E402 - after Django is set up

from hall.cases import api, idfields  # noqa: E402

log = logging.getLogger("hall.wsgi")

#: PATH_INFO -> the reply function (hall.cases.api).
KIOSK_PATHS = {"/api/v1/events": api.events_reply, "/api/v1/heartbeat": api.heartbeat_reply}
_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 405: "Method Not Allowed",
            413: "Request Entity Too Large", 500: "Internal Server Error"}
#: As Django's SecurityMiddleware and XFrameOptionsMiddleware would add them.
_HEADERS = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin")]


class BareRequest:
    """The little of a request the kiosk API reads (hall.cases.api: .method, .META, .read())."""

    __slots__ = ("META", "_input", "method")

    def __init__(self, environ: dict):
        self.META = environ
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        self._input = environ["wsgi.input"]

    def read(self, size: int) -> bytes:
        return self._input.read(size)


def application(environ, start_response):
    reply = KIOSK_PATHS.get(environ.get("PATH_INFO", ""))
    if reply is None:
        return django_application(environ, start_response)
    try:
        status, payload = reply(BareRequest(environ))
    except Exception:  # as Django's handler: logged, answered 500 (the kiosk keeps the batch and sends it again)
        log.exception("kiosk API %s failed", environ.get("PATH_INFO"))
        status, payload = 500, {"error": "the hall failed to store this request: send it again"}
    finally:
        close_old_connections()  # as Django after each request: a broken or too old connection is dropped
    body = orjson.dumps(payload)
    start_response(f"{status} {_REASONS.get(status, '')}".rstrip(),
                   [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *_HEADERS])
    return [body]


idfields.spec_keys()  # the catalog read once here, before the server's workers fork
# The cyclic garbage collector took ~4 % of a worker's CPU under the kiosks' load (perf, issue 12), most of it
# walking Django's and the catalog's long-lived objects again and again: they are moved out of its sight
# (gc.freeze, also keeping their pages shared between the forked workers), and a collection of the young
# generation runs after 5,000 allocations instead of 700 (a post allocates a few thousand short-lived objects).
gc.freeze()
gc.set_threshold(5000, 10, 10)
